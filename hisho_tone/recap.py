"""The written recap to send after the call: what was settled, what is still open, who does what.

Each sentence of the thread goes to at most one place, by what it is (``markers.toml`` holds the
phrases): a question nobody answered, or the other side's vague wording, is an open point the call
settles; an agreement (「14時で確定です」), a stated deadline (「明日が締切です」) or work done with
something concrete in it (「15名で予約済みです」) is already settled; a sentence with a verb of action
still to be done (送ります, 手配をお願いします) is a to-do, whose owner is whoever offered it, was asked
or is named, and whose deadline is the date in it. Anything else (「うーん、なんか違うんですよね」)
is a reaction, not a line of the recap. The texts of each register are in ``thread.toml`` [recap].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from . import markers
from .analysis import Analysis
from .analyzer import Analyzer
from .thread import MAX_MESSAGES, Message, _original, _questions, _said, _short, _texts, build_state, parse_messages
from .tokenize import Sentence

MAX_OPEN = 6  # open points listed (the call should settle a handful, not a backlog)
MAX_SETTLED = 4  # settled points listed (the latest)
MAX_STEPS = 5  # to-dos listed (the latest)
LINE_CHARS = 60  # a quoted sentence is cut to this many characters
# Specifics that can be a to-do's deadline (shared.toml [[specific]] ids).
_DUE_KINDS = frozenset({"date_slash", "date_kanji", "weekday", "time", "relative_day"})
_AGREEMENT = markers.pattern("agreement")
_ACTION = markers.pattern("action")
_UNABLE = markers.pattern("unable")
_HONORIFIC = markers.pattern("honorific")
_OWN_ACTION = markers.pattern("own_action")
_ASKED_ACTION = markers.pattern("asked_action")
_DEADLINE = markers.pattern("deadline")
_NAMED_OWNER = markers.pattern("named_owner")
_STOP_LEMMAS = markers.words("thread_stop_lemmas")


@dataclass(frozen=True, slots=True)
class Step:
    """A to-do: the sentence, who does it ("" when the sentence does not say) and by when ("" likewise)."""

    text: str
    owner: str
    due: str


@dataclass(slots=True)
class Sorted:
    """The thread's sentences sorted by what they are."""

    open: list[str]
    settled: list[str]
    steps: list[Step]


def _due(analysis: Analysis, start: int, end: int) -> str:
    """The first date or time inside a normalised sentence span, as written in the original."""
    for s, e, kind in analysis.specifics:
        if kind in _DUE_KINDS and start <= s < end:
            o_start, o_end = analysis.norm.original_span(s, e)
            return analysis.text[o_start:o_end]
    return ""


def _names_something(sentence: Sentence) -> bool:
    """Whether a sentence names a thing (a noun beyond 件/確認/明日…): 「確認いたします」 and
    「なんか違うんですよね」 do not, so they are not lines of the recap."""
    return any(t.pos1 == "名詞" and t.pos2 != "数詞" and t.lemma not in _STOP_LEMMAS for t in sentence.tokens)


def _owner(sentence: str, author: Message, other: str, me: str) -> str:
    """Who does what the sentence says: the person named as doing it (田中さんから), else the writer
    when they offer it and the reader when asked."""
    named = _NAMED_OWNER.search(sentence)
    if named:
        return named.group(1)
    writer = me if author.me else author.author
    reader = other if author.me else me
    if _ASKED_ACTION.search(sentence):
        return reader
    if _OWN_ACTION.search(sentence):
        return writer
    return ""


def sort_lines(messages: list[Message], analyses: list[Analysis], open_questions: list, other: str, me: str) -> Sorted:
    """Every sentence the thread says, sorted into open points, settled points and to-dos."""
    someone_is_me = any(m.me for m in messages)
    last_theirs = max((i for i, m in enumerate(messages) if not m.me), default=-1)
    open_points = [_short(q.surface, LINE_CHARS) for q in open_questions]
    asked: list[str] = []
    settled: list[str] = []
    steps: list[Step] = []
    for i, (a, m) in enumerate(zip(analyses, messages)):
        text = a.norm.text
        vague = [c for c in a.cues if c.category == "ambiguity"] if i == last_theirs else []
        for s in _said(a):
            sentence = text[s.start : s.end]
            if not (markers.asks(sentence) or _names_something(s) or _due(a, s.start, s.end)):
                continue  # 「確認いたします」「うーん、なんか違うんですよね」: a reaction, not a line
            line = _short(_original(a, s)[2], LINE_CHARS)
            if markers.asks(sentence):
                if not (someone_is_me and m.me):
                    asked.append(line)  # what the other side asked, answered or not: the call confirms it
            elif any(s.start <= c.start < s.end for c in vague):
                open_points.append(line)  # their latest wording is vague: what exactly did they mean?
            elif _AGREEMENT.search(sentence):
                settled.append(line)
            elif markers.ends_with("done", sentence):
                if any(s.start <= st < s.end for st, _, _ in a.specifics):
                    settled.append(line)  # 「15名で予約済みです」: done, and what was done is worth keeping
            elif _ACTION.search(sentence) and not _UNABLE.search(sentence):
                steps.append(Step(line, _owner(sentence, m, other, me), _due(a, s.start, s.end)))
            elif _DEADLINE.search(sentence) and _due(a, s.start, s.end):
                settled.append(line)  # a stated deadline: known to both, not a task of its own
    open_points = list(dict.fromkeys(open_points + asked[-3:]))[:MAX_OPEN]
    settled = [s for s in dict.fromkeys(settled) if s not in open_points][-MAX_SETTLED:]
    unique_steps = list({s.text: s for s in steps}.values())[-MAX_STEPS:]
    return Sorted(open_points, settled, unique_steps)


def recap_template(
    messages: Sequence[dict[str, Any]],
    draft: str | None = None,
    analyzer: Analyzer | None = None,
    channel: str = "chat",
) -> str:
    """A Japanese recap skeleton for after the call, in the register the user writes in: the points
    settled in writing, the open points the call settles (to fill in), and the to-dos with their
    owner and deadline where the thread says them."""
    parsed = parse_messages(messages)[-MAX_MESSAGES:]
    if analyzer is None:
        from . import default_analyzer

        analyzer = default_analyzer()
    state = build_state(analyzer, parsed, draft, channel, "normal")
    registers = (
        [a.register for a, m in zip(state.analyses, state.messages) if m.me]
        or [a.register for a in state.analyses]
        or ["polite"]
    )
    register = max(set(registers), key=registers.count)
    t = _texts()["recap"][register]
    other = next((m.author for m in reversed(parsed) if not m.me), "")
    name = _HONORIFIC.sub("", other) or "〇〇"
    open_questions = _questions(state.messages, state.analyses, include_mine=True, contents=state.contents)
    lines = sort_lines(state.messages, state.analyses, open_questions, other, t["me"])
    out = [t["greeting"].replace("{name}", name), "", t["decisions"]]
    items = [t["settled_item"].replace("{item}", s) for s in lines.settled]
    items += [t["decision_item"].replace("{item}", d) for d in lines.open]
    out += [item.replace("{n}", str(n)) for n, item in enumerate(items, 1)] or [t["no_decisions"]]
    out += ["", t["next_steps"]]
    blank = t["blank"]
    out += [
        t["step_item"].replace("{item}", s.text).replace("{owner}", s.owner or blank).replace("{due}", s.due or blank)
        for s in lines.steps
    ] or [t["no_steps"]]
    out += ["", t["closing"]]
    return "\n".join(out)
