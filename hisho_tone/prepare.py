"""Decide which parts of a draft are the writer's own words.

For email, quoted history (``>`` lines, "-----Original Message-----", "On … wrote:", Japanese
"2026年11月20日(金) 10:02 山田 <a@b>:" headers, forwarded blocks) and the signature are set aside:
they are not what the writer is about to say.

For chat, Chatwork's tag syntax (what its message box holds) is read the same way: a ``[qt]…[/qt]``
quote is someone else's words and is set aside like email history (``quoted_chars``); ``[To:…]``,
``[rp …]``, ``[piconname:…]``, ``[picon:…]`` and ``[toall]`` address people (with the name Chatwork
writes after them, "佐藤 太郎さん") and are not content; the ``[info]``, ``[title]``, ``[code]`` and
``[hr]`` wrappers are dropped while what they wrap stays the writer's own. Chat text without tags is
used whole. The result is a list of [start, end) spans of the ORIGINAL text, so offsets stay true.
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


# Chatwork's message syntax, as its message box holds it (the web app writes these tags when the user
# clicks To, Reply or Quote; see help.chatwork.com "メッセージの装飾" and the [rp aid=… to=…] form that
# public Chatwork extensions parse). Tag names are matched case-insensitively, ids are digits.
_CW_TAG = re.compile(
    r"""\[(?:
        (?P<qt_open>qt)
      | (?P<qt_close>/qt)
      | (?P<qtmeta>qtmeta(?:\s+\w+=[^\]\s]*)*)
      | (?P<address>To:\d+|rp\s+aid=\d+(?:\s+to=[\d-]+)?|piconname:\d+|picon:\d+|toall)
      | (?P<code_open>code)
      | (?P<wrapper>/?(?:info|title)|/code|hr)
    )\]""",
    re.VERBOSE | re.IGNORECASE,
)
_CW_CODE_CLOSE = re.compile(r"\[/code\]", re.IGNORECASE)
# The name Chatwork writes after an addressing tag ("[To:123]佐藤 太郎さん", "[rp aid=1 to=2-3]山田さん"):
# at most three words ending in an honorific, followed by the end of the line, a space, a comma or the
# next tag. "[To:123]佐藤さんの件ですが" keeps its words: the name is part of a sentence there.
_CW_NAME = re.compile(
    r"[ \t\u3000]*(?:[^\s\[\]。、！？!?,，.．「」]{1,20}[ \t\u3000]?){0,3}?"
    r"(?:さん|様|さま|殿|くん|君|ちゃん|氏|先生|各位)(?=$|[\s\[、,，])",
    re.MULTILINE,
)


def _chat_tags(text: str) -> list[tuple[str, re.Match[str], re.Match[str] | None]]:
    """Chatwork's tags in order, as (kind, tag, closing [/code] or None); tags inside [code]…[/code] are text."""
    tags: list[tuple[str, re.Match[str], re.Match[str] | None]] = []
    code_end = -1
    for m in _CW_TAG.finditer(text):
        if m.start() < code_end:
            continue
        close = None
        if m.lastgroup == "code_open":
            close = _CW_CODE_CLOSE.search(text, m.end())
            code_end = close.end() if close else len(text)
        tags.append((m.lastgroup or "", m, close))
    return tags


def _quote_ends(tags: list[tuple[str, re.Match[str], re.Match[str] | None]]) -> dict[int, int]:
    """For each [qt] (by index into ``tags``) that is closed, the index of its [/qt]; quotes nest."""
    ends: dict[int, int] = {}
    open_quotes: list[int] = []
    for i, (kind, _, _) in enumerate(tags):
        if kind == "qt_open":
            open_quotes.append(i)
        elif kind == "qt_close" and open_quotes:
            ends[open_quotes.pop()] = i
    return ends


def _chat_markup(text: str) -> tuple[list[tuple[int, int]], int]:
    """[start, end) ranges of Chatwork markup that are not the writer's own words, and the quoted chars.

    Quotes nest; a ``[qt]`` without its ``[/qt]`` is only a tag (the user's words after it stay theirs).
    Inside ``[code]…[/code]`` nothing is a tag: code is shown as written. One pass over the tags.
    """
    tags = _chat_tags(text)
    quote_ends = _quote_ends(tags)
    drop: list[tuple[int, int]] = []
    quoted = 0
    pos = 0
    for i, (kind, m, close) in enumerate(tags):
        if m.start() < pos:  # inside a quote already set aside
            continue
        if kind == "qt_open" and i in quote_ends:
            end = tags[quote_ends[i]][1].end()
            drop.append((m.start(), end))
            quoted += end - m.start()
            pos = end
        elif kind == "code_open":
            drop.append(m.span())
            if close is not None:
                drop.append(close.span())
        elif kind == "address":
            name = _CW_NAME.match(text, m.end())
            end = name.end() if name else m.end()
            drop.append((m.start(), end))
            pos = end
        else:  # a wrapper, an unclosed [qt], a stray [/qt], [/code] or [qtmeta]: the tag alone
            drop.append(m.span())
    return drop, quoted


def _complement(length: int, drop: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [0, length) outside the sorted, non-overlapping ``drop`` ranges, blank ones left out."""
    spans, pos = [], 0
    for start, end in drop:
        if start > pos:
            spans.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        spans.append((pos, length))
    return spans


def _prepare_chat(text: str) -> Prepared:
    if "[" not in text:
        return Prepared([(0, len(text))])
    drop, quoted = _chat_markup(text)
    if not drop:
        return Prepared([(0, len(text))])
    spans = [(s, e) for s, e in _complement(len(text), drop) if text[s:e].strip()]
    return Prepared(spans or [(0, 0)], quoted, 0)


def prepare(text: str, channel: str) -> Prepared:
    """Return the spans of ``text`` that should be analysed for ``channel`` ("chat" or "email")."""
    if not text:
        return Prepared([(0, 0)])
    if channel != "email":
        return _prepare_chat(text)
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
