"""Read message archives as a stream of conversations, in bounded memory.

``read(path)`` yields ``Conversation`` and ``ReadError`` items in a fixed order (the same on
every run, so a batch can be resumed). A malformed record never stops the stream: it becomes a
``ReadError`` naming the source, where in it, and why (never the message text).

Formats (``detect_format`` picks one from the path):
  jsonl     one JSON object per line: ``id``, ``thread`` (or ``room``), ``author``, ``me``,
            ``time`` (ISO 8601 or epoch seconds), ``channel`` (``chat``/``email``), ``text``.
            Messages of one thread must be contiguous (sort the file by thread first); a thread
            that comes back after another one started is read as a separate conversation and
            reported. A message without ``thread`` is a conversation of its own.
  csv       the same fields as columns, with a header row.
  chatwork  a directory of ``<room_id>.json`` files (or one such file), each the message list of Chatwork's API
            (``message_id``, ``account.account_id``, ``account.name``, ``body``, ``send_time``).
            A room is cut into conversations by silence longer than ``gap_hours`` unless the
            message replies to (``[rp … to=ROOM-MID]``) or quotes (``[qt][qtmeta aid=… time=…]``)
            one of the current conversation, and by a reply or quote to a message outside it.
  mbox      an mbox file as Google Takeout writes it: threads by ``X-GM-THRID``, else by the first
            ``References`` id (or ``In-Reply-To``); text/plain preferred, HTML turned into text.
            An index of offsets is kept in a temporary SQLite file, so threads are whole however
            the file is ordered: threads come in the order of their first message in the file,
            messages within a thread by date.
Conversations longer than ``MAX_CONVERSATION`` messages are cut into parts (``analyze_thread``
reads only the latest 200 messages of a conversation anyway).
"""

from __future__ import annotations

import csv
import email
import email.message
import email.policy
import email.utils
import io
import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator

MAX_CONVERSATION = 1000
FORMATS = ("jsonl", "csv", "chatwork", "mbox")


@dataclass(frozen=True, slots=True)
class Message:
    """One message of an archive, as the batch scores it."""

    id: str
    thread: str
    author: str
    text: str
    me: bool = False
    time: float | None = None  # epoch seconds
    channel: str = "chat"


@dataclass(frozen=True, slots=True)
class Conversation:
    """Messages of one thread (or one part of a long thread), oldest first."""

    thread: str
    messages: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class ReadError:
    """A record that could not be read: where it is and why (never its text)."""

    source: str
    where: str  # "line 12", "message 4711", "item 3", "byte 1024", "file"
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "where": self.where, "reason": self.reason}


Item = Conversation | ReadError


def detect_format(path: Path) -> str:
    """``chatwork`` for a directory (or a ``.json`` array: one room), else from the suffix, else from the first bytes."""
    if path.is_dir():
        return "chatwork"
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(64).lstrip()
    if suffix == ".json" and head.startswith(b"["):
        return "chatwork"  # one room file
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".mbox":
        return "mbox"
    if head.startswith(b"From "):
        return "mbox"
    if head.startswith(b"{"):
        return "jsonl"
    raise ValueError(f"cannot tell the format of {path}: use --format {'|'.join(FORMATS)}")


def read(
    path: str | Path, fmt: str = "auto", *, me: str | None = None, gap_hours: float = 3.0, channel: str = "chat"
) -> Iterator[Item]:
    """Conversations and errors of the archive at ``path``, in a fixed order."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        return _contiguous(_jsonl_messages(path, channel, me), str(path))
    if fmt == "csv":
        return _contiguous(_csv_messages(path, channel, me), str(path))
    if fmt == "chatwork":
        return _chatwork(path, me, gap_hours * 3600)
    if fmt == "mbox":
        return _mbox(path, me)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def count(path: str | Path, fmt: str = "auto") -> int:
    """A quick count of the records (for a progress bar's total; errors included)."""
    path = Path(path)
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    if fmt == "csv":
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            return max(0, sum(1 for _ in csv.reader(fh)) - 1)
    if fmt == "chatwork":
        total = 0
        for file in _room_files(path):
            try:
                with file.open(encoding="utf-8") as fh:
                    total += sum(1 for _ in _json_array(fh))
            except (ValueError, UnicodeDecodeError, OSError):
                pass
        return total
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.startswith(b"From "))


# -- fields ---------------------------------------------------------------------------------------
class _Bad(ValueError):
    """A record's field is missing or malformed (the message says which)."""


def _time(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Bad("'time' must be ISO 8601 or epoch seconds")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise _Bad("'time' must be ISO 8601 or epoch seconds") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.timestamp()
    raise _Bad("'time' must be ISO 8601 or epoch seconds")


def _flag(value: Any) -> bool:
    if value is None or value == "" or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "false", "0", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    if isinstance(value, int):
        return bool(value)
    raise _Bad("'me' must be true or false")


def message_from_record(record: Any, line: int, default_channel: str = "chat", me: str | None = None) -> Message:
    """A Message from one JSONL/CSV record; ``ValueError`` names the missing or malformed field."""
    return _message(record, line, default_channel, me)


def _message(record: Any, line: int, default_channel: str, me: str | None) -> Message:
    if not isinstance(record, dict):
        raise _Bad(f"expected an object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise _Bad("missing field 'text'" if text is None else "'text' must be a string")
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raise _Bad("text is not valid UTF-8")
    ident = record.get("id")
    ident = str(line) if ident in (None, "") else str(ident)
    thread = record.get("thread", record.get("room"))
    thread = ident if thread in (None, "") else str(thread)
    author = record.get("author")
    author = "" if author is None else str(author)
    chan = record.get("channel") or default_channel
    if chan not in ("chat", "email"):
        raise _Bad("'channel' must be chat or email")
    flagged = _flag(record.get("me")) or (me is not None and author == me)
    return Message(ident, thread, author, text, flagged, _time(record.get("time")), chan)


# -- JSONL and CSV --------------------------------------------------------------------------------
def _jsonl_messages(path: Path, channel: str, me: str | None) -> Iterator[Message | ReadError]:
    source = str(path)
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                yield _message(record, n, channel, me)
            except UnicodeDecodeError:
                yield ReadError(source, f"line {n}", "not valid UTF-8")
            except json.JSONDecodeError as exc:
                yield ReadError(source, f"line {n}", f"not valid JSON ({exc.msg} at column {exc.colno})")
            except _Bad as exc:
                yield ReadError(source, f"line {n}", str(exc))


def _csv_messages(path: Path, channel: str, me: str | None) -> Iterator[Message | ReadError]:
    source = str(path)
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh, dialect="excel-tab" if path.suffix.lower() == ".tsv" else "excel")
        try:
            fields = reader.fieldnames or []
        except csv.Error as exc:
            yield ReadError(source, "line 1", f"not valid CSV ({exc})")
            return
        if "text" not in fields:
            yield ReadError(source, "line 1", "the header has no 'text' column")
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield ReadError(source, f"line {reader.line_num}", f"not valid CSV ({exc})")
                continue
            try:
                if None in row:
                    raise _Bad("more fields than the header names")
                yield _message(row, reader.line_num, channel, me)
            except _Bad as exc:
                yield ReadError(source, f"line {reader.line_num}", str(exc))


def _contiguous(items: Iterable[Message | ReadError], source: str) -> Iterator[Item]:
    """Group consecutive messages of one thread; report a thread that comes back later."""
    seen: set[str] = set()
    current: list[Message] = []
    for item in items:
        if isinstance(item, ReadError):
            yield item
            continue
        if current and (item.thread != current[0].thread or len(current) >= MAX_CONVERSATION):
            yield Conversation(current[0].thread, tuple(current))
            if item.thread != current[0].thread:
                seen.add(current[0].thread)
            current = []
        if not current and item.thread in seen:
            yield ReadError(
                source,
                f"message {item.id}",
                f"thread {item.thread!r} continues after other threads: read as a separate conversation (sort the input by thread)",
            )
        current.append(item)
    if current:
        yield Conversation(current[0].thread, tuple(current))


# -- Chatwork -------------------------------------------------------------------------------------
_RP = re.compile(r"\[rp aid=\d+ to=\d+-(\d+)\]")
_QT = re.compile(r"\[qtmeta aid=(\d+) time=(\d+)\]")


def _room_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    files = [p for p in directory.iterdir() if p.suffix == ".json" and p.is_file()]
    return sorted(files, key=lambda p: (0, int(p.stem), "") if p.stem.isdigit() else (1, 0, p.stem))


def _json_array(fh: io.TextIOBase, chunk: int = 1 << 16, max_item: int = 8 << 20) -> Iterator[Any]:
    """Items of a top-level JSON array, decoded one at a time (the file is never read whole).

    Raises ``ValueError`` (with the character offset) for a file that is not an array, is cut
    short, or holds invalid JSON; the items before it have been yielded.
    """
    decoder = json.JSONDecoder()
    buf, pos, base, eof = "", 0, 0, False

    def more() -> None:
        nonlocal buf, pos, base, eof
        data = fh.read(chunk)
        eof = not data
        base += pos
        buf, pos = buf[pos:] + data, 0

    def skip(chars: str) -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and (buf[pos].isspace() or buf[pos] in chars):
                pos += 1
            if pos < len(buf) or eof:
                return
            more()

    more()
    skip("")
    if pos >= len(buf) or buf[pos] != "[":
        raise ValueError("not a JSON array of messages" if buf else "empty file")
    pos += 1
    while True:
        skip(",")
        if pos >= len(buf):
            raise ValueError(f"truncated JSON: the file ends at character {base + pos} before ']'")
        if buf[pos] == "]":
            return
        try:
            item, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            if not eof and len(buf) - pos < max_item:
                more()
                continue
            what = "truncated JSON" if eof else "invalid JSON"
            raise ValueError(
                f"{what} at character {base + exc.pos} ({exc.msg}); the rest of the file is skipped"
            ) from None
        if end == len(buf) and not eof and not isinstance(item, (dict, list, str)):
            more()  # a number at the end of the buffer may go on in the next chunk
            continue
        yield item
        pos = end


def _chatwork_message(room: str, item: Any, me: str | None) -> tuple[Message, int | None]:
    if not isinstance(item, dict):
        raise _Bad(f"expected an object, got {type(item).__name__}")
    mid = item.get("message_id")
    if mid in (None, ""):
        raise _Bad("missing field 'message_id'")
    account = item.get("account")
    body = item.get("body")
    if not isinstance(account, dict) or account.get("account_id") is None:
        raise _Bad("missing field 'account.account_id'")
    if not isinstance(body, str):
        raise _Bad("missing field 'body'" if body is None else "'body' must be a string")
    send_time = item.get("send_time")
    if not isinstance(send_time, (int, float)) or isinstance(send_time, bool):
        raise _Bad("missing field 'send_time'" if send_time is None else "'send_time' must be epoch seconds")
    aid = str(account["account_id"])
    name = account.get("name")
    message = Message(
        str(mid), room, str(name) if name else aid, body, me is not None and aid == me, float(send_time), "chat"
    )
    return message, int(send_time)


def _chatwork(directory: Path, me: str | None, gap: float) -> Iterator[Item]:
    files = _room_files(directory)
    if not files:
        raise ValueError(f"{directory} has no <room_id>.json files")
    for file in files:
        yield from _chatwork_room(file, me, gap)


def _chatwork_room(file: Path, me: str | None, gap: float) -> Iterator[Item]:
    source, room = str(file), file.stem
    current: list[Message] = []
    ids: set[str] = set()
    stamps: set[tuple[str, int]] = set()
    index = -1

    def close() -> Iterator[Conversation]:
        if current:
            yield Conversation(f"{room}-{current[0].id}", tuple(current))
        current.clear()
        ids.clear()
        stamps.clear()

    try:
        with file.open(encoding="utf-8") as fh:
            for index, item in enumerate(_json_array(fh)):
                try:
                    message, send_time = _chatwork_message(room, item, me)
                except _Bad as exc:
                    mid = item.get("message_id") if isinstance(item, dict) else None
                    yield ReadError(source, f"message {mid}" if mid not in (None, "") else f"item {index}", str(exc))
                    continue
                links = [("id", m) for m in _RP.findall(message.text)] + [
                    ("qt", (a, int(t))) for a, t in _QT.findall(message.text)
                ]
                linked_here = any((ids if kind == "id" else stamps).__contains__(key) for kind, key in links)
                silent = bool(current) and (message.time or 0) - (current[-1].time or 0) > gap
                if current and (
                    (links and not linked_here) or (silent and not linked_here) or len(current) >= MAX_CONVERSATION
                ):
                    yield from close()
                current.append(
                    Message(
                        message.id,
                        f"{room}-{(current[0] if current else message).id}",
                        message.author,
                        message.text,
                        message.me,
                        message.time,
                        "chat",
                    )
                )
                ids.add(message.id)
                stamps.add((str(item["account"]["account_id"]), send_time))
    except UnicodeDecodeError:
        yield ReadError(
            source, "file" if index < 0 else f"after item {index}", "not valid UTF-8; the rest of the file is skipped"
        )
    except ValueError as exc:
        yield ReadError(source, "file" if index < 0 else f"after item {index}", str(exc))
    except OSError as exc:
        yield ReadError(source, "file", f"cannot read ({exc.strerror})")
    yield from close()


# -- Gmail mbox -----------------------------------------------------------------------------------
_MSGID = re.compile(r"<[^<>\s]+>")


class _HTMLText(HTMLParser):
    """Text of an HTML mail part: block tags become line breaks, blockquotes become '> ' lines."""

    BLOCK = frozenset("p div br tr li h1 h2 h3 h4 h5 h6 table ul ol pre hr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[Any]] = [[0, ""]]
        self.depth = 0
        self.skipping = 0

    def _newline(self) -> None:
        if self.lines[-1][1].strip():
            self.lines.append([self.depth, ""])
        else:
            self.lines[-1][0] = self.depth

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping += 1
        elif tag == "blockquote":
            self.depth += 1
            self._newline()
        elif tag in self.BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
            self._newline()
        elif tag in self.BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.lines[-1][1] += re.sub(r"\s+", " ", data)

    def text(self) -> str:
        return "\n".join("> " * depth + line.strip() for depth, line in self.lines if line.strip())


def html_to_text(html: str) -> str:
    """Plain text of an HTML mail body (quoted blocks marked with '> ' as in plain-text mail)."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _part_text(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise _Bad("empty text part")
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset)
    except LookupError:
        raise _Bad(f"unknown charset {charset!r}") from None
    except UnicodeDecodeError:
        raise _Bad(f"text part is not valid {charset}") from None


def mail_text(msg: email.message.Message) -> str:
    """The body as text: the first readable text/plain part, else HTML converted to text."""
    problems = []
    for wanted in ("text/plain", "text/html"):
        for part in msg.walk():
            if part.get_content_type() != wanted or part.get_content_disposition() == "attachment":
                continue
            try:
                text = _part_text(part)
            except _Bad as exc:
                problems.append(str(exc))
                continue
            return text if wanted == "text/plain" else html_to_text(text)
    raise _Bad("no readable text part" + (f" ({'; '.join(problems)})" if problems else ""))


def _mbox_spans(fh: io.BufferedReader) -> Iterator[tuple[int, int, bytes]]:
    """(offset, length, header bytes) of each message after its 'From ' separator line."""
    start, offset, previous_blank, head, in_head = None, 0, True, [], False
    for line in fh:
        if previous_blank and line.startswith(b"From "):
            if start is not None:
                yield start, offset - start, b"".join(head)
            start, head, in_head = offset + len(line), [], True
        elif in_head:
            if line.strip() and sum(map(len, head)) < 1 << 16:
                head.append(line)
            else:
                in_head = False
        previous_blank = line in (b"\n", b"\r\n")
        offset += len(line)
    if start is not None:
        yield start, offset - start, b"".join(head)


def _mbox(path: Path, me: str | None) -> Iterator[Item]:
    with tempfile.TemporaryDirectory(prefix="hisho-tone-") as tmp:
        db = sqlite3.connect(os.path.join(tmp, "index.sqlite"))
        try:
            yield from _mbox_index(path, db)
            yield from _mbox_threads(path, db, me)
        finally:
            db.close()


def _thread_key(head: email.message.Message, db: sqlite3.Connection) -> tuple[str, str]:
    own = (_MSGID.findall(head.get("Message-ID", "") or "") or [""])[0]
    thrid = (head.get("X-GM-THRID") or "").strip()
    if thrid:
        return own, thrid
    refs = _MSGID.findall(head.get("References", "") or "") or _MSGID.findall(head.get("In-Reply-To", "") or "")
    if not refs:
        return own, own
    found = db.execute("SELECT key FROM ids WHERE msgid = ?", (refs[0],)).fetchone()
    return own, found[0] if found else refs[0]


def _mbox_index(path: Path, db: sqlite3.Connection) -> Iterator[ReadError]:
    db.executescript(
        "CREATE TABLE m (seq INTEGER PRIMARY KEY, key TEXT, time REAL, offset INTEGER, length INTEGER);"
        "CREATE TABLE t (key TEXT PRIMARY KEY, first INTEGER);"
        "CREATE TABLE ids (msgid TEXT PRIMARY KEY, key TEXT);"
    )
    with path.open("rb") as fh:
        if fh.read(5) not in (b"From ", b""):
            raise ValueError(f"{path} is not an mbox file: it does not start with a 'From ' line")
        fh.seek(0)
        for seq, (offset, length, raw) in enumerate(_mbox_spans(fh)):
            try:
                head = email.message_from_bytes(raw, policy=email.policy.compat32)
                own, key = _thread_key(head, db)
                when = _mail_time(head.get("Date"))
            except Exception as exc:  # noqa: BLE001 - any header defect is one error record
                yield ReadError(str(path), f"message {seq + 1}", f"unreadable headers ({type(exc).__name__})")
                continue
            db.execute("INSERT INTO m VALUES (?, ?, ?, ?, ?)", (seq, key, when, offset, length))
            db.execute("INSERT OR IGNORE INTO t VALUES (?, ?)", (key, seq))
            if own:
                db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (own, key))
    db.commit()


def _mail_time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def _mbox_threads(path: Path, db: sqlite3.Connection, me: str | None) -> Iterator[Item]:
    rows = db.execute(
        "SELECT m.seq, m.key, m.offset, m.length FROM m JOIN t USING (key) ORDER BY t.first, coalesce(m.time, 0), m.seq"
    )
    mine = (me or "").strip().lower()
    current: list[Message] = []
    with path.open("rb") as fh:
        for seq, key, offset, length in rows:
            if current and (current[0].thread != key or len(current) >= MAX_CONVERSATION):
                yield Conversation(current[0].thread, tuple(current))
                current = []
            fh.seek(offset)
            raw = fh.read(length)
            try:
                msg = email.message_from_bytes(_unescape_from(raw), policy=email.policy.default)
                text = mail_text(msg)
                name, address = email.utils.parseaddr(str(msg.get("From", "")))
            except _Bad as exc:
                yield ReadError(str(path), f"message {seq + 1}", str(exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a broken MIME structure is one error record
                yield ReadError(str(path), f"message {seq + 1}", f"broken MIME structure ({type(exc).__name__})")
                continue
            ident = (_MSGID.findall(str(msg.get("Message-ID", ""))) or [str(seq + 1)])[0]
            author = name or address
            current.append(
                Message(
                    ident,
                    key,
                    author,
                    text,
                    bool(mine) and address.lower() == mine,
                    _mail_time(msg.get("Date")),
                    "email",
                )
            )
    if current:
        yield Conversation(current[0].thread, tuple(current))


def _unescape_from(raw: bytes) -> bytes:
    """mboxrd: '>From ' at a line start in a body was a 'From ' line."""
    return re.sub(rb"(?m)^>(>*From )", rb"\1", raw)
