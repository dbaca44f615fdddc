"""Command line: ``hisho-tone check|serve|train|evaluate|thread|recap|batch|report`` (see ``hisho-tone --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .advice import CHANNELS, SENSITIVITIES, Advice, Reason

LABELS = {
    "text": "このまま送信OK",
    "text_with_care": "見直してから送信",
    "call": "通話をおすすめ",
    "video": "ビデオ通話をおすすめ",
}
COLOURS = {"text": "32", "text_with_care": "33", "call": "31", "video": "35"}
CATEGORY_COLOURS = {"ambiguity": "33", "emotion": "31", "sensitivity": "35", "complexity": "36"}


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit status 2."""


def _read_text(value: str | None) -> str:
    if value not in (None, "-"):
        return value
    if sys.stdin is None or sys.stdin.isatty():
        raise CliError(
            "テキストを引数で渡すか、標準入力から流し込んでください (例: echo '例の件お願いします' | hisho-tone check)"
        )
    return sys.stdin.buffer.read().decode("utf-8", errors="replace")


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def _highlight(text: str, advice: Advice, colour: bool) -> str:
    """The analysed text with every span of every reason marked (by colour, or in 【】)."""
    out, pos = [], 0
    marks = sorted(((s, r.category) for r in advice.reasons for s in r.spans), key=lambda m: (m[0].start, m[0].end))
    for span, category in marks:
        if span.start < pos:  # overlapping reasons: the first one is already highlighted
            continue
        out.append(text[pos : span.start])
        marked = _paint(span.surface, "1;4;" + CATEGORY_COLOURS[category], colour) if colour else f"【{span.surface}】"
        out.append(marked)
        pos = span.end
    out.append(text[pos : advice.analyzed_chars])
    return "".join(out)


def _surfaces(reason: Reason, colour: bool) -> str:
    """「a」「b」: every phrase of a reason."""
    return "".join(f"「{_paint(s.surface, CATEGORY_COLOURS[reason.category], colour)}」" for s in reason.spans)


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
            lines.append(f"  {i}. {_surfaces(r, colour)} {r.label} [{r.kind}]")
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


def cmd_train(args: argparse.Namespace) -> int:
    try:
        from hisho_tone_models.train import train
    except ImportError as exc:
        raise CliError(f"training needs scikit-learn: pip install 'hisho-tone[train]' ({exc})") from exc
    train(
        data_dir=_data_dir(args.data),
        out=Path(args.out) if args.out else _models_dir() / "model.json",
        card=None if args.no_card else (Path(args.card) if args.card else _models_dir() / "MODEL_CARD.md"),
        limit=args.limit,
        seed=args.seed,
    )
    return 0


def _models_dir() -> Path:
    import hisho_tone_models

    return Path(hisho_tone_models.__file__).resolve().parent


def _data_dir(value: str | None) -> Path:
    return Path(value) if value else _models_dir() / "data"


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.unlabeled:
        return _evaluate_unlabeled(args)
    try:
        from hisho_tone_models.corpus import read_jsonl
        from hisho_tone_models.metrics import evaluate, format_report
    except ImportError as exc:
        raise CliError(f"evaluation needs scikit-learn: pip install 'hisho-tone[train]' ({exc})") from exc
    from .analyzer import Analyzer

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"ファイルが見つかりません: {path}")
    rows = read_jsonl(path)
    if not rows:
        raise CliError(f"{path} にメッセージがありません")
    analyzer = Analyzer(config=False, model=args.model or "default")
    if analyzer.model is None:
        raise CliError("学習済みモデルがありません。先に `hisho-tone train` を実行してください。")
    preds = []
    for i, row in enumerate(rows, 1):
        advice = analyzer.analyze(row["text"], channel=row["channel"], sensitivity=args.sensitivity)
        preds.append(
            {
                "call_probability": advice.call_probability,
                "ambiguity": advice.ambiguity,
                "emotional_weight": advice.emotional_weight,
            }
        )
        if i % 500 == 0:
            print(f"  {i}/{len(rows)}", file=sys.stderr)
    metrics = evaluate(rows, preds, analyzer.thresholds(args.sensitivity)[1])
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        print(f"model {analyzer.model.id} on {path}")
        print(format_report(metrics))
    return 0


def _evaluate_unlabeled(args: argparse.Namespace) -> int:
    """Share of each recommendation on unlabeled texts, and the reason kinds behind call/video."""
    from .analyzer import Analyzer
    from .noise import NoiseReport, read_texts

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"ファイルが見つかりません: {path}")
    analyzer = Analyzer(config=False, model=args.model or "default")
    report = NoiseReport()
    for i, text in enumerate(read_texts(path), 1):
        report.add(
            text,
            analyzer.analyze(text, channel=args.channel, sensitivity=args.sensitivity),
            keep_examples=0 if args.json else 5,
        )
        if i % 1000 == 0 and not args.json:
            print(f"  {i} texts", file=sys.stderr)
    if not report.texts:
        raise CliError(f"{path} にテキストがありません")
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            report.format(
                f"{path} (model {analyzer.model.id if analyzer.model else 'cues'}, {args.channel}, sensitivity {args.sensitivity})"
            )
        )
    return 0


def _load_thread(args: argparse.Namespace) -> dict[str, Any]:
    from .thread_io import parse_thread

    if args.file == "-":
        raw = _read_text("-")
    else:
        try:
            with open(args.file, encoding="utf-8", errors="replace") as fh:
                raw = fh.read()
        except OSError as exc:
            raise CliError(f"ファイルを読めません: {args.file} ({exc.strerror})") from exc
    thread = parse_thread(raw, me=args.me)
    if args.draft is not None:
        thread["draft"] = args.draft
    thread["channel"] = args.channel or thread.get("channel") or "chat"
    return thread


THREAD_LABELS = {
    "ping_pong": "往復",
    "rising_emotion": "感情の高まり",
    "unanswered_question": "未回答の質問",
    "repeated_request": "繰り返しのお願い",
    "misalignment": "認識のずれ",
}


def cmd_thread(args: argparse.Namespace) -> int:
    from .thread import MAX_MESSAGES, analyze_thread

    thread = _load_thread(args)
    advice = analyze_thread(
        thread["messages"], draft=thread["draft"], channel=thread["channel"], sensitivity=args.sensitivity
    )
    if args.json:
        print(json.dumps(advice.to_dict(), ensure_ascii=False, indent=2))
        return 0
    colour = _use_colour(sys.stdout)
    rec = advice.recommendation
    lines = [
        f"判定: {_paint(LABELS[rec], '1;' + COLOURS[rec], colour)} ({rec})  メッセージ {len(advice.per_message)} 件",
        f"  {advice.summary}",
        f"  通話が望ましい確率 {advice.call_probability:4.2f} {_bar(advice.call_probability)}",
        f"  往復数 {advice.rounds}   感情の推移 {dict(rising='高まっている', steady='横ばい', falling='落ち着いてきた')[advice.emotion_trend]}",
    ]
    if advice.truncated:
        lines.append(f"  (長いスレッドのため、最新の {MAX_MESSAGES} 件だけを読みました)")
    if advice.reasons:
        lines += ["", "理由:"]
        for i, r in enumerate(advice.reasons, 1):
            where = (
                ""
                if r.message_index is None
                else (" (下書き)" if r.message_index >= len(advice.per_message) else f" (#{r.message_index + 1})")
            )
            lines.append(f"  {i}. {r.label} [{r.kind}]{where}")
            lines.append(f"     {r.message}")
            lines.append(f"     → {r.hint}")
    if advice.invitation:
        lines += ["", "通話の提案文:", "  " + advice.invitation.replace("\n", "\n  ")]
    print("\n".join(lines))
    return 0


def cmd_recap(args: argparse.Namespace) -> int:
    from .recap import recap_template

    thread = _load_thread(args)
    print(recap_template(thread["messages"], draft=thread["draft"], channel=thread["channel"]))
    return 0


BATCH_EXIT = "Exit status: 0 done; 1 done, but some records could not be read (see --errors); 2 bad arguments or input; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM): rerun with --resume."


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so the batch stops cleanly (whole lines only)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated()


def cmd_batch(args: argparse.Namespace) -> int:
    import signal

    from .archive_options import option_error
    from .batch import ResumeMismatch, run_batch
    from .batch_score import Options

    if error := option_error(args):
        raise CliError(error)
    options = Options.with_user_config(
        sensitivity=args.sensitivity, with_text=args.with_text, threads=args.threads is not None
    )
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        summary = run_batch(
            args.input,
            args.output,
            fmt=args.format,
            threads_path=args.threads,
            errors_path=args.errors,
            me=args.me,
            gap_hours=args.gap,
            channel=args.channel,
            options=options,
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=not args.quiet and sys.stderr.isatty(),
        )
    except _Terminated:
        print("hisho-tone: terminated; rerun with --resume to continue", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("hisho-tone: interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130
    except (ResumeMismatch, RuntimeError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        where = f" ({args.errors})" if args.errors else " (--errors FILE で一覧を書き出せます)"
        print(
            f"完了: メッセージ {summary.messages} 件（今回 {summary.scored} 件）、会話 {summary.conversations} 件、読めなかったレコード {summary.errors} 件"
            + (where if summary.errors else ""),
            file=sys.stderr,
        )
    return 1 if summary.errors else 0


def _add_batch(sub: Any) -> None:
    from .archive_options import add_reading_options, add_running_options

    p = sub.add_parser(
        "batch",
        help="score a whole archive (JSONL/CSV, Chatwork rooms, Gmail mbox) on every core or a Dask cluster",
        description="Score every message of an archive into JSONL, one line per message in input order (byte-identical whatever "
        "--workers or --engine). INPUT is a JSONL or CSV file of messages (id, thread|room, author, me, time, channel, text; "
        "messages of a thread contiguous), a directory of Chatwork <room_id>.json API message lists, or a Gmail Takeout mbox. "
        "Records that cannot be read are counted and listed with --errors. " + BATCH_EXIT,
    )
    p.add_argument("input", metavar="INPUT", help="file or directory to read")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.jsonl",
        help="one line per message: id, thread, recommendation, scores, reason kinds and spans",
    )
    p.add_argument(
        "--threads", default=None, metavar="FILE", help="also write one line per conversation (analyze_thread) to FILE"
    )
    p.add_argument(
        "--errors",
        default=None,
        metavar="FILE",
        help="write one JSON line per unreadable record (source, where, reason)",
    )
    add_reading_options(p, "marks your own messages: the author (JSONL/CSV), account id (Chatwork) or address (mbox)")
    p.add_argument(
        "--with-text", action="store_true", help="copy each message's text and the reasons' phrases into the output"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the complete lines of OUT (and --threads/--errors) and continue after them",
    )
    add_running_options(p)
    p.set_defaults(func=cmd_batch)


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
    check.add_argument(
        "--channel",
        choices=CHANNELS,
        default="chat",
        help="chat (default) or email (quotes and signature are set aside)",
    )
    check.add_argument(
        "--sensitivity", choices=SENSITIVITIES, default="normal", help="how readily to suggest a call (default: normal)"
    )
    check.add_argument("--json", action="store_true", help="print the advice as JSON (same shape as the HTTP API)")
    check.add_argument(
        "--exit-code", action="store_true", help="exit with status 1 when a call or video is recommended"
    )
    check.set_defaults(func=cmd_check)

    serve = sub.add_parser(
        "serve",
        help="start the local HTTP service and playground",
        description="Serve the API and the playground page on this machine.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; others need --allow-remote and a token)",
    )
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback address (requires a token)"
    )
    serve.add_argument("--token", default=None, help="require this bearer token (default: $HISHO_TONE_TOKEN if set)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.set_defaults(func=cmd_serve)

    train = sub.add_parser(
        "train",
        help="retrain the model from the labeled corpus",
        description="Retrain the shipped model from models/data (needs the 'train' extra: scikit-learn).",
    )
    train.add_argument("--data", default=None, help="folder of messages_*.jsonl files (default: models/data)")
    train.add_argument("--out", default=None, help="where to write the model JSON (default: models/model.json)")
    train.add_argument("--card", default=None, help="where to write the model card (default: models/MODEL_CARD.md)")
    train.add_argument("--no-card", action="store_true", help="do not write a model card")
    train.add_argument("--limit", type=int, default=None, help="use only the first N messages (quick experiments)")
    train.add_argument("--seed", type=int, default=20261126, help="seed of the family-grouped split")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser(
        "evaluate",
        help="measure the model on labeled messages, or its noise on unlabeled text",
        description="Print ROC-AUC, macro-F1, Spearman and calibration for a labeled JSONL file (fields: id, channel, text, call, "
        "ambiguity, emotion); with --unlabeled, the share of each recommendation on any texts and the reason kinds behind call/video.",
    )
    evaluate.add_argument(
        "file", metavar="FILE", help="labeled JSONL; with --unlabeled, one text per line or JSONL with a 'text' field"
    )
    evaluate.add_argument(
        "--unlabeled",
        action="store_true",
        help="FILE has no labels: print how often each recommendation is given (check the noise on your own archive)",
    )
    evaluate.add_argument(
        "--channel",
        choices=CHANNELS,
        default="chat",
        help="with --unlabeled: the channel to analyse the texts as (default chat)",
    )
    evaluate.add_argument("--model", default=None, help="a model JSON (default: the shipped model)")
    evaluate.add_argument(
        "--sensitivity", choices=SENSITIVITIES, default="normal", help="which threshold to score macro-F1 at"
    )
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.set_defaults(func=cmd_evaluate)
    for name, func, text in (
        ("thread", cmd_thread, "judge a whole conversation (ping-pong, unanswered questions, rising emotion)"),
        ("recap", cmd_recap, "draft the written recap to send after the call"),
    ):
        p = sub.add_parser(
            name,
            help=text,
            description=text
            + ". FILE is JSON ([{author, text, me}] or {messages, draft, channel}), JSONL (one message per line, as 'batch' reads), a Chatwork export ('[名前] 2026/11/20 10:02' headers), an email export ('From: 名前' headers) or '名前: 本文' lines; '-' reads standard input.",
        )
        p.add_argument("file", metavar="FILE", help="the thread, oldest message first")
        p.add_argument("--me", default=None, help="your name as it appears in FILE (marks your own messages)")
        p.add_argument("--draft", default=None, help="the message you are writing now")
        p.add_argument(
            "--channel", choices=CHANNELS, default=None, help="chat or email (default: from FILE, else chat)"
        )
        if name == "thread":
            p.add_argument(
                "--sensitivity", choices=SENSITIVITIES, default="normal", help="how readily to suggest a call"
            )
            p.add_argument("--json", action="store_true", help="print the thread advice as JSON")
        p.set_defaults(func=func)
    _add_batch(sub)
    from .report.cli import add_parser as _add_report

    _add_report(sub)
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
