"""The command-line options that ``hisho-tone batch`` and ``hisho-tone report`` share: how an archive
is read (format, your own messages, conversation gap, channel), scored (sensitivity) and run
(workers, engine, scheduler, quiet)."""

from __future__ import annotations

import argparse

from .advice import CHANNELS, SENSITIVITIES


def add_reading_options(p: argparse.ArgumentParser, me_help: str) -> None:
    """--format, --me, --gap, --channel, --sensitivity."""
    from .readers import FORMATS

    p.add_argument("--format", choices=("auto", *FORMATS), default="auto", help="input format (default: from the path)")
    p.add_argument("--me", default=None, help=me_help)
    p.add_argument(
        "--gap",
        type=float,
        default=3.0,
        metavar="HOURS",
        help="Chatwork: silence that starts a new conversation (default 3)",
    )
    p.add_argument(
        "--channel",
        choices=CHANNELS,
        default="chat",
        help="channel of JSONL/CSV messages without one (default chat; mbox is always email)",
    )
    p.add_argument(
        "--sensitivity", choices=SENSITIVITIES, default="normal", help="how readily to suggest a call (default: normal)"
    )


def add_running_options(p: argparse.ArgumentParser) -> None:
    """--workers, --engine, --scheduler, --quiet."""
    from .batch_engines import ENGINES

    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes (local) or LocalCluster workers (dask); default: all cores",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local worker processes (default) or dask (needs hisho-tone[dask])",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask: an existing scheduler (tcp://host:8786); default: a LocalCluster",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary on stderr")


def option_error(args: argparse.Namespace) -> str | None:
    """What is wrong with the shared options as given, in one sentence naming the value; None if nothing."""
    if args.workers is not None and args.workers < 1:
        return f"--workers must be at least 1, not {args.workers}"
    if args.gap <= 0:
        return f"--gap must be a positive number of hours, not {args.gap}"
    if args.scheduler and args.engine != "dask":
        return "--scheduler needs --engine dask"
    return None
