"""Archive readers: JSONL, CSV, Chatwork room files and Gmail mbox, broken files included."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hisho_tone import readers
from hisho_tone.readers import Conversation, ReadError


def items(path: Path, **kw) -> tuple[list[Conversation], list[ReadError]]:
    out = list(readers.read(path, **kw))
    return [i for i in out if isinstance(i, Conversation)], [i for i in out if isinstance(i, ReadError)]


def jsonl(path: Path, rows: list) -> Path:
    with path.open("wb") as fh:
        for row in rows:
            fh.write(row if isinstance(row, bytes) else json.dumps(row, ensure_ascii=False).encode() + b"\n")
    return path


# -- JSONL ----------------------------------------------------------------------------------------
def test_jsonl_groups_contiguous_threads_and_reads_every_field(tmp_path):
    path = jsonl(
        tmp_path / "m.jsonl",
        [
            {
                "id": "a1",
                "thread": "A",
                "author": "田中",
                "time": "2026-11-20T10:00:00+09:00",
                "text": "例の件お願いします",
            },
            {"id": "a2", "thread": "A", "author": "佐藤", "me": True, "time": 1795136400, "text": "承知しました"},
            {"id": "b1", "room": "B", "author": "鈴木", "channel": "email", "text": "ご確認ください"},
            {"text": "スレッドなし"},
        ],
    )
    convs, errors = items(path, me="鈴木")
    assert errors == []
    assert [(c.thread, [m.id for m in c.messages]) for c in convs] == [("A", ["a1", "a2"]), ("B", ["b1"]), ("4", ["4"])]
    a1, a2 = convs[0].messages
    assert a1.time == 1795136400.0 and a2.time == 1795136400.0  # ISO with offset and epoch agree
    assert (a1.me, a2.me, convs[1].messages[0].me) == (False, True, True)
    assert (a1.channel, convs[1].messages[0].channel) == ("chat", "email")


BROKEN_LINES = [
    (b'{"id": 1, "thread": "A", "text": "\x82\xa0\x82\xa2"}\n', "not valid UTF-8"),  # Shift_JIS
    (b'{"id": 2, "thread": "A", "text": "truncat\n', "not valid JSON"),
    (b'{"id": 3, "thread": "A", "author": "x"}\n', "missing field 'text'"),
    (b'{"id": 4, "thread": "A", "text": 5}\n', "'text' must be a string"),
    (b'{"id": 5, "thread": "A", "text": "x", "channel": "fax"}\n', "'channel' must be chat or email"),
    (b'{"id": 6, "thread": "A", "text": "x", "time": "yesterday"}\n', "'time' must be ISO 8601"),
    (b'{"id": 7, "thread": "A", "text": "x", "me": "maybe"}\n', "'me' must be true or false"),
    (b"[1, 2]\n", "expected an object"),
]


@pytest.mark.parametrize("line, reason", BROKEN_LINES)
def test_jsonl_broken_line_is_an_error_record_and_the_run_goes_on(tmp_path, line, reason):
    path = jsonl(
        tmp_path / "m.jsonl",
        [{"id": "ok1", "thread": "A", "text": "前"}, line, {"id": "ok2", "thread": "A", "text": "後"}],
    )
    convs, errors = items(path)
    assert [m.id for c in convs for m in c.messages] == ["ok1", "ok2"]
    assert len(errors) == 1 and errors[0].where == "line 2" and reason in errors[0].reason
    assert errors[0].source == str(path)


def test_jsonl_thread_that_comes_back_is_reported_and_read_separately(tmp_path):
    path = jsonl(
        tmp_path / "m.jsonl",
        [
            {"id": 1, "thread": "A", "text": "a"},
            {"id": 2, "thread": "B", "text": "b"},
            {"id": 3, "thread": "A", "text": "c"},
        ],
    )
    convs, errors = items(path)
    assert [(c.thread, len(c.messages)) for c in convs] == [("A", 1), ("B", 1), ("A", 1)]
    assert len(errors) == 1 and "sort the input by thread" in errors[0].reason and errors[0].where == "message 3"


def test_long_thread_is_cut_into_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CONVERSATION", 3)
    path = jsonl(tmp_path / "m.jsonl", [{"id": i, "thread": "A", "text": "x"} for i in range(7)])
    convs, errors = items(path)
    assert [len(c.messages) for c in convs] == [3, 3, 1] and errors == []


# -- CSV ------------------------------------------------------------------------------------------
def test_csv_reads_rows_and_reports_bad_ones(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        "id,thread,author,me,time,text\n"
        '1,A,田中,false,2026-11-20 10:00,"改行を\n含む本文"\n'
        "2,A,佐藤,true,,承知しました\n".encode()
        + b"3,A,x,false,,\x82\xa0\n"  # Shift_JIS
        + "4,A,x,false,,本文,余計な列\n5,A,x,perhaps,,本文\n6,B,y,,,最後\n".encode()
    )
    convs, errors = items(path)
    assert [[m.id for m in c.messages] for c in convs] == [["1", "2"], ["6"]]
    assert convs[0].messages[0].text == "改行を\n含む本文" and convs[0].messages[1].me
    assert [(e.where, e.reason) for e in errors] == [
        ("line 5", "text is not valid UTF-8"),
        ("line 6", "more fields than the header names"),
        ("line 7", "'me' must be true or false"),
    ]


def test_csv_without_a_text_column_is_one_error(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,body\n1,x\n", encoding="utf-8")
    convs, errors = items(path)
    assert convs == [] and [e.reason for e in errors] == ["the header has no 'text' column"]


# -- Chatwork -------------------------------------------------------------------------------------
def cw(mid: int, aid: int, body: str, t: int, name: str = "") -> dict:
    return {
        "message_id": str(mid),
        "account": {"account_id": aid, "name": name or f"user{aid}"},
        "body": body,
        "send_time": t,
        "update_time": 0,
    }


H = 3600


def test_chatwork_splits_rooms_by_silence_unless_a_reply_or_quote_bridges_it(tmp_path):
    room = [
        cw(1, 10, "資料の件です", 0),
        cw(2, 20, "[rp aid=10 to=55-1]田中さん\n承知しました", 60),
        cw(3, 10, "別件ですが", 5 * H),  # silence: a new conversation
        cw(4, 20, "[rp aid=10 to=55-3]了解です", 9 * H),  # silence bridged by a reply into it
        cw(5, 10, f"[qt][qtmeta aid=20 time={9 * H}]了解です[/qt]よろしく", 20 * H),  # bridged by a quote
        cw(6, 30, "[rp aid=10 to=55-1]最初の件ですが", 20 * H + 60),  # a reply outside: new conversation
    ]
    (tmp_path / "55.json").write_text(json.dumps(room, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "7.json").write_text(json.dumps([cw(9, 10, "おはようございます", 0)]), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    convs, errors = items(tmp_path, me="20")
    assert errors == []
    assert [(c.thread, [m.id for m in c.messages]) for c in convs] == [
        ("7-9", ["9"]),
        ("55-1", ["1", "2"]),
        ("55-3", ["3", "4", "5"]),
        ("55-6", ["6"]),
    ]
    assert [m.me for m in convs[1].messages] == [False, True]
    assert all(m.thread == c.thread for c in convs for m in c.messages)
    assert convs[1].messages[0].author == "user10" and convs[1].messages[0].time == 0.0
    one_room, _ = items(tmp_path / "55.json")
    assert [c.thread for c in one_room] == ["55-1", "55-3", "55-6"]


def test_chatwork_gap_is_configurable(tmp_path):
    room = [cw(1, 10, "a", 0), cw(2, 20, "b", 2 * H)]
    (tmp_path / "1.json").write_text(json.dumps(room), encoding="utf-8")
    assert len(items(tmp_path)[0]) == 1
    assert len(items(tmp_path, gap_hours=1)[0]) == 2


def test_chatwork_broken_files_keep_what_can_be_read(tmp_path):
    good = [cw(1, 10, "一つ目", 0), cw(2, 20, "二つ目", 60)]
    text = json.dumps(good + [cw(3, 10, "三つ目", 120)], ensure_ascii=False)
    (tmp_path / "1.json").write_text(text[: text.rindex("三つ目") + 2], encoding="utf-8")  # cut short
    (tmp_path / "2.json").write_bytes(
        b'[{"message_id": "1", "account": {"account_id": 1}, "body": "\x82\xa0", "send_time": 0}]'
    )
    missing = [
        {"message_id": "7", "account": {"account_id": 1}, "send_time": 0},
        {"body": "x", "send_time": 0},
        cw(9, 1, "ok", 0),
        "junk",
    ]
    (tmp_path / "3.json").write_text(json.dumps(missing), encoding="utf-8")
    (tmp_path / "4.json").write_text('{"messages": []}', encoding="utf-8")
    (tmp_path / "5.json").write_text("", encoding="utf-8")
    convs, errors = items(tmp_path)
    assert [[m.id for m in c.messages] for c in convs] == [["1", "2"], ["9"]]
    got = [(Path(e.source).name, e.where, e.reason.split(" (")[0].split(" at ")[0]) for e in errors]
    assert got == [
        ("1.json", "after item 1", "truncated JSON"),
        ("2.json", "file", "not valid UTF-8; the rest of the file is skipped"),
        ("3.json", "message 7", "missing field 'body'"),
        ("3.json", "item 1", "missing field 'message_id'"),
        ("3.json", "item 3", "expected an object, got str"),
        ("4.json", "file", "not a JSON array of messages"),
        ("5.json", "file", "empty file"),
    ]


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_json_array_is_read_in_small_pieces(chunk):
    data = [{"n": i, "s": "日本語" * i} for i in range(20)] + [123456789, "text", [1, [2]]]
    assert list(readers._json_array(io.StringIO(json.dumps(data, ensure_ascii=False)), chunk=chunk)) == data


def test_json_array_reports_invalid_json_without_reading_it_all():
    with pytest.raises(ValueError, match="invalid JSON"):
        list(readers._json_array(io.StringIO('[{"a": 1}, {"b": tru}, ' + " " * 500 + "]"), chunk=8, max_item=64))


# -- Gmail mbox -----------------------------------------------------------------------------------
def mail(
    thrid: str | None,
    msgid: str,
    sender: str,
    body: str,
    date: str,
    extra: str = "",
    ctype: str = "text/plain; charset=utf-8",
) -> str:
    head = f"From 1@xxx Mon Nov 20 10:00:00 +0000 2026\nFrom: {sender}\nTo: x@example.com\nMessage-ID: <{msgid}>\nDate: {date}\nSubject: s\n"
    if thrid:
        head += f"X-GM-THRID: {thrid}\n"
    return head + extra + f"MIME-Version: 1.0\nContent-Type: {ctype}\n\n{body}\n\n"


BROKEN_PART = "--b\nContent-Type: text/plain; charset=x-unknown-charset\n\n本文\n--b--"


def test_mbox_threads_by_gm_thrid_then_references(tmp_path):
    html = "<html><head><style>p{}</style></head><body><p>ご確認ください。</p><blockquote>以前の&amp;引用</blockquote></body></html>"
    text = "".join(
        [
            mail(
                "T1", "a@x", "田中 <tanaka@example.com>", "例の件、どうなりましたか", "Fri, 20 Nov 2026 10:00:00 +0900"
            ),
            mail(
                "T2",
                "b@x",
                "Sato <sato@example.com>",
                html,
                "Fri, 20 Nov 2026 11:00:00 +0900",
                ctype="text/html; charset=utf-8",
            ),
            mail(
                "T1", "c@x", "Me <ME@example.com>", "確認します\n>From the archive", "Fri, 20 Nov 2026 12:00:00 +0900"
            ),
            mail(
                "T1",
                "d@x",
                "田中 <tanaka@example.com>",
                BROKEN_PART,
                "Fri, 20 Nov 2026 13:00:00 +0900",
                ctype='multipart/alternative; boundary="b"',
            ),
            mail(None, "e@x", "Old <o@example.com>", "最初", "Thu, 19 Nov 2026 09:00:00 +0900"),
            mail(
                None,
                "f@x",
                "Me <me@example.com>",
                "返信",
                "Thu, 19 Nov 2026 10:00:00 +0900",
                extra="In-Reply-To: <e@x>\n",
            ),
            mail(
                None,
                "g@x",
                "Old <o@example.com>",
                "再返信",
                "Thu, 19 Nov 2026 11:00:00 +0900",
                extra="References: <e@x> <f@x>\n",
            ),
        ]
    )
    path = tmp_path / "All mail.mbox"
    path.write_text(text, encoding="utf-8")
    convs, errors = items(path, me="me@example.com")
    assert [(c.thread, [m.id for m in c.messages]) for c in convs] == [
        ("T1", ["<a@x>", "<c@x>"]),
        ("T2", ["<b@x>"]),
        ("<e@x>", ["<e@x>", "<f@x>", "<g@x>"]),
    ]
    assert [(e.where, e.reason) for e in errors] == [
        ("message 4", "no readable text part (unknown charset 'x-unknown-charset')")
    ]
    t1 = convs[0].messages
    assert t1[0].author == "田中" and not t1[0].me and t1[1].me and t1[1].channel == "email"
    assert t1[1].text.strip() == "確認します\nFrom the archive"
    assert convs[1].messages[0].text == "ご確認ください。\n> 以前の&引用"
    assert [m.me for m in convs[2].messages] == [False, True, False]


def test_mbox_that_is_not_an_mbox_is_a_clear_error(tmp_path):
    path = tmp_path / "x.mbox"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not an mbox"):
        list(readers.read(path))


@pytest.mark.parametrize(
    "name, content, fmt",
    [
        ("a.jsonl", "{}", "jsonl"),
        ("a.json", '{"text": "x"}', "jsonl"),
        ("55.json", " [{}]", "chatwork"),
        ("a.csv", "text\n", "csv"),
        ("a.mbox", "", "mbox"),
        ("noext", "From x\n", "mbox"),
        ("noext2", '{"text": 1}', "jsonl"),
    ],
)
def test_format_is_detected(tmp_path, name, content, fmt):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert readers.detect_format(path) == fmt


def test_count_matches_the_records(tmp_path):
    path = jsonl(tmp_path / "m.jsonl", [{"text": "a"}, b"\n", {"text": "b"}, b"broken\n"])
    assert readers.count(path) == 3
