"""``hisho-tone report``: the argument parser and the command."""

from __future__ import annotations

import argparse
import sys
from typing import Any

REPORT_EXIT = "Exit status: 0 done; 1 done, but some records could not be read; 2 bad arguments or input (or matplotlib missing); 130 interrupted."


def add_parser(sub: Any) -> None:
    from ..archive_options import add_reading_options, add_running_options

    p = sub.add_parser(
        "report",
        help="one offline HTML page for a director: where text failed, and who needs a call now",
        description="Score an archive (the same inputs as 'batch') and write one self-contained HTML page: the share of "
        "conversations that should have been a call, by week; those conversations by cost with the moment a call was due; "
        "counterparts with an early-warning list; the reasons that drive calls. The page makes no network request. "
        "By default it shows only flagged phrases and one short excerpt per conversation; --redact shows no message text. "
        + REPORT_EXIT,
    )
    p.add_argument("input", metavar="INPUT", help="JSONL/CSV file, directory of Chatwork room files, or Gmail mbox")
    p.add_argument("-o", "--output", default=None, metavar="REPORT.html", help="the page to write")
    p.add_argument("--json", default=None, metavar="SUMMARY.json", help="also write every figure of the page as JSON")
    add_reading_options(p, "marks your team's messages: author (JSONL/CSV), account id (Chatwork) or address (mbox)")
    p.add_argument(
        "--since", default=None, metavar="DATE", help="only messages sent on or after DATE (YYYY-MM-DD or ISO 8601)"
    )
    p.add_argument("--until", default=None, metavar="DATE", help="only messages sent before DATE")
    p.add_argument("--timezone", default="Asia/Tokyo", help="time zone of weeks and dates (default Asia/Tokyo)")
    p.add_argument(
        "--by-author", action="store_true", help="add per-author figures for your team (sensitive: off by default)"
    )
    p.add_argument(
        "--redact", action="store_true", help="no message text at all: ids, times, scores and reason kinds only"
    )
    p.add_argument("--title", default=None, help="the page's title (default: a generic one)")
    add_running_options(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfoNotFoundError

    from ..archive_options import option_error
    from ..cli import CliError
    from .build import ReportOptions, build_report

    if args.output is None and args.json is None:
        raise CliError("say where to write: -o REPORT.html and/or --json SUMMARY.json")
    if error := option_error(args):
        raise CliError(error)
    if args.output is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise CliError(f"the report's charts need matplotlib: pip install 'hisho-tone[report]' ({exc})") from exc
    options = ReportOptions(
        fmt=args.format,
        me=args.me,
        gap_hours=args.gap,
        channel=args.channel,
        sensitivity=args.sensitivity,
        since=args.since,
        until=args.until,
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        redact=args.redact,
        by_author=args.by_author,
        timezone=args.timezone,
        title=args.title,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    try:
        summary, timings = build_report(args.input, args.output, args.json, options)
    except RuntimeError as exc:
        raise CliError(str(exc)) from exc
    except ZoneInfoNotFoundError as exc:
        raise CliError(f"unknown time zone {args.timezone!r} (for example Asia/Tokyo or UTC)") from exc
    o = summary["overview"]
    if not args.quiet:
        print(
            f"完了: メッセージ {o['messages']} 件、会話 {o['conversations']} 件、通話にすべきだった会話 {o['call_conversations']} 件"
            f"（採点 {timings['scoring_s']:.1f} 秒、集計 {timings['aggregate_s']:.1f} 秒、描画 {timings['render_s']:.1f} 秒）"
            + "".join(f"\n  {p}" for p in (args.output, args.json) if p),
            file=sys.stderr,
        )
    return 1 if o["unreadable_records"] else 0
