"""Load cue knowledge from the TOML data files and compile token patterns.

Pattern mini-language (one string per pattern, items separated by spaces):
  ``検討``        a token whose surface, orthographic base or lemma is 検討 (so 検討し/検討します match);
                  a literal may also spell several tokens: ``何度も``, ``頭に来る`` (last one by base form)
  ``=いい``       surface only: the tokens' surfaces spell いい
  ``崩*``         a token whose surface or base starts with 崩
  ``a|b``         alternatives
  ``[名詞]``      a token whose part of speech (pos1, or pos1:pos2 as ``[名詞:数詞]``) matches
  ``*``           any one token
  ``X?``          the item is optional
Regular expressions (``regex = [...]``) match the normalised sentence text instead.

Conditions an entry may add: ``allows`` (regexes: a match overlapping the phrase cancels it),
``requires`` (regexes: the sentence must match one), ``only_with`` (kinds or categories: another
cue of one of them must fire in the same sentence, for words that only intensify), ``unless_specific``,
``unless_negated``, ``unless_positive``, ``unless_softened``, ``standalone``, ``max_message_chars``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .cache import BoundedCache
from .regex_hint import hinted, required_literals

CATEGORIES = ("ambiguity", "emotion", "sensitivity", "complexity")
EVIDENCE = ("weak", "substantive", "decisive")  # a kind's `evidence` (see Kind)
DATA_PACKAGE = "hisho_tone.data"


class LexiconError(ValueError):
    """A cue data file is malformed; the message names the file and the entry."""


Spelling = tuple[str, int, bool]  # (text, index after the last token, spelled by surfaces only?)
MAX_SPELLING = 16  # longest literal a pattern item may spell, in characters
CANDIDATE_CACHE_SIZE = 10_000  # per generation, for each of the two candidate caches (see cache.py)


def spellings(tokens: Any, i: int, limit: int = MAX_SPELLING) -> list[Spelling]:
    """Every way tokens[i:k] can be spelled: by surfaces, or with the last token in base/lemma form.

    So one literal covers several morphemes: 「何度も」 is 何+度+も, and 「頭に来る」 is 頭+に+来(る)+た.
    Items look their literals up in this list instead of re-walking the tokens.
    """
    out: list[Spelling] = []
    acc = ""
    for k in range(i, len(tokens)):
        tok = tokens[k]
        out.append((acc + tok.base, k + 1, False))
        if tok.lemma != tok.base:
            out.append((acc + tok.lemma, k + 1, False))
        acc += tok.surface
        out.append((acc, k + 1, True))
        if len(acc) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class Item:
    """One position of a token pattern; a literal may span several tokens (see ``spellings``)."""

    words: frozenset[str] = frozenset()  # spelled by surfaces, or ending in a base/lemma form
    surfaces: frozenset[str] = frozenset()  # spelled by surfaces only (``=word``)
    prefixes: tuple[str, ...] = ()  # tokens whose spelling starts with it (``word*``)
    pos: tuple[tuple[str, str], ...] = ()  # (pos1, pos2 or "")
    any: bool = False
    optional: bool = False
    stems: frozenset[str] = frozenset()  # every prefix of every literal: what a first token may spell
    # only literals (no prefix, part of speech or wildcard) and not optional: ``rejects`` alone
    # decides that a token cannot start it, so the matcher may ask before walking the pattern
    plain: bool = False

    def end(self, tokens: Any, i: int, spelled: Any) -> int:
        """Index after the tokens this item covers at ``i``, or -1 when it does not match."""
        if i >= len(tokens):
            return -1
        tok = tokens[i]
        if self.any:
            return i + 1
        if self.pos and any(tok.pos1 == p1 and (not p2 or tok.pos2 == p2) for p1, p2 in self.pos):
            return i + 1
        if not (self.words or self.surfaces or self.prefixes):
            return -1
        if self.rejects(tok):
            return -1  # cheap rejection before spelling out the tokens
        for text, end, by_surface in spelled[i]:
            if text in self.words or (by_surface and text in self.surfaces):
                return end
            if self.prefixes and (by_surface or end == i + 1) and any(text.startswith(p) for p in self.prefixes):
                return end
        return -1

    def rejects(self, tok: Any) -> bool:
        """True when no literal or prefix of this item can begin at ``tok`` (a few set look-ups)."""
        return (
            tok.surface not in self.stems
            and tok.base not in self.words
            and tok.lemma not in self.words
            and not (
                self.prefixes
                and any(
                    tok.surface.startswith(p)
                    or tok.base.startswith(p)
                    or tok.lemma.startswith(p)
                    or p.startswith(tok.surface)
                    for p in self.prefixes
                )
            )
        )

    def literals(self) -> tuple[frozenset[str], tuple[str, ...]] | None:
        """(exact literals, prefixes) a match must start with; None when any token may match."""
        if self.any or self.pos or self.optional:
            return None
        return self.words | self.surfaces, self.prefixes


class RegexGate:
    """Which of many regular expressions can match a text, found with one scan for their literals.

    Every match of most patterns contains one of a few literal strings (``required_literals``); a
    single scan finds which of those strings a sentence holds, and only the patterns that need one of
    them run. Patterns without a known literal always run. Results are the same as running them all.
    """

    def __init__(self, patterns: list[str]):
        self.always: list[int] = []
        self.by_literal: dict[str, list[int]] = {}
        for k, pattern in enumerate(patterns):
            required = required_literals(pattern)
            if required is None:
                self.always.append(k)
            else:
                for literal in required:
                    self.by_literal.setdefault(literal, []).append(k)
        literals = sorted(self.by_literal, key=lambda lit: (-len(lit), lit))
        # the scan reports the longest literal at each position; shorter ones there are its prefixes
        known = set(literals)
        self.prefixes = {lit: [lit[:k] for k in range(1, len(lit) + 1) if lit[:k] in known] for lit in literals}
        firsts = "".join(sorted({re.escape(lit[0]) for lit in literals}))
        self.scan = re.compile(f"(?=[{firsts}])(?=({'|'.join(map(re.escape, literals))}))") if literals else None

    def candidates(self, text: str) -> list[int]:
        """Indices of the patterns that can match ``text``, in their original order."""
        if self.scan is None:
            return self.always
        found: set[int] = set(self.always)
        seen: set[str] = set()
        for m in self.scan.finditer(text):
            literal = m.group(1)
            if literal in seen:
                continue
            seen.add(literal)
            for prefix in self.prefixes[literal]:
                found.update(self.by_literal[prefix])
        return sorted(found)


@dataclass(frozen=True, slots=True)
class Kind:
    """A cue kind: its category, the default message, hint and weight, and the user switch id."""

    id: str
    category: str
    label: str
    message: str
    hint: str
    weight: float
    video: bool = False  # high-stakes kinds that warrant a face-to-face-grade conversation
    # How much a cue of this kind counts as evidence for a call (see scoring.decide):
    # "weak" never lifts a draft to call alone, "substantive" can, "decisive" lifts it to call
    # as soon as the model sees any risk at all (termination, serious mistakes, health news…).
    evidence: str = "substantive"


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary entry: how to find the phrase and when not to flag it."""

    id: str
    kind: str
    category: str
    patterns: tuple[tuple[Item, ...], ...]
    regexes: tuple["re.Pattern[str] | LazyRegex", ...]
    weight: float
    message: str
    hint: str
    allows: tuple["re.Pattern[str] | LazyRegex", ...]
    requires: tuple["re.Pattern[str] | LazyRegex", ...]  # the sentence must match one of these (when any)
    only_with: frozenset[str]  # another cue of one of these kinds must fire in the same sentence
    unless_specific: str  # "", "near" (next to the phrase), "sentence" or "message"
    scope: str  # regexes run on each "sentence" (default) or on the whole "message"
    unless_negated: bool
    unless_positive: bool
    unless_softened: bool
    standalone: int  # >0: the sentence may hold at most this many other characters
    max_message_chars: int  # >0: only in messages at most this long
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    description: str = ""


@dataclass(slots=True)
class Lexicon:
    """All kinds and entries, with an index from literal strings to the patterns they start."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    positive: tuple[re.Pattern[str], ...] = ()
    softeners: tuple[re.Pattern[str], ...] = ()
    negators: frozenset[str] = frozenset()
    specifics: tuple[tuple[str, re.Pattern[str]], ...] = ()
    model_signal: dict[str, Any] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    spelling: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface -> (kana, lemma), see shared.toml
    by_literal: dict[str, list[tuple[Entry, tuple[Item, ...]]]] = field(default_factory=dict)
    by_prefix: dict[str, list[tuple[Entry, tuple[Item, ...]]]] = field(default_factory=dict)
    unkeyed: list[tuple[Entry, tuple[Item, ...]]] = field(default_factory=list)
    by_pos: dict[str, list[tuple[Entry, tuple[Item, ...]]]] = field(default_factory=dict)
    regex_entries: list[Entry] = field(default_factory=list)
    # sentence-scoped regexes, and the gate that tells which of them can match a sentence
    sentence_regexes: list[tuple[Entry, re.Pattern[str]]] = field(default_factory=list)
    regex_gate: "RegexGate | None" = None
    only_with: dict[str, frozenset[str]] = field(default_factory=dict)  # entry id -> kinds it needs beside it
    longest_literal: int = 1  # spellings need not be longer than this
    stems: frozenset[str] = frozenset()  # every proper prefix of every first literal: where a walk may go on
    # what a token (or a pair of tokens) can start, see candidates(); bounded, see cache.py
    _single: BoundedCache = field(default_factory=lambda: BoundedCache(CANDIDATE_CACHE_SIZE))
    _pair: BoundedCache = field(default_factory=lambda: BoundedCache(CANDIDATE_CACHE_SIZE))

    def index(self) -> None:
        """Build the look-up tables the matcher uses (once, at load time)."""
        self._single.reset()
        self._pair.reset()
        self.by_literal.clear()
        self.by_prefix.clear()
        self.unkeyed.clear()
        self.regex_entries = [e for e in self.entries if e.regexes]
        self.only_with = {e.id: e.only_with for e in self.entries if e.only_with}
        self.sentence_regexes = [(e, r) for e in self.regex_entries if e.scope == "sentence" for r in e.regexes]
        self.regex_gate = RegexGate([r.pattern for _, r in self.sentence_regexes])
        for entry in self.entries:
            for pattern in entry.patterns:
                keys = pattern[0].literals()
                if keys is None:
                    head = pattern[0]
                    if head.pos and not (head.any or head.words or head.surfaces or head.prefixes):
                        for p1, _ in head.pos:
                            self.by_pos.setdefault(p1, []).append((entry, pattern))
                    else:
                        self.unkeyed.append((entry, pattern))
                    continue
                for literal in keys[0]:
                    self.by_literal.setdefault(literal, []).append((entry, pattern))
                for prefix in keys[1]:
                    self.by_prefix.setdefault(prefix, []).append((entry, pattern))
                for item in pattern:
                    for literal in item.words | item.surfaces:
                        self.longest_literal = max(self.longest_literal, len(literal))
                    for prefix in item.prefixes:
                        self.longest_literal = max(self.longest_literal, len(prefix))
        # proper prefixes only: a walk goes on while a LONGER literal may still be spelled
        self.stems = frozenset(w[:n] for w in list(self.by_literal) + list(self.by_prefix) for n in range(1, len(w)))

    def candidates(self, tokens: Any) -> list[list[tuple[Entry, tuple[Item, ...], int]]]:
        """For each position of ``tokens``: the patterns that may start there, with how many
        tokens their first item covers (0: not known yet, the matcher checks it).

        What the first token alone can start is cached per token; only literals that spell
        several tokens (何度も, 頭に来る) walk on, and only while the spelling is still a stem.
        """
        single, stems = self._single, self.stems
        out = []
        for i, first in enumerate(tokens):
            key = first[:5]  # (surface, lemma, base, pos1, pos2): all that decides what a token can start
            found = single.get(key)
            if found is None:
                found = single.remember(key, lambda: self._first_token(first))  # noqa: B023 (called at once)
            out.append(self._walk(tokens, i, key, found) if first.surface in stems else found)
        return out

    def _walk(
        self, tokens: Any, i: int, key: tuple[str, ...], found: list
    ) -> list[tuple[Entry, tuple[Item, ...], int]]:
        """``found`` plus the literals spelled by tokens[i] and the ones after it."""
        if i + 1 < len(tokens):  # most walks stop after one token: those are cached per pair
            pair = (key, tokens[i + 1][:5])
            known = self._pair.get(pair)
            if known is not None:
                return known
        acc = tokens[i].surface
        stems = self.stems
        walked = None  # copied from the cached list only when the walk finds something
        by_literal, by_prefix = self.by_literal, self.by_prefix
        for k in range(i + 1, len(tokens)):
            tok = tokens[k]
            covered = k + 1 - i
            hits = list(by_literal.get(acc + tok.base, ()))
            if tok.lemma != tok.base:
                hits += by_literal.get(acc + tok.lemma, ())
            before = len(acc)
            acc += tok.surface
            hits += by_literal.get(acc, ())
            for n in range(before + 1, len(acc) + 1):
                hits += by_prefix.get(acc[:n], ())
            if hits:
                if walked is None:
                    walked = list(found)
                walked.extend((e, p, covered) for e, p in hits)
            if acc not in stems:
                if k == i + 1:  # decided by these two tokens alone
                    self._pair.remember(pair, lambda: found if walked is None else walked)  # noqa: B023
                break
        return found if walked is None else walked

    def _first_token(self, tok: Any) -> list[tuple[Entry, tuple[Item, ...], int]]:
        found = [(e, p, 0) for e, p in self.unkeyed]
        for e, p in self.by_pos.get(tok.pos1, ()):
            head = p[0]
            if head.optional:  # the pattern may also start without this token: let the matcher see
                found.append((e, p, 0))
            elif any(tok.pos1 == p1 and (not p2 or tok.pos2 == p2) for p1, p2 in head.pos):
                found.append((e, p, 1))  # a part-of-speech item covers exactly this token
        for spelled in dict.fromkeys((tok.base, tok.lemma, tok.surface)):
            found.extend((e, p, 1) for e, p in self.by_literal.get(spelled, ()))
        for source in dict.fromkeys((tok.base, tok.surface)):  # 崩* matches 崩す and 崩し
            for n in range(1, len(source) + 1):
                found.extend((e, p, 1) for e, p in self.by_prefix.get(source[:n], ()))
        return found


def parse_item(text: str, where: str) -> Item:
    optional = text.endswith("?") and len(text) > 1
    if optional:
        text = text[:-1]
    if text == "*":
        return Item(any=True, optional=optional)
    words: set[str] = set()
    surfaces: set[str] = set()
    prefixes: list[str] = []
    pos: list[tuple[str, str]] = []
    for alt in text.split("|"):
        if not alt:
            raise LexiconError(f"{where}: empty alternative in pattern item {text!r}")
        if alt.startswith("[") and alt.endswith("]"):
            p1, _, p2 = alt[1:-1].partition(":")
            pos.append((p1, p2))
        elif alt.startswith("=") and len(alt) > 1:
            surfaces.add(alt[1:])
        elif alt.endswith("*") and len(alt) > 1:
            prefixes.append(alt[:-1])
        else:
            words.add(alt)
        if max(len(alt) - 1, 0) > MAX_SPELLING:
            raise LexiconError(f"{where}: literal {alt!r} is longer than {MAX_SPELLING} characters")
    stems = frozenset(w[:n] for w in words | surfaces for n in range(1, len(w) + 1))
    plain = not (prefixes or pos or optional)
    return Item(frozenset(words), frozenset(surfaces), tuple(prefixes), tuple(pos), False, optional, stems, plain)


def parse_pattern(text: str, where: str) -> tuple[Item, ...]:
    items = tuple(parse_item(part, where) for part in text.split())
    if not items:
        raise LexiconError(f"{where}: empty pattern")
    if items[0].optional:
        raise LexiconError(f"{where}: a pattern must not start with an optional item ({text!r})")
    return items


class LazyRegex:
    """A shipped data file's regular expression, compiled the first time it is used.

    The shipped files hold hundreds of patterns and most drafts need few of them: compiling them all
    would be most of a cold start. Their syntax is checked by the tests (tests/test_lexicon_data.py);
    patterns from the user's configuration are compiled at once, so a typo is reported at load time.
    """

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled().search(text, *args)

    def finditer(self, text: str, *args: int):
        return self.compiled().finditer(text, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled().match(text, *args)


def _regex(text: str, where: str, fast: bool = False, lazy: bool = False) -> "re.Pattern[str] | LazyRegex":
    """Compile a data file's regex; ``fast``: with a first-character hint (same matches, see
    regex_hint); ``lazy``: on first use (shipped data only, see LazyRegex)."""
    if lazy and not fast:
        if not isinstance(text, str):
            raise LexiconError(f"{where}: a regular expression must be a string, not {text!r}")
        return LazyRegex(text)
    try:
        compiled = re.compile(text)  # the pattern as written must compile, hint or not
        return re.compile(hinted(text)) if fast else compiled
    except re.error as exc:
        raise LexiconError(f"{where}: bad regular expression {text!r}: {exc}") from exc


def _str_list(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: '{key}' must be a string or a list of strings")
    return value


def make_entry(raw: dict[str, Any], kinds: dict[str, Kind], where: str, lazy: bool = False) -> Entry:
    """Build an Entry from one TOML table (also used for phrases from the user's config).

    ``lazy``: compile its regular expressions on first use (the shipped files, whose syntax the tests check).
    """
    kind_id = raw.get("kind")
    if kind_id not in kinds:
        raise LexiconError(f"{where}: unknown kind {kind_id!r}; known kinds: {', '.join(sorted(kinds))}")
    kind = kinds[kind_id]
    entry_id = raw.get("id") or f"{kind_id}.custom"
    where = f"{where} [{entry_id}]"
    patterns = tuple(parse_pattern(p, where) for p in _str_list(raw, "patterns", where))
    regexes = tuple(_regex(r, where, lazy=lazy) for r in _str_list(raw, "regex", where))
    if not patterns and not regexes:
        raise LexiconError(f"{where}: needs 'patterns' or 'regex'")
    unless_specific = raw.get("unless_specific", "")
    if unless_specific is True:
        unless_specific = "sentence"
    if unless_specific not in ("", False, "near", "sentence", "message"):
        raise LexiconError(f"{where}: unless_specific must be 'near', 'sentence' or 'message'")
    only_with = _str_list(raw, "only_with", where)
    if unknown := [k for k in only_with if k not in kinds and k not in CATEGORIES]:
        raise LexiconError(f"{where}: only_with names unknown kinds or categories {unknown}")
    # a category stands for every kind in it
    only_with = [
        k
        for name in only_with
        for k in ([name] if name in kinds else [i for i, c in kinds.items() if c.category == name])
    ]
    scope = raw.get("scope", "sentence")
    if scope not in ("sentence", "message"):
        raise LexiconError(f"{where}: scope must be 'sentence' or 'message'")
    return Entry(
        id=entry_id,
        kind=kind_id,
        category=kind.category,
        patterns=patterns,
        regexes=regexes,
        weight=float(raw.get("weight", kind.weight)),
        message=raw.get("message", kind.message),
        hint=raw.get("hint", kind.hint),
        allows=tuple(_regex(a, where, lazy=lazy) for a in _str_list(raw, "allows", where)),
        requires=tuple(_regex(a, where, lazy=lazy) for a in _str_list(raw, "requires", where)),
        only_with=frozenset(only_with),
        unless_specific=unless_specific or "",
        scope=scope,
        unless_negated=bool(raw.get("unless_negated", False)),
        unless_positive=bool(raw.get("unless_positive", False)),
        unless_softened=bool(raw.get("unless_softened", False)),
        standalone=int(raw.get("standalone", 0)),
        max_message_chars=int(raw.get("max_message_chars", 0)),
        examples=tuple(_str_list(raw, "examples", where)),
        counterexamples=tuple(_str_list(raw, "counterexamples", where)),
        description=str(raw.get("description", "")),
    )


def _read_toml(name: str) -> dict[str, Any]:
    path = resources.files(DATA_PACKAGE) / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{name}: {exc}") from exc


def load_lexicon(extra_entries: list[dict[str, Any]] | None = None, disabled: frozenset[str] = frozenset()) -> Lexicon:
    """Read every category file plus ``shared.toml``; add ``extra_entries``; drop ``disabled`` kinds."""
    lex = Lexicon(disabled=frozenset(disabled))
    raw_entries: list[tuple[str, dict[str, Any]]] = []
    for category in CATEGORIES:
        name = f"cues_{category}.toml"
        data = _read_toml(name)
        for kind_id, k in data.get("kinds", {}).items():
            if kind_id in lex.kinds:
                raise LexiconError(f"{name}: kind {kind_id!r} is defined twice")
            evidence = k.get("evidence", "substantive")
            if evidence not in EVIDENCE:
                raise LexiconError(
                    f"{name}: kind {kind_id!r}: evidence must be one of {', '.join(EVIDENCE)}, not {evidence!r}"
                )
            lex.kinds[kind_id] = Kind(
                kind_id,
                category,
                k.get("label", kind_id),
                k["message"],
                k.get("hint", ""),
                float(k.get("weight", 0.5)),
                bool(k.get("video", False)),
                evidence,
            )
        raw_entries.extend((name, e) for e in data.get("cue", []))
    shared = _read_toml("shared.toml")
    lex.positive = tuple(_regex(p, "shared.toml positive") for p in shared.get("positive", []))
    lex.softeners = tuple(_regex(p, "shared.toml softeners") for p in shared.get("softeners", []))
    lex.negators = frozenset(shared.get("negators", []))
    lex.model_signal = shared.get("model_signal", {})
    lex.spelling = {surface: (kana, lemma) for surface, (kana, lemma) in shared.get("spelling", {}).items()}
    lex.specifics = tuple(  # these run on every draft: compiled with a first-character hint
        (s["id"], _regex(s["regex"], f"shared.toml specific {s['id']}", fast=True)) for s in shared.get("specific", [])
    )
    seen: set[str] = set()
    for where, raw in raw_entries + [("config", e) for e in (extra_entries or [])]:
        entry = make_entry(raw, lex.kinds, where, lazy=where != "config")
        if entry.id in seen and where != "config":
            raise LexiconError(f"{where}: duplicate entry id {entry.id!r}")
        seen.add(entry.id)
        if entry.kind not in disabled:
            lex.entries.append(entry)
    lex.index()
    return lex


def data_dir() -> Path:
    """Folder of the shipped data files (for docs and tests)."""
    return Path(str(resources.files(DATA_PACKAGE)))
