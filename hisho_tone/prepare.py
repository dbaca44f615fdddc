"""Decide which parts of a draft are the writer's own words.

For email, quoted history (``>`` lines, "-----Original Message-----", "On … wrote:", Japanese
"2026年11月20日(金) 10:02 山田 <a@b>:" headers, forwarded blocks) and the signature are set aside:
they are not what the writer is about to say. Chat drafts are used whole. The result is a list of
[start, end) spans of the ORIGINAL text, so offsets stay true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that starts a block of history: everything from it to the end is history.
_HISTORY_START = re.compile(
    r"""^\s*(?:
        -{2,}\s*Original\s+Message\s*-{2,}
      | -{2,}\s*(?:Forwarded\s+message|転送メッセージ|元のメッセージ)\s*-{2,}
      | ＿{5,}|_{10,}
      | (?:On\s.{4,200}\swrote:)
      | (?:\d{4}年\s*\d{1,2}月\s*\d{1,2}日.{0,80}(?:<[^>\s]+@[^>\s]+>|[\w.+-]+@[\w.-]+).{0,40}[:：]\s*$)
      | (?:\d{4}[/-]\d{1,2}[/-]\d{1,2}.{0,60}(?:<[^>\s]+@[^>\s]+>).{0,40}[:：]\s*$)
      | (?:(?:From|差出人|送信者)\s*[:：].{0,200}$)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^\s*[>＞]")
_SIG_DELIMITER = re.compile(r"^(?:-- ?|—— ?)$")
_RULE_LINE = re.compile(r"^\s*(?:[-=_━─＝*＊~〜]{6,})\s*$")
_CONTACT = re.compile(
    r"(?:TEL|Tel|tel|電話|FAX|Fax|携帯|Mobile|E-?mail|Mail|mail|メール|URL|https?://|www\.|〒|[\w.+-]+@[\w-]+\.[\w.]+|\d{2,4}-\d{2,4}-\d{3,4})"
)
_ORG = re.compile(r"(?:株式会社|有限会社|合同会社|\(株\)|（株）|Inc\.|Co\.,|事務所|部|課|室|担当)")


@dataclass(frozen=True, slots=True)
class Prepared:
    """The spans of the original text that hold the writer's own words, and what was set aside."""

    spans: list[tuple[int, int]]
    quoted_chars: int = 0
    signature_chars: int = 0


def _lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line, without its newline."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        out.append((pos, pos + len(stripped)))
        pos += len(line)
    return out


def _signature_start(text: str, lines: list[tuple[int, int]], end_line: int) -> int:
    """Index of the first signature line among lines[:end_line], or end_line if none."""
    for i in range(end_line):
        s, e = lines[i]
        if _SIG_DELIMITER.match(text[s:e]):
            return i
    # A closing block: a rule line, or the trailing run of short lines with contact details.
    for i in range(end_line - 1, -1, -1):
        s, e = lines[i]
        if _RULE_LINE.match(text[s:e]):
            block = text[s : lines[end_line - 1][1]] if end_line else ""
            if _CONTACT.search(block) and i >= 1:
                return i
    contact_lines, name_lines, start = 0, 0, end_line
    i = end_line - 1
    while i >= 0:
        s, e = lines[i]
        line = text[s:e].strip()
        if not line:
            i -= 1
            continue
        if len(line) <= 60 and (_CONTACT.search(line) or (_ORG.search(line) and contact_lines)):
            contact_lines += 1
            start = i
            i -= 1
            continue
        # a name line just above the contact lines (short, no sentence punctuation)
        if contact_lines and name_lines < 2 and len(line) <= 25 and not re.search(r"[。！？!?、]", line):
            name_lines += 1
            start = i
            i -= 1
            continue
        break
    return start if contact_lines >= 2 else end_line


def prepare(text: str, channel: str) -> Prepared:
    """Return the spans of ``text`` that should be analysed for ``channel`` ("chat" or "email")."""
    if channel != "email" or not text:
        return Prepared([(0, len(text))])
    lines = _lines(text)
    history_line = len(lines)
    for i, (s, e) in enumerate(lines):
        if _HISTORY_START.match(text[s:e]):
            history_line = i
            break
    sig_line = _signature_start(text, lines, history_line)
    spans: list[tuple[int, int]] = []
    quoted = signature = 0
    for i, (s, e) in enumerate(lines):
        if i >= history_line:
            quoted += e - s
        elif i >= sig_line:
            signature += e - s
        elif _QUOTED_LINE.match(text[s:e]):
            quoted += e - s
        elif spans and spans[-1][1] + 1 >= s and text[spans[-1][1] : s].strip("\r\n") == "":
            spans[-1] = (spans[-1][0], e)  # extend across the newline
        else:
            spans.append((s, e))
    if not spans:
        return Prepared([(0, 0)], quoted, signature)
    return Prepared(spans, quoted, signature)
