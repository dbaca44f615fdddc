"""Offset-preserving normalisation: NFKC text plus a map back to the original string.

Cue patterns are written against NFKC text (full-width ！ becomes !, half-width ｶﾅ becomes カナ),
but every span we report must index the user's ORIGINAL text. ``normalize`` therefore keeps, for
each output character, the [start, end) range of the original characters it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that carry no text: zero-width spaces/joiners, BOM, soft hyphen, bidi controls.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Half-width voiced marks combine with the preceding kana under NFKC.
_COMBINING_KANA = frozenset("\uff9e\uff9f\u3099\u309a")


@dataclass(frozen=True, slots=True)
class Normalized:
    """NFKC text with, for every character, the original span it was produced from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _clean_char(ch: str) -> str:
    """Replace characters the tokenizer cannot take (controls, lone surrogates) with a space."""
    if ch in "\n\t":
        return ch
    if ch == "\r":
        return "\n"
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:  # lone surrogate (e.g. surrogateescape'd bytes)
        return " "
    if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
        return " "
    return ch


# Characters the slow path would change: controls, invisibles, surrogates, private use.
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\r" + "".join(sorted(_INVISIBLE)) + "\ud800-\udfff\ue000-\uf8ff]")


def _plain(text: str, start: int, end: int) -> bool:
    """True when [start, end) is already NFKC and clean, so normalising is the identity."""
    chunk = text[start:end]
    return not _SPECIAL.search(chunk) and unicodedata.is_normalized("NFKC", chunk)


# Characters NFKC maps to themselves and that never compose with the character before them:
# printable ASCII, kana, CJK ideographs and the common Japanese punctuation (tests check this).
_STABLE_RUN = re.compile(
    "[\x20-\x7e\n\t\u3001\u3002\u3005\u300c-\u300f\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fb-\u30fe\u4e00-\u9fff]+"
)


def _combines(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or ch in _COMBINING_KANA


def _copy(text: str, start: int, end: int, out: list[str], starts: list[int], ends: list[int]) -> str:
    """Copy text[start:end] unchanged, each character mapping to itself; returns the last one."""
    if start >= end:
        return ""
    out.append(text[start:end])
    starts.extend(range(start, end))
    ends.extend(range(start + 1, end + 1))
    return text[end - 1]


def _normalize_units(text: str, i: int, end: int, out: list[str], starts: list[int], ends: list[int]) -> str:
    """Normalise text[i:end] one unit (a character and its combining marks) at a time.

    Returns the last character written ("" when nothing was).
    """
    last = ""
    while i < end:
        j = i + 1
        # keep a base character together with the combining marks that follow it
        while j < end and _combines(text[j]):
            j += 1
        chunk = text[i:j]
        if chunk[0] in _INVISIBLE:
            i = j
            continue
        if j - i == 1:
            chunk = _clean_char(chunk)
        else:
            chunk = "".join(_clean_char(c) for c in chunk)
        normalized = chunk if chunk.isascii() else unicodedata.normalize("NFKC", chunk)
        if normalized:
            out.append(normalized)
            starts.extend([i] * len(normalized))
            ends.extend([j] * len(normalized))
            last = normalized[-1]
        i = j
    return last


def normalize(text: str, spans: list[tuple[int, int]] | None = None) -> Normalized:
    """Normalise ``text`` (or only the given original ``spans`` of it, joined by newlines).

    ``spans`` lets the email preparer drop quoted history and signatures: characters outside the
    spans are left out, and a newline stands between two spans so sentences never run across them.
    """
    if spans is None:
        spans = [(0, len(text))]
    if len(spans) == 1 and _plain(text, *spans[0]):
        start, end = spans[0]
        return Normalized(text[start:end], tuple(range(start, end)), tuple(range(start + 1, end + 1)))
    out: list[str] = []  # pieces of the output; ``last`` is its last character
    starts: list[int] = []
    ends: list[int] = []
    last = ""
    for span_no, (span_start, span_end) in enumerate(spans):
        if span_no and last and last != "\n":
            out.append("\n")
            starts.append(span_start)
            ends.append(span_start)
            last = "\n"
        if _plain(text, span_start, span_end):  # fast path: copy the span as it is
            last = _copy(text, span_start, span_end, out, starts, ends) or last
            continue
        pos = span_start
        # runs of characters NFKC leaves alone are copied whole; the rest goes character by character
        for m in _STABLE_RUN.finditer(text, span_start, span_end):
            run_start, run_end = m.span()
            if run_end < span_end and _combines(text[run_end]):
                run_end -= 1  # a combining mark after the run belongs with the run's last character
            if pos < run_start:
                last = _normalize_units(text, pos, run_start, out, starts, ends) or last
            last = _copy(text, run_start, run_end, out, starts, ends) or last
            pos = max(pos, run_end)
        if pos < span_end:
            last = _normalize_units(text, pos, span_end, out, starts, ends) or last
    return Normalized("".join(out), tuple(starts), tuple(ends))
