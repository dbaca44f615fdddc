"""``hisho-tone batch``: records, order, workers, errors and exit codes, resume after a kill."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_fixtures import archive

from hisho_tone.batch import run_batch
from hisho_tone.batch_output import JsonlOutput
from hisho_tone.batch_score import Options, score_rows
from hisho_tone.cli import main

CMD = [sys.executable, "-m", "hisho_tone", "batch"]
ENV = {**os.environ, "HISHO_TONE_CONFIG": os.devnull}
MESSAGE_FIELDS = [
    "id",
    "thread",
    "author",
    "me",
    "time",
    "channel",
    "recommendation",
    "call_probability",
    "ambiguity",
    "emotional_weight",
    "reasons",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return archive(tmp_path_factory.mktemp("batch") / "in.jsonl", 120, broken_every=40)


@pytest.fixture(scope="module")
def reference(small, tmp_path_factory) -> dict[str, bytes]:
    """The uninterrupted run in this process with one worker: the bytes every other run must match."""
    out = tmp_path_factory.mktemp("ref")
    summary = run_batch(small, out / "m.jsonl", threads_path=out / "t.jsonl", errors_path=out / "e.jsonl", workers=1)
    assert (summary.messages, summary.errors) == (117, 3)
    return {name: (out / f"{name}.jsonl").read_bytes() for name in "mte"}


def lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.splitlines()]


def test_one_record_per_message_in_input_order(small, reference):
    records = lines(reference["m"])
    ids = [
        json.loads(line)["id"]
        for line in small.read_text(encoding="utf-8").splitlines()
        if not line.startswith('{"id": "broken"')
    ]
    assert [r["id"] for r in records] == ids
    for r in records:
        assert list(r) == MESSAGE_FIELDS
        assert r["recommendation"] in ("text", "text_with_care", "call", "video")
        assert all(0.0 <= r[k] <= 1.0 for k in ("call_probability", "ambiguity", "emotional_weight"))
        assert all(set(reason) == {"kind", "category", "start", "end", "spans"} for reason in r["reasons"])
        assert all(set(span) == {"start", "end"} for reason in r["reasons"] for span in reason["spans"])
    assert any(r["reasons"] for r in records)  # the corpus has phrases to flag


def test_one_thread_record_per_conversation(reference):
    threads = lines(reference["t"])
    messages = lines(reference["m"])
    assert [t["thread"] for t in threads] == list(dict.fromkeys(m["thread"] for m in messages))
    assert sum(t["messages"] for t in threads) == len(messages)
    ids = {m["id"] for m in messages}
    for t in threads:
        assert t["recommendation"] in ("text", "text_with_care", "call", "video") and t["emotion_trend"] in (
            "rising",
            "steady",
            "falling",
        )
        assert all(
            set(r) == {"kind", "message", "messages", "start", "end"} and set(r["messages"]) <= ids
            for r in t["reasons"]
        )


def test_errors_are_listed_with_source_and_line(small, reference):
    errors = lines(reference["e"])
    assert [e["where"] for e in errors] == ["line 40", "line 80", "line 120"]
    assert all(e["source"] == str(small) and e["reason"].startswith("not valid JSON") for e in errors)


def test_thread_judgement_does_not_change_the_message_records(small, reference, tmp_path):
    run_batch(small, tmp_path / "m.jsonl", workers=1)
    assert (tmp_path / "m.jsonl").read_bytes() == reference["m"]


def test_no_text_unless_asked(small, tmp_path):
    run_batch(small, tmp_path / "plain.jsonl", threads_path=tmp_path / "t.jsonl", workers=1)
    data = (tmp_path / "plain.jsonl").read_text(encoding="utf-8") + (tmp_path / "t.jsonl").read_text(encoding="utf-8")
    assert '"text":' not in data and '"surface":' not in data
    run_batch(small, tmp_path / "text.jsonl", options=Options(with_text=True), workers=1)
    first = small.read_text(encoding="utf-8").splitlines()[0]
    record = lines((tmp_path / "text.jsonl").read_bytes())[0]
    assert record["text"] == json.loads(first)["text"]
    assert all(record["text"][r["start"] : r["end"]] == r["surface"] for r in record["reasons"])
    assert all(record["text"][s["start"] : s["end"]] == s["surface"] for r in record["reasons"] for s in r["spans"])


def test_two_workers_write_the_same_bytes(small, reference, tmp_path):
    run_batch(
        small, tmp_path / "m.jsonl", threads_path=tmp_path / "t.jsonl", errors_path=tmp_path / "e.jsonl", workers=2
    )
    assert {name: (tmp_path / f"{name}.jsonl").read_bytes() for name in "mte"} == reference


def test_exit_codes(small, tmp_path, capsys):
    assert (
        main(["batch", str(small), "-o", str(tmp_path / "m.jsonl"), "--workers", "1", "--quiet"]) == 1
    )  # unreadable records
    clean = tmp_path / "clean.jsonl"
    clean.write_text('{"id": 1, "text": "了解です"}\n', encoding="utf-8")
    assert main(["batch", str(clean), "-o", str(tmp_path / "c.jsonl"), "--workers", "1"]) == 0
    assert "完了" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert main(["batch", str(clean), "-o", str(tmp_path / "x.jsonl"), "--workers", "0"]) == 2
    assert main(["batch", str(clean), "-o", str(tmp_path / "x.jsonl"), "--scheduler", "tcp://127.0.0.1:1"]) == 2


# -- resume ---------------------------------------------------------------------------------------
def count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def outputs(tmp_path: Path) -> list[str]:
    return [
        "-o",
        str(tmp_path / "m.jsonl"),
        "--threads",
        str(tmp_path / "t.jsonl"),
        "--errors",
        str(tmp_path / "e.jsonl"),
    ]


@pytest.mark.parametrize(
    "how, workers",
    [("SIGKILL after N lines", "2"), ("SIGTERM after N lines", "2"), ("SIGINT after a random delay", "1")],
)
def test_resume_after_a_kill_loses_and_repeats_nothing(small, reference, tmp_path, how, workers):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    sig = {"SIGKILL": signal.SIGKILL, "SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}[how.split()[0]]
    proc = subprocess.Popen(
        [*CMD, str(small), *outputs(tmp_path), "--workers", workers, "--quiet"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if "lines" in how:
        target, deadline = rng.randint(1, 100), time.monotonic() + 60
        while count_lines(tmp_path / "m.jsonl") < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    else:
        time.sleep(rng.uniform(0.5, 3.0))
    proc.send_signal(sig)
    rc = proc.wait(timeout=60)
    stopped_at = count_lines(tmp_path / "m.jsonl")
    if sig != signal.SIGKILL:
        # 143/130: stopped cleanly; 1: it had finished first; -sig: it had not started the CLI yet
        assert rc in ({signal.SIGTERM: 143, signal.SIGINT: 130}[sig], 1, -sig), proc.stderr.read()
        assert stopped_at == 0 or (tmp_path / "m.jsonl").read_bytes().endswith(b"\n")  # never a half line
    proc.stderr.close()
    done = subprocess.run(
        [*CMD, str(small), *outputs(tmp_path), "--workers", workers, "--quiet", "--resume"],
        env=ENV,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr  # 1: the input's broken lines
    got = {name: (tmp_path / f"{name}.jsonl").read_bytes() for name in "mte"}
    assert got == reference, f"seed {seed}, stopped after {stopped_at} lines"


def test_resume_cuts_a_half_written_line(small, reference, tmp_path):
    whole = reference["m"].splitlines(keepends=True)
    (tmp_path / "m.jsonl").write_bytes(b"".join(whole[:50]) + whole[50][:17])  # power loss mid-line
    (tmp_path / "t.jsonl").write_bytes(reference["t"][:-5])
    (tmp_path / "e.jsonl").write_bytes(b"")
    run_batch(
        small,
        tmp_path / "m.jsonl",
        threads_path=tmp_path / "t.jsonl",
        errors_path=tmp_path / "e.jsonl",
        workers=1,
        resume=True,
    )
    assert {name: (tmp_path / f"{name}.jsonl").read_bytes() for name in "mte"} == reference


def test_resume_refuses_an_output_of_another_input(small, reference, tmp_path, capsys):
    other = tmp_path / "m.jsonl"
    other.write_bytes(reference["m"].splitlines(keepends=True)[3])  # line 4's record as line 1
    assert main(["batch", str(small), "-o", str(other), "--workers", "1", "--resume"]) == 2
    assert "does not continue this input" in capsys.readouterr().err
    longer = tmp_path / "longer.jsonl"
    longer.write_bytes(reference["m"] + reference["m"])
    assert main(["batch", str(small), "-o", str(longer), "--workers", "1", "--resume", "--quiet"]) == 2
    assert "only 117 messages" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content, kept",
    [
        (b"", 0),
        (b'{"id": 1}\n', 1),
        (b'{"id": 1}\n{"id": 2', 1),
        (b'{"id": 1}\n{"id": 2}\n{"id"\n', 2),
        (b'{"id": 1}\n\x00\x00\x00', 1),
        (b"garbage", 0),
    ],
)
def test_output_repair(tmp_path, content, kept):
    path = tmp_path / "o.jsonl"
    path.write_bytes(content)
    out = JsonlOutput(path, resume=True)
    out.write(['{"id": 9}\n'])
    out.close()
    assert out.lines == kept
    assert lines(path.read_bytes())[-1] == {"id": 9} and count_lines(path) == kept + 1


def test_score_rows_gives_the_batch_lines_for_spark(small, reference):
    rows = [
        json.loads(line)
        for line in small.read_text(encoding="utf-8").splitlines()
        if not line.startswith('{"id": "broken"')
    ]
    rows.insert(5, {"id": "x", "thread": rows[4]["thread"], "text": float("nan")})
    got = score_rows(rows, Options())
    assert json.loads(got.pop(5)) == {"id": "x", "error": "missing field 'text'"}
    assert "".join(got).encode() == reference["m"]


def test_chatwork_rooms_and_mbox_end_to_end(tmp_path):
    rooms = tmp_path / "rooms"
    rooms.mkdir()
    room = [
        {
            "message_id": str(i),
            "account": {"account_id": 10 + i % 2, "name": f"u{i % 2}"},
            "body": body,
            "send_time": t,
            "update_time": 0,
        }
        for i, (body, t) in enumerate(
            [("例の件、どうなっていますか？", 0), ("[rp aid=10 to=5-0]確認します", 60), ("別件です", 86400)]
        )
    ]
    (rooms / "5.json").write_text(json.dumps(room, ensure_ascii=False), encoding="utf-8")
    assert (
        main(
            [
                "batch",
                str(rooms),
                "--me",
                "11",
                "-o",
                str(tmp_path / "cw.jsonl"),
                "--threads",
                str(tmp_path / "cwt.jsonl"),
                "--workers",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    records = lines((tmp_path / "cw.jsonl").read_bytes())
    assert [(r["id"], r["thread"], r["me"]) for r in records] == [
        ("0", "5-0", False),
        ("1", "5-0", True),
        ("2", "5-2", False),
    ]
    assert [t["thread"] for t in lines((tmp_path / "cwt.jsonl").read_bytes())] == ["5-0", "5-2"]
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(
        "From x\nFrom: A <a@example.com>\nMessage-ID: <1@x>\nX-GM-THRID: 9\nContent-Type: text/plain; charset=utf-8\n\n結構です。\n\n"
        "From x\nFrom: B <b@example.com>\nMessage-ID: <2@x>\nX-GM-THRID: 9\nContent-Type: text/plain; charset=nope\n\n壊れた\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "batch",
                str(mbox),
                "-o",
                str(tmp_path / "mail.jsonl"),
                "--errors",
                str(tmp_path / "err.jsonl"),
                "--workers",
                "1",
                "--quiet",
            ]
        )
        == 1
    )
    assert [(r["id"], r["thread"], r["channel"]) for r in lines((tmp_path / "mail.jsonl").read_bytes())] == [
        ("<1@x>", "9", "email")
    ]
    assert [e["where"] for e in lines((tmp_path / "err.jsonl").read_bytes())] == ["message 2"]
