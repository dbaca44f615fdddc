"""Find cues: lexicon entries matched against tokens and sentences, plus a few structural cues.

The matcher is generic; every phrase it knows comes from the data files (see ``lexicon.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import markers
from .lexicon import Entry, Item, Lexicon, Spelling, spellings
from .tokenize import Sentence, Token

MANY_QUESTIONS_KIND = "many_questions"
MANY_QUESTIONS_MIN = 3


@dataclass(frozen=True, slots=True)
class Cue:
    """A detected cue with [start, end) offsets into the NORMALISED text."""

    kind: str
    category: str
    entry_id: str
    start: int
    end: int
    weight: float
    message: str
    hint: str
    count: int = 0  # for counting cues (e.g. the number of questions)


class _Spellings(dict):
    """Spellings of a sentence's token positions, computed when a pattern first needs them."""

    def __init__(self, tokens: tuple[Token, ...], limit: int):
        super().__init__()
        self.tokens, self.limit = tokens, limit

    def __missing__(self, i: int) -> list[Spelling]:
        value = self[i] = spellings(self.tokens, i, self.limit)
        return value


def _match(pattern: tuple[Item, ...], tokens: tuple[Token, ...], spelled: "_Spellings", i: int, p: int = 0) -> int:
    """Return the index after the last matched token, or -1 if ``pattern[p:]`` does not match at i."""
    if p == len(pattern):
        return i
    item = pattern[p]
    step = item.end(tokens, i, spelled) if i < len(tokens) else -1
    if step > i:
        end = _match(pattern, tokens, spelled, step, p + 1)
        if end >= 0:
            return end
    if item.optional:
        return _match(pattern, tokens, spelled, i, p + 1)
    return -1


def _extend(tokens: tuple[Token, ...], j: int) -> int:
    """Grow a match over the inflection that finishes the phrase (検討さ → 検討させていただきます)."""
    while j < len(tokens):
        tok = tokens[j]
        if tok.pos1 in ("助動詞", "接尾辞") or (tok.pos1 == "動詞" and tok.pos2 == "非自立可能"):
            j += 1
        elif (
            tok.pos1 == "助詞"
            and tok.pos2 == "接続助詞"
            and tok.surface in ("て", "で")
            and j + 1 < len(tokens)
            and tokens[j + 1].pos1 in ("動詞", "助動詞")
        ):
            j += 1
        else:
            break
    return j


def _negated(tokens: tuple[Token, ...], start: int, after: int, negators: frozenset[str]) -> bool:
    """True when a negation follows within the next few tokens (不満はありません).

    A phrase that carries its own negation (納得できません) is not negated again by its ん.
    """
    if any(t.base in negators or t.base == "ます" and t.surface == "ませ" for t in tokens[start:after]):
        return False
    for k in range(after, min(after + 4, len(tokens))):
        tok = tokens[k]
        if (tok.base in negators or tok.lemma in negators) and not (k and tokens[k - 1].lemma == "知れる"):
            return True  # (かもしれない is a hedge, not a negation)
        if tok.pos1 == "補助記号":
            return False
    return False


class Context:
    """What the conditions of an entry look at: the whole message and its specifics."""

    def __init__(self, text: str, lex: Lexicon, specifics: list[tuple[int, int, str]]):
        self.text = text
        self.lex = lex
        self.specifics = specifics
        self.length = len(text.strip())
        self._softened: bool | None = None

    @property
    def softened(self) -> bool:
        """A softening word anywhere in the message (computed only if an entry asks)."""
        if self._softened is None:
            self._softened = any(p.search(self.text) for p in self.lex.softeners)
        return self._softened

    def specific_between(self, start: int, end: int, naming: bool = False) -> bool:
        """Concrete content overlaps [start, end); ``naming``: only content that names a thing."""
        return any(s < end and e > start and not (naming and k in TIME_ONLY) for s, e, k in self.specifics)

    def positive_near(self, sent: Sentence, sents: list[Sentence]) -> bool:
        """A positive word in this sentence or the next (うまくいきました！ありがとうございます)."""
        idx = sents.index(sent)
        window = self.text[sent.start : sents[idx + 1].end if idx + 1 < len(sents) else sent.end]
        return any(p.search(window) for p in self.lex.positive)


NEAR_CHARS = 12  # how close concrete content must be to explain a vague referent: 例の件（12/3の請求書）


def _keep(
    entry: Entry, start: int, end: int, sent: Sentence, after: int, ctx: Context, sents: list[Sentence], first: int = -1
) -> bool:
    sent_text = ctx.text[sent.start : sent.end]
    for allow in entry.allows:
        for m in allow.finditer(sent_text):
            if m.start() + sent.start < end and m.end() + sent.start > start:
                return False
    if entry.requires and not any(r.search(sent_text) for r in entry.requires):
        return False
    if entry.max_message_chars and ctx.length > entry.max_message_chars:
        return False
    if entry.standalone:
        rest = len(re.sub(r"[\s。、.,!?！？…・ー〜~]", "", sent_text)) - len(re.sub(r"\s", "", ctx.text[start:end]))
        if rest > entry.standalone:
            return False
    if entry.unless_specific == "near" and ctx.specific_between(start - NEAR_CHARS, end + NEAR_CHARS, naming=True):
        return False
    if entry.unless_specific == "sentence" and ctx.specific_between(sent.start, sent.end):
        return False
    if entry.unless_specific == "message" and ctx.specifics:
        return False
    if entry.unless_positive and ctx.positive_near(sent, sents):
        return False
    if entry.unless_softened and ctx.softened:
        return False
    if entry.unless_negated and after >= 0 and _negated(sent.tokens, max(first, 0), after, ctx.lex.negators):
        return False
    return True


def _cue(entry: Entry, start: int, end: int) -> Cue:
    return Cue(entry.kind, entry.category, entry.id, start, end, entry.weight, entry.message, entry.hint)


# Specifics that say WHEN, not WHAT: they settle a deadline but do not name a vague referent.
TIME_ONLY = frozenset({"relative_day", "weekday", "time"})


def find_specifics(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """Spans of concrete content (dates, times, amounts, numbered items) with the id of their kind."""
    spans = []
    for spec_id, regex in lex.specifics:
        spans.extend((m.start(), m.end(), spec_id) for m in regex.finditer(text) if m.end() > m.start())
    return spans


def kana_spelled(tokens: tuple[Token, ...], spelling: dict[str, tuple[str, str]]) -> tuple[Token, ...]:
    """``tokens`` with kanji/katakana function words (訳, 事, 無い, コト) spelled in kana, when the
    lemma agrees (shared.toml [spelling]); offsets and parts of speech stay as they are."""
    if not spelling or not any(t.surface in spelling for t in tokens):
        return tokens
    out = []
    for tok in tokens:
        kana = spelling.get(tok.surface)
        if kana is not None and tok.lemma == kana[1]:
            base = spelling.get(tok.base)
            tok = tok._replace(surface=kana[0], base=base[0] if base is not None and base[1] == tok.lemma else tok.base)
        out.append(tok)
    return tuple(out)


def detect(text: str, sents: list[Sentence], lex: Lexicon, specifics: list[tuple[int, int, str]]) -> list[Cue]:
    """All cues of normalised ``text``, overlapping cues of one kind merged, sorted by start."""
    ctx = Context(text, lex, specifics)
    found: list[Cue] = []
    for sent in sents:
        here = len(found)  # this sentence's cues are found[here:]
        tokens = kana_spelled(sent.tokens, lex.spelling)
        spelled = _Spellings(tokens, lex.longest_literal)
        for i, found_here in enumerate(lex.candidates(tokens)):
            if not found_here:  # most tokens start no pattern at all
                continue
            seen: set[int] = set()
            for entry, pattern, covered in found_here:
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                if covered and len(pattern) > 1:
                    after = pattern[1]
                    # a literal second item that cannot start at the next token: no need to walk
                    if after.plain and (i + covered >= len(tokens) or after.rejects(tokens[i + covered])):
                        continue
                # the index already matched the first item when it knows how far it reaches
                j = _match(pattern, tokens, spelled, i + covered, 1) if covered else _match(pattern, tokens, spelled, i)
                if j > i:
                    start = tokens[i].start
                    if not _keep(entry, start, tokens[j - 1].end, sent, j, ctx, sents, i):
                        continue
                    found.append(_cue(entry, start, tokens[_extend(tokens, j) - 1].end))
        sent_text = text[sent.start : sent.end]
        for k in lex.regex_gate.candidates(sent_text) if lex.regex_gate else ():
            entry, regex = lex.sentence_regexes[k]
            found.extend(_regex_cues(entry, (regex,), sent_text, sent.start, sent, ctx, sents))
        if lex.only_with:
            found[here:] = _with_company(found[here:], lex.only_with)
    for entry in lex.regex_entries:
        if entry.scope == "message" and sents:
            found.extend(_regex_cues(entry, entry.regexes, text, 0, None, ctx, sents))
    found.extend(_many_questions(text, sents, lex))
    return _merge(found)


def _with_company(cues: list[Cue], only_with: dict[str, frozenset[str]]) -> list[Cue]:
    """Drop the cues whose entry needs another kind in the same sentence and has none
    (an intensifier in praise: 本当に、お酒がお好きなんですね)."""
    kinds = {c.kind for c in cues}
    return [c for c in cues if c.entry_id not in only_with or not only_with[c.entry_id].isdisjoint(kinds - {c.kind})]


def _regex_cues(
    entry: Entry, regexes, haystack: str, offset: int, sent: Sentence | None, ctx: Context, sents: list[Sentence]
) -> list[Cue]:
    out = []
    for regex in regexes:
        for m in regex.finditer(haystack):
            if m.end() == m.start():
                continue
            start, end = offset + m.start(), offset + m.end()
            host = sent or next((s for s in sents if s.end > start), sents[-1])
            first = next((k for k, t in enumerate(host.tokens) if t.end > start), len(host.tokens))
            after = next((k for k, t in enumerate(host.tokens) if t.start >= end), len(host.tokens))
            if _keep(entry, start, end, host, after, ctx, sents, first):
                out.append(_cue(entry, start, end))
    return out


def _many_questions(text: str, sents: list[Sentence], lex: Lexicon) -> list[Cue]:
    kind = lex.kinds.get(MANY_QUESTIONS_KIND)
    if kind is None or MANY_QUESTIONS_KIND in lex.disabled:
        return []
    questions = markers.questions(text, sents)
    if len(questions) < MANY_QUESTIONS_MIN:
        return []
    weight = min(1.0, kind.weight * (len(questions) - MANY_QUESTIONS_MIN + 1))
    last = questions[-1]
    return [Cue(kind.id, kind.category, kind.id, last.start, last.end, weight, kind.message, kind.hint, len(questions))]


def _merge(cues: list[Cue]) -> list[Cue]:
    """Keep one cue per overlapping run of the same kind: the longest, then the strongest."""
    cues.sort(key=lambda c: (c.kind, c.start, -(c.end - c.start), -c.weight))
    kept: list[Cue] = []
    for cue in cues:
        if kept and kept[-1].kind == cue.kind and cue.start < kept[-1].end:
            continue
        kept.append(cue)
    kept.sort(key=lambda c: (c.start, c.end, c.kind))
    return kept
