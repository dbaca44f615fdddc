"""hisho-tone report: the figures (from hand-made batch lines), the page, redaction, the CLI.

Scores come from the model, which is retrained now and then: no test here expects a score. The
aggregation tests feed hand-written batch lines; the end-to-end tests use the demo archive, whose
tense client and ping-pong conversations are written plainly enough for any reasonable model.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import TENSE_CLIENT, build, ping_pong_threads, write_demo

from hisho_tone.cli import main
from hisho_tone.report.aggregate import Settings, aggregate

JST = timezone(timedelta(hours=9))
MONDAY = datetime(2026, 9, 7, 10, tzinfo=JST)


# -- aggregation over hand-made batch lines ----------------------------------------------------
def msg(
    ident: str,
    thread: str,
    author: str,
    week: int,
    *,
    me: bool = False,
    weight: float = 0.0,
    rec: str = "text",
    reasons: tuple = (),
    text: str = "本文",
) -> dict[str, Any]:
    return {
        "id": ident,
        "thread": thread,
        "author": author,
        "me": me,
        "time": (MONDAY + timedelta(weeks=week, hours=int(ident[1:]) % 8)).timestamp(),
        "channel": "chat",
        "recommendation": rec,
        "call_probability": 0.9 if rec == "call" else 0.1,
        "ambiguity": 0.1,
        "emotional_weight": weight,
        "reasons": [{"kind": k, "category": "emotion", "start": 0, "end": len(text), "surface": text} for k in reasons],
        "text": text,
    }


def thread_line(
    thread: str,
    records: list[dict[str, Any]],
    rec: str = "text",
    *,
    rounds: int = 1,
    reasons: tuple = (),
    due: str | None = None,
) -> dict[str, Any]:
    return {
        "thread": thread,
        "first_id": records[0]["id"],
        "last_id": records[-1]["id"],
        "messages": len(records),
        "recommendation": rec,
        "call_probability": 0.9 if rec == "call" else 0.1,
        "rounds": rounds,
        "emotion_trend": "steady",
        "unanswered_questions": [],
        "reasons": [
            {"kind": k, "message": m, "messages": [m], "start": 0, "end": 2, "surface": "また"} for k, m in reasons
        ],
        "truncated": False,
        "call_due": due,
    }


def write_lines(tmp: Path, conversations: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> tuple[str, str]:
    messages, threads = tmp / "m.jsonl", tmp / "t.jsonl"
    with messages.open("w", encoding="utf-8") as mf, threads.open("w", encoding="utf-8") as tf:
        for thread, records in conversations:
            tf.write(json.dumps(thread, ensure_ascii=False) + "\n")
            mf.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return str(messages), str(threads)


def archive(tense_weeks: int = 4) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Eight weeks; 'calm' stays calm, 'tense' turns heavy, curt and repetitive in the last weeks."""
    out = []
    n = 0
    for week in range(8):
        for client in ("calm", "tense"):
            late = client == "tense" and week >= 8 - tense_weeks
            ids = [f"m{n + i}" for i in range(3)]
            n += 3
            thread = f"{client}-{week}"
            records = [
                msg(
                    ids[0],
                    thread,
                    client,
                    week,
                    weight=0.8 if late else 0.1,
                    reasons=("repetition_complaint",) if late else (),
                    text="何度もお伝えしていますが" if late else "資料をお送りします",
                ),
                msg(ids[1], thread, "佐藤", week, me=True, weight=0.1, text="承知しました"),
                msg(
                    ids[2],
                    thread,
                    client,
                    week,
                    weight=0.7 if late else 0.0,
                    reasons=("curt_reply",) if late else (),
                    text="そうですか。" if late else "ありがとうございます",
                ),
            ]
            rec = "call" if late else "text"
            out.append(
                (
                    thread_line(
                        thread,
                        records,
                        rec,
                        rounds=3 if late else 1,
                        reasons=(("repeated_request", ids[2]),) if late else (),
                        due=ids[2] if late else None,
                    ),
                    records,
                )
            )
    return out


def test_weekly_shares_and_overview(tmp_path):
    summary = aggregate(*write_lines(tmp_path, archive()), Settings())
    o = summary["overview"]
    assert (o["messages"], o["conversations"], o["call_conversations"]) == (48, 16, 4)
    assert o["call_share"] == 0.25
    assert [w["call_share"] for w in summary["weeks"]] == [0.0] * 4 + [0.5] * 4
    assert [w["week"] for w in summary["weeks"]][0] == "2026-09-07"
    assert sum(w["messages"] for w in summary["weeks"]) == 48


def test_early_warning_names_the_tense_client_with_evidence(tmp_path):
    summary = aggregate(*write_lines(tmp_path, archive()), Settings())
    assert [w["counterpart"] for w in summary["early_warning"]] == ["tense"]
    warning = summary["early_warning"][0]
    assert set(warning["signals"]) == {"rising_emotion", "curt_replies", "repeated_requests"}
    assert warning["rise"] > 0.5 and warning["curt_replies"] == 4
    kinds = {e["kind"] for e in warning["evidence"]}
    assert {"curt_reply", "repeated_request"} <= kinds
    assert all(e["phrase"] for e in warning["evidence"])


def test_no_warning_when_the_heavy_weeks_are_long_past(tmp_path):
    lines = archive(tense_weeks=4)
    # the same client, but calm again for the last four weeks: nothing to warn about now
    flipped = [(t, r) for t, r in lines]
    for thread, records in flipped:
        week = int(thread["thread"].split("-")[1])
        if thread["thread"].startswith("tense"):
            for r in records:
                r["time"] -= timedelta(weeks=4).total_seconds() if week >= 4 else -timedelta(weeks=4).total_seconds()
    summary = aggregate(*write_lines(tmp_path, sorted(flipped, key=lambda tr: tr[1][0]["time"])), Settings())
    assert summary["early_warning"] == []


def test_call_threads_carry_due_moment_reasons_and_cost(tmp_path):
    summary = aggregate(*write_lines(tmp_path, archive()), Settings())
    calls = summary["call_threads"]
    assert sorted(c["thread"] for c in calls) == ["tense-4", "tense-5", "tense-6", "tense-7"]
    first = calls[0]
    assert first["call_due"]["index"] == 2 and first["call_due"]["message"] == first["call_due"]["message"]
    assert first["call_due"]["excerpt"] == "そうですか。"
    assert {r["kind"] for r in first["reasons"]} >= {"repeated_request"}
    assert first["ended"] == "tense"
    assert [c["cost"] for c in calls] == sorted((c["cost"] for c in calls), reverse=True)
    kinds = {k["kind"]: k for k in summary["reasons"]["kinds"]}
    assert kinds["curt_reply"]["count"] == 4 and kinds["curt_reply"]["conversations"] == 4


def test_redacted_summary_has_no_text(tmp_path):
    lines = archive()
    for _, records in lines:  # --redact scores without text: no surface, no text in the lines
        for r in records:
            del r["text"]
            for reason in r["reasons"]:
                del reason["surface"]
    summary = aggregate(*write_lines(tmp_path, lines), Settings(redact=True))
    dumped = json.dumps(summary, ensure_ascii=False)
    for phrase in ("何度もお伝えしていますが", "そうですか。", "資料をお送りします"):
        assert phrase not in dumped
    assert "excerpt" not in dumped and "phrase" not in dumped


def test_by_author_only_when_asked(tmp_path):
    paths = write_lines(tmp_path, archive())
    assert "authors" not in aggregate(*paths, Settings())
    authors = aggregate(*paths, Settings(by_author=True))["authors"]
    assert [a["author"] for a in authors] == ["佐藤"] and authors[0]["conversations"] == 16


# -- the demo archive, end to end --------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    records = write_demo(tmp / "archive.jsonl")
    html, json_path, summary = build(tmp / "archive.jsonl", tmp / "plain")
    return records, tmp, html, summary


def test_demo_report_flags_the_tense_client_and_the_ping_pong(demo):
    records, _, html, summary = demo
    assert TENSE_CLIENT in [w["counterpart"] for w in summary["early_warning"]]
    calls = {c["thread"]: c for c in summary["call_threads"]}
    assert ping_pong_threads(records) <= set(calls)
    for thread in ping_pong_threads(records):
        assert calls[thread]["call_due"] is not None and calls[thread]["rounds"] >= 3
    page = html.read_text(encoding="utf-8")
    assert not re.search(
        r"""(?:src|href|action)\s*=\s*["'](?!#)|url\((?!#)|@import""", page
    )  # nothing to fetch: no link, no resource


def test_page_shows_at_most_one_excerpt_per_conversation(demo):
    records, _, html, summary = demo
    page = html.read_text(encoding="utf-8")
    assert page.count('class="excerpt"') <= len(summary["call_threads"])
    long_texts = [r["text"] for r in records if len(r["text"]) > 45]
    assert not [t for t in long_texts if t in page]  # whole long messages never appear


def test_redacted_report_contains_no_message_text(demo, tmp_path):
    records, tmp, _, _ = demo
    html, json_path, summary = build(tmp / "archive.jsonl", tmp_path / "redacted", redact=True)
    outputs = html.read_text(encoding="utf-8") + json_path.read_text(encoding="utf-8")
    found = [r["text"] for r in records if r["text"] in outputs]
    assert found == []
    pieces = {p for r in records for p in re.split(r"[。、！？\n]", r["text"]) if len(p) >= 6}
    assert [p for p in pieces if p in outputs] == []
    assert summary["call_threads"] and all(
        "excerpt" not in c["call_due"] for c in summary["call_threads"] if c["call_due"]
    )


def test_cli_since_until_and_exit_status(demo, tmp_path):
    _, tmp, _, _ = demo
    out = tmp_path / "s.json"
    assert (
        main(
            [
                "report",
                str(tmp / "archive.jsonl"),
                "--json",
                str(out),
                "--since",
                "2026-10-01",
                "--until",
                "2026-11-01",
                "--workers",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["overview"]["first_time"] >= "2026-10-01" and summary["overview"]["last_time"] < "2026-11-01"
    assert (
        main(
            [
                "report",
                str(tmp / "archive.jsonl"),
                "--since",
                "2026-11-01",
                "--until",
                "2026-10-01",
                "--json",
                str(out),
                "--quiet",
            ]
        )
        == 2
    )
    assert main(["report", str(tmp / "archive.jsonl"), "--quiet"]) == 2  # nowhere to write
    assert (
        main(["report", str(tmp / "archive.jsonl"), "--json", str(out), "--timezone", "Mars/Olympus", "--quiet"]) == 2
    )


def test_call_due_is_the_first_prefix_that_says_call(analyzer):
    from report_fixtures import demo_module

    from hisho_tone.report.due import CALL, call_due
    from hisho_tone.thread import analyze_thread

    script = demo_module().PING_PONG[0]
    messages = [{"author": "中村" if who == "c" else "佐藤", "text": text, "me": who == "t"} for who, text in script]
    verdict = lambda end: analyze_thread(messages[:end], analyzer=analyzer).recommendation  # noqa: E731
    due = call_due(messages, "chat", "normal", analyzer)
    if verdict(len(messages)) not in CALL:
        assert due is None
        return
    assert due is not None and verdict(due + 1) in CALL
    assert all(verdict(end) not in CALL for end in range(1, due + 1))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--gap", "0"], "--gap must be a positive number of hours, not 0.0"),
        (["--workers", "0"], "--workers must be at least 1, not 0"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    ],
)
def test_report_refuses_bad_options_like_batch(tmp_path, capsys, options, message):
    for command in ("report", "batch"):
        out = ["--json", str(tmp_path / "s.json")] if command == "report" else ["-o", str(tmp_path / "o.jsonl")]
        assert main([command, str(tmp_path / "none.jsonl"), *out, *options]) == 2
        assert message in capsys.readouterr().err
