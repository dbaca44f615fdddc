"""Read a thread from a file: JSON, or a plain-text export of chat or email.

Accepted formats (oldest message first):
  JSON     ``[{"author": "山田", "text": "…", "me": false}, …]`` or
           ``{"messages": [...], "draft": "…", "channel": "chat"|"email"}``
  JSONL    one message object per line, as ``hisho-tone batch`` reads them (``readers``)
  Chatwork a header line per message, ``[山田 太郎] 2026/11/20 10:02`` or ``[山田 太郎]``,
           followed by the message lines
  Email    messages that start with ``From: 山田 太郎 <yamada@example.co.jp>``; the header lines that
           follow (To:, Cc:, Date:, Subject:, 件名:, 日付:) are skipped
  Lines    one message per line, ``山田: 本文`` (or ``山田：本文``)
``me`` names the user, so their messages are marked ``"me": true``.
"""

from __future__ import annotations

import json
import re
from typing import Any

_CHATWORK = re.compile(r"^\[([^\]\n]{1,40})\](?:\s+\d{4}[/-]\d{1,2}[/-]\d{1,2}.*)?\s*$")
_FROM = re.compile(r"^(?:From|差出人|送信者)\s*[:：]\s*(.+?)\s*(?:<[^>]*>)?\s*$", re.IGNORECASE)
_MAIL_HEADER = re.compile(r"^(?:To|Cc|Bcc|Date|Sent|Subject|宛先|日付|件名|送信日時)\s*[:：]", re.IGNORECASE)
_LINE = re.compile(r"^([^:：\s][^:：]{0,29})[:：]\s*(.+)$")


class ThreadFormatError(ValueError):
    """The file is neither JSON nor one of the plain-text formats; the message says what was seen."""


def parse_thread(raw: str, me: str | None = None) -> dict[str, Any]:
    """Return ``{"messages": [...], "draft": str | None, "channel": str | None}``."""
    stripped = raw.strip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            jsonl = _from_jsonl(stripped, me)
            if jsonl is not None:
                return jsonl
            if not _CHATWORK.match(stripped.splitlines()[0]):
                raise ThreadFormatError(
                    f"looks like JSON but is not valid JSON ({exc.msg}, line {exc.lineno})"
                ) from exc
        else:
            return _from_json(data, me)
    lines = raw.splitlines()
    for header, kind in ((_CHATWORK, "chat"), (_FROM, "email")):
        if any(header.match(line) for line in lines):
            return {"messages": _blocks(lines, header, me), "draft": None, "channel": kind}
    matched = [_LINE.match(line) for line in lines if line.strip()]
    if matched and all(matched):
        return {
            "messages": [_message(m.group(1).strip(), m.group(2), me) for m in matched],
            "draft": None,
            "channel": "chat",
        }
    raise ThreadFormatError(
        "could not find messages: use JSON, '[名前] 日時' headers (Chatwork), 'From: 名前' headers (email) "
        "or one '名前: 本文' per line"
    )


def _message(author: str, text: str, me: str | None, flagged: bool = False) -> dict[str, Any]:
    return {"author": author, "text": text, "me": flagged or (me is not None and author == me)}


def _from_json(data: Any, me: str | None) -> dict[str, Any]:
    if isinstance(data, list):
        data = {"messages": data}
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ThreadFormatError("JSON must be a list of messages or an object with a 'messages' list")
    messages = []
    for i, m in enumerate(data["messages"]):
        if not isinstance(m, dict):
            raise ThreadFormatError(f"messages[{i}] must be an object")
        messages.append({**m, "me": bool(m.get("me")) or (me is not None and m.get("author") == me)})
    draft = data.get("draft")
    if draft is not None and not isinstance(draft, str):
        raise ThreadFormatError("'draft' must be a string")
    channel = data.get("channel")
    return {"messages": messages, "draft": draft, "channel": channel if channel in ("chat", "email") else None}


def _from_jsonl(raw: str, me: str | None) -> dict[str, Any] | None:
    """Messages of a JSONL file (the batch format), or None when it is not one."""
    from .readers import message_from_record

    messages = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            m = message_from_record(json.loads(line), n, me=me)
        except ValueError:
            return None
        messages.append({"author": m.author, "text": m.text, "me": m.me, "channel": m.channel})
    channel = messages[-1]["channel"] if messages else None
    return {
        "messages": [{k: v for k, v in m.items() if k != "channel"} for m in messages],
        "draft": None,
        "channel": channel,
    }


def _blocks(lines: list[str], header: re.Pattern[str], me: str | None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    author, body, in_headers = None, [], False
    for line in lines:
        m = header.match(line)
        if m:
            if author is not None:
                messages.append(_message(author, "\n".join(body).strip(), me))
            author, body, in_headers = m.group(1).strip(), [], header is _FROM
            continue
        if in_headers and _MAIL_HEADER.match(line):
            continue
        in_headers = False
        if author is not None:
            body.append(line)
    if author is not None:
        messages.append(_message(author, "\n".join(body).strip(), me))
    return [m for m in messages if m["text"]]
