"""A speed hint for the regular expressions that run on every draft: where a match can start.

Python's regex engine scans ahead quickly for a pattern that begins with a literal or a character
class, but tries every position for the others (a repeat, an alternation of groups, a lookbehind
first). Prefixing a pattern with a lookahead for the characters its matches can begin with,
``(?=[…])``, changes no match and gives the engine that fast scan: 「(?:…|・・・?)+」 becomes
「(?=[…・])(?:(?:…|・・・?)+)」.

The first characters are read from the parsed pattern. Anything the reader does not know (a
wildcard, a negated class, inline flags, a pattern that can match the empty string) leaves the
pattern exactly as it was, so a hint can only ever speed a pattern up.
"""

from __future__ import annotations

import re

try:  # the standard library's own parser (Python 3.11+ names)
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - older layouts: no hints, same results
    _c = _sre = None


class _Unknown(Exception):
    """The pattern has something the reader does not follow: leave it alone."""


def _class_part(op, av) -> str:
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    if op is _c.CATEGORY:
        known = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_SPACE: r"\s"}
        if av in known:
            return known[av]
    raise _Unknown


def _firsts(seq, out: list[str]) -> bool:
    """Add the class parts a match of ``seq`` can start with to ``out``; True if it can be empty."""
    for op, av in seq:
        if op is _c.LITERAL:
            out.append(_class_part(op, av))
            return False
        if op is _c.IN:
            out.extend(_class_part(iop, iav) for iop, iav in av)
            return False
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, inner = av
            if add_flags or del_flags:
                raise _Unknown
            if not _firsts(inner, out):
                return False
        elif op is _c.BRANCH:
            empty = False
            for alternative in av[1]:
                empty |= _firsts(alternative, out)
            if not empty:
                return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, _high, inner = av
            if not _firsts(inner, out) and low > 0:
                return False
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the match starts with whatever comes next
        else:
            raise _Unknown
    return True


def hinted(pattern: str) -> str:
    """``pattern`` with a lookahead for its first characters in front, or unchanged."""
    if _sre is None:
        return pattern
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & ~re.UNICODE:  # inline flags must stay at the very start
            return pattern
        parts: list[str] = []
        if _firsts(parsed.data, parts) or not parts:
            return pattern
    except (_Unknown, re.error, RecursionError, TypeError, ValueError):
        return pattern
    return f"(?=[{''.join(dict.fromkeys(parts))}])(?:{pattern})"


def _required(seq) -> list[str] | None:
    """Literal strings of which every match of ``seq`` contains at least one (None: unknown).

    Runs of literal characters in the sequence itself are required; an alternation requires one of
    its alternatives' requirements; a group or a repeat of at least one, its content's. The most
    selective requirement found (longest shortest string) wins.
    """
    options: list[list[str]] = []
    run = ""
    for op, av in seq:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append([run])
            run = ""
        if op is _c.SUBPATTERN:
            inner = _required(av[3])
            if inner:
                options.append(inner)
        elif op is _c.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alternatives):
                options.append(sorted({s for alt in alternatives for s in alt}))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            inner = _required(av[2])
            if inner:
                options.append(inner)
    if run:
        options.append([run])
    if not options:
        return None
    return max(options, key=lambda strings: (min(len(s) for s in strings), -len(strings)))


def _top_level_run(pattern: str) -> str | None:
    """The longest run of literal characters in the top-level sequence of ``pattern``, read from
    the text alone (cheap); None when the pattern has a top-level alternation, inline flags or no run.

    Characters written one after another outside any group, class or escape must all appear, in
    order and side by side, in every match — unless a quantifier makes the last of them optional.
    """
    if "(?i" in pattern or "(?x" in pattern:
        return None
    runs: list[str] = []
    run, depth, i, n = "", 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            runs.append(run)
            run, i = "", i + 2
            continue
        if c == "[":  # a class: skip to its end
            runs.append(run)
            run, i = "", i + 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if c in "?*{":  # the last character is optional (or a group's quantifier: nothing to trim)
            if pattern[i - 1 : i] not in (")", "]") and run:
                run = run[:-1]
            runs.append(run)
            run = ""
            if c == "{":  # skip the counts: {1,12}
                while i < n and pattern[i] != "}":
                    i += 1
        elif c == "|":
            if depth == 0:
                return None
        elif c == "(":
            runs.append(run)
            run, depth = "", depth + 1
        elif c == ")":
            depth -= 1
        elif c in "+.^$":
            runs.append(run)
            run = ""
        elif depth == 0:
            run += c
        i += 1
    runs.append(run)
    best = max(runs, key=len)
    return best or None


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains one, or None when none can be told.

    A text that contains none of them cannot match: the matcher runs each regular expression only
    on the sentences that hold one of its required strings (a substring test is far cheaper than a
    regex scan). A literal run in the pattern's text is taken when there is one (no parsing at
    load time); otherwise the parsed pattern is read.
    """
    run = _top_level_run(pattern)
    if run is not None and len(run) >= 2:
        return (run,)
    if _sre is None:
        return None
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        found = _required(parsed.data)
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    return tuple(found) if found else None
