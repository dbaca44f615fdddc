"""Command line: ``hisho-tone check|serve|train|evaluate|thread|recap`` (see ``hisho-tone --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Sequence

from . import __version__
from .advice import CHANNELS, SENSITIVITIES, Advice

LABELS = {"text": "このまま送信OK", "text_with_care": "見直してから送信", "call": "通話をおすすめ", "video": "ビデオ通話をおすすめ"}
COLOURS = {"text": "32", "text_with_care": "33", "call": "31", "video": "35"}
CATEGORY_COLOURS = {"ambiguity": "33", "emotion": "31", "sensitivity": "35", "complexity": "36"}


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit status 2."""


def _read_text(value: str | None) -> str:
    if value not in (None, "-"):
        return value
    if sys.stdin is None or sys.stdin.isatty():
        raise CliError("テキストを引数で渡すか、標準入力から流し込んでください (例: echo '例の件お願いします' | hisho-tone check)")
    return sys.stdin.buffer.read().decode("utf-8", errors="replace")


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def _highlight(text: str, advice: Advice, colour: bool) -> str:
    out, pos = [], 0
    for r in advice.reasons:
        if r.start < pos:  # overlapping reasons: the first one is already highlighted
            continue
        out.append(text[pos : r.start])
        out.append(_paint(r.surface, "1;4;" + CATEGORY_COLOURS[r.category], colour) if colour else f"【{r.surface}】")
        pos = r.end
    out.append(text[pos : advice.analyzed_chars])
    return "".join(out)


def format_advice(text: str, advice: Advice, colour: bool) -> str:
    """Human-readable Japanese report of one Advice."""
    rec = advice.recommendation
    lines = [
        f"判定: {_paint(LABELS[rec], '1;' + COLOURS[rec], colour)} ({rec})",
        f"  {advice.summary}",
        f"  通話が望ましい確率 {advice.call_probability:4.2f} {_bar(advice.call_probability)}",
        f"  曖昧さ             {advice.ambiguity:4.2f} {_bar(advice.ambiguity)}",
        f"  感情の重さ         {advice.emotional_weight:4.2f} {_bar(advice.emotional_weight)}",
        "",
        "文面:",
        "  " + _highlight(text, advice, colour).replace("\n", "\n  "),
    ]
    if advice.truncated:
        lines.append(f"  （長文のため先頭 {advice.analyzed_chars} 文字だけを解析しました）")
    if advice.reasons:
        lines += ["", "理由:"]
        for i, r in enumerate(advice.reasons, 1):
            lines.append(f"  {i}. 「{_paint(r.surface, CATEGORY_COLOURS[r.category], colour)}」 {r.label} [{r.kind}]")
            lines.append(f"     {r.message}")
            if r.hint:
                lines.append(f"     → {r.hint}")
    if advice.invitation:
        lines += ["", "通話の提案文:", "  " + advice.invitation.replace("\n", "\n  ")]
    return "\n".join(lines)


def _use_colour(stream: Any) -> bool:
    return hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ


def cmd_check(args: argparse.Namespace) -> int:
    from . import analyze

    text = _read_text(args.text)
    advice = analyze(text, channel=args.channel, sensitivity=args.sensitivity)
    if args.json:
        print(json.dumps(advice.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_advice(text, advice, _use_colour(sys.stdout)))
    if args.exit_code and advice.recommendation in ("call", "video"):
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from hisho_tone_server import run

    return run(host=args.host, port=args.port, allow_remote=args.allow_remote, token=args.token, threads=args.threads)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hisho-tone",
        description="日本語の下書きが文面で伝わるか、通話にすべきかを判定します。 "
        "Tells whether a Japanese draft should go out as text or be a call, and why.",
    )
    parser.add_argument("--version", action="version", version=f"hisho-tone {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    check = sub.add_parser("check", help="analyse one draft", description="Analyse one draft and print the advice.")
    check.add_argument("text", nargs="?", metavar="TEXT", help="the draft; '-' or absent reads standard input")
    check.add_argument("--channel", choices=CHANNELS, default="chat", help="chat (default) or email (quotes and signature are set aside)")
    check.add_argument("--sensitivity", choices=SENSITIVITIES, default="normal", help="how readily to suggest a call (default: normal)")
    check.add_argument("--json", action="store_true", help="print the advice as JSON (same shape as the HTTP API)")
    check.add_argument("--exit-code", action="store_true", help="exit with status 1 when a call or video is recommended")
    check.set_defaults(func=cmd_check)

    serve = sub.add_parser("serve", help="start the local HTTP service and playground", description="Serve the API and the playground page on this machine.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need --allow-remote and a token)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--allow-remote", action="store_true", help="allow binding a non-loopback address (requires a token)")
    serve.add_argument("--token", default=None, help="require this bearer token (default: $HISHO_TONE_TOKEN if set)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"hisho-tone: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # bad files, bad configuration
        print(f"hisho-tone: エラー: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
