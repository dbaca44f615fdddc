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

import re
from dataclasses import dataclass
from typing import Any, Sequence

from . import markers
from .analysis import Analysis
from .analyzer import Analyzer
from .thread import MAX_MESSAGES, Message, _original, _questions, _said, _short, _texts, build_state, parse_messages
from .tokenize import Sentence

REGISTERS = ("keigo", "polite", "casual")  # most formal first
MAX_OPEN = 6  # open points listed (the call should settle a handful, not a backlog)
MAX_SETTLED = 4  # settled points listed (the latest)
MAX_STEPS = 5  # to-dos listed (the latest)
LINE_CHARS = 60  # a quoted sentence is cut to this many characters
ANSWER_CHARS = 30  # a settled question and its answer: each cut to this many characters
MIN_QUESTION_CHARS = 5  # shorter questions (「明日？」「は？」「④は？」) echo or follow up; they settle nothing
# Specifics that can be a to-do's deadline (shared.toml [[specific]] ids).
_DUE_KINDS = frozenset({"date_slash", "date_kanji", "weekday", "time", "relative_day"})
_AGREEMENT = markers.pattern("agreement")
_ACTION = markers.pattern("action")
_UNABLE = markers.pattern("unable")
_HONORIFIC = markers.pattern("honorific")
_CORRECTION = markers.pattern("correction")
_THANKS = markers.pattern("thanks")
_SENDING_NOW = markers.pattern("sending_now")
_WH = markers.pattern("wh_question")
_YES_NO = markers.pattern("yes_no")
_PROPOSAL = markers.pattern("proposal")
_PUNCTUATION = re.compile(r"[\s。、.,!?…]")
_DUE_TAIL = re.compile(r"(?:の|に|まで)$")  # 「金曜まで」 → 金曜
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
    """The first date or time inside a normalised sentence span that reads as a deadline, as written
    in the original: not 「15時以降で」「来週の候補日」 nor 「発行日は月末」, and never cut at の."""
    text = analysis.norm.text
    for s, e, kind in analysis.specifics:
        if kind not in _DUE_KINDS or not start <= s < end:
            continue
        if text[e : e + 2] in ("以降", "から") or text[e : e + 1] == "の" or text[s - 1 : s] == "は":
            continue
        o_start, o_end = analysis.norm.original_span(s, e)
        return _DUE_TAIL.sub("", analysis.text[o_start:o_end])
    return ""


def _concrete(analysis: Analysis, start: int, end: int) -> bool:
    """Whether a normalised span holds concrete content (a date, a time, an amount…)."""
    return any(start <= s < end for s, _, _ in analysis.specifics)


def _nouns(sentence: Sentence) -> frozenset[str]:
    """The things a sentence names (nouns beyond 件/確認/明日…): 「確認いたします」 and
    「なんか違うんですよね」 name none, so they are not lines of the recap."""
    return frozenset(
        t.lemma for t in sentence.tokens if t.pos1 == "名詞" and t.pos2 != "数詞" and t.lemma not in _STOP_LEMMAS
    )


def _latest_per_topic(items: list[tuple[str, frozenset[str], str]]) -> list[str]:
    """(key, nouns, line) items, an earlier one dropped when a later one with the same key names one
    of its things: 「費用の件は上長に確認いたします」 then 「上長と確認のうえ、改めてご連絡いたします」 is one to-do."""
    kept = []
    for n, (key, nouns, line) in enumerate(items):
        if line in kept or any(k == key and nouns & later for k, later, _ in items[n + 1 :]):
            continue
        kept.append(line)
    return kept


def _owner(sentence: str, author: Message, other: str, me: str) -> str:
    """Who does what the sentence says: the person named as doing it (田中さんから), else the writer
    when they offer it (「確認させてください」 included) and the reader when asked."""
    named = _NAMED_OWNER.search(sentence)
    if named:
        return named.group(1)
    writer = me if author.me else author.author
    reader = other if author.me else me
    if _OWN_ACTION.search(sentence) and "させて" in sentence:
        return writer
    if _ASKED_ACTION.search(sentence):
        return reader
    if _OWN_ACTION.search(sentence):
        return writer
    return ""


def _next_reply(messages: list[Message], i: int) -> int | None:
    """The first later message by someone else than the author of message ``i``."""
    return next((j for j in range(i + 1, len(messages)) if messages[j].author != messages[i].author), None)


class _Thread:
    """What the sorting reads about each message: the reply it got and whether that reply corrects it."""

    def __init__(self, messages: list[Message], analyses: list[Analysis]):
        self.messages = messages
        self.analyses = analyses
        self.replies = [_next_reply(messages, i) for i in range(len(messages))]
        self.corrected = [j is not None and bool(_CORRECTION.search(analyses[j].norm.text)) for j in self.replies]

    def answer(self, i: int) -> str:
        """The reply's first sentence when it answers a question concretely (「300部で考えています」, 「はい」)."""
        j = self.replies[i]
        if j is None or self.corrected[i]:
            return ""
        a = self.analyses[j]
        said = _said(a)
        if not said:
            return ""
        first = said[0]
        sentence = a.norm.text[first.start : first.end]
        if markers.asks(sentence) or not (_concrete(a, first.start, first.end) or _YES_NO.match(sentence)):
            return ""
        return _short(_original(a, first)[2], ANSWER_CHARS)

    def still_asked(self, i: int) -> bool:
        """Whether a question in message ``i`` is still open: nobody has replied yet, or the reply
        answers with a question (「どの件でしょうか？」) or a proposal awaiting a yes (「こちらでいかがでしょうか。」)."""
        j = self.replies[i]
        if j is None:
            return True
        a = self.analyses[j]
        said = [a.norm.text[s.start : s.end] for s in _said(a)]
        return bool(said) and (markers.asks(said[0]) or any(markers.asks(s) and _PROPOSAL.search(s) for s in said))

    def done_later(self, i: int, word: str) -> bool:
        """Whether a later message reports ``word`` (更新, 差し替え…) as done: 「更新いたしました」."""
        for a in self.analyses[i + 1 :]:
            text = a.norm.text
            if any(
                word in text[s.start : s.end] and markers.ends_with("done", text[s.start : s.end]) for s in a.sentences
            ):
                return True
        return False

    def sent_now(self, i: int, sentence_end: int, sentence: str) -> bool:
        """「日程候補をお送りします。」 followed by the list or the link: sent as it is said."""
        a = self.analyses[i]
        return bool(_SENDING_NOW.search(sentence)) and any(
            s >= sentence_end and kind in ("numbered_item", "url_or_file", "date_slash", "date_kanji")
            for s, _, kind in a.specifics
        )


def _complaint(analysis: Analysis, sent: Sentence, sentence: str) -> bool:
    """A question that blames or complains (a cue of emotion in it, or a rhetorical ending)."""
    return markers.ends_with("rhetorical", sentence) or any(
        c.category == "emotion" and sent.start <= c.start < sent.end for c in analysis.cues
    )


def sort_lines(messages: list[Message], analyses: list[Analysis], unanswered: list, other: str, me: str) -> Sorted:
    """Every sentence the thread says, sorted into open points, settled points and to-dos."""
    thread = _Thread(messages, analyses)
    still_open = {(q.message_index, q.start, q.end) for q in unanswered}
    last_theirs = max((i for i, m in enumerate(messages) if not m.me), default=-1)
    open_points: list[tuple[str, frozenset[str], str]] = []  # ("", nouns, line)
    settled: list[str] = []
    steps: list[tuple[str, frozenset[str], Step]] = []  # (owner, nouns, step)
    for i, (a, m) in enumerate(zip(analyses, messages)):
        text = a.norm.text
        vague = [c for c in a.cues if c.category == "ambiguity"] if i == last_theirs else []
        said = _said(a)
        asking = [markers.asks(text[s.start : s.end]) for s in said]
        for s, asks in zip(said, asking):
            sentence = text[s.start : s.end]
            start, end, original = _original(a, s)
            line = _short(original, LINE_CHARS)
            nouns = _nouns(s)
            named = bool(nouns) or _concrete(a, s.start, s.end)
            if asks:
                if _complaint(a, s, sentence) or len(_PUNCTUATION.sub("", sentence)) < MIN_QUESTION_CHARS:
                    continue  # 「前も言ったよね？」「明日？」: a complaint or an echo, not a point to settle
                if (i, start, end) in still_open or thread.still_asked(i):
                    open_points.append(("", nouns, line))
                elif sum(asking) == 1 and (answer := thread.answer(i)):
                    settled.append(f"{_short(original, ANSWER_CHARS)} → {answer}")
                continue
            if not named or _THANKS.match(sentence):
                continue  # 「確認いたします」「うーん、なんか違うんですよね」「ご連絡ありがとうございます。」
            if any(s.start <= c.start < s.end for c in vague):
                open_points.append(("", nouns, line))  # their latest wording is vague: what did they mean?
            elif _AGREEMENT.search(sentence) and not _WH.search(sentence):
                if not thread.corrected[i]:
                    settled.append(line)
            elif markers.ends_with("done", sentence):
                if (
                    markers.ends_with("completed", sentence)
                    and _concrete(a, s.start, s.end)
                    and not thread.corrected[i]
                ):
                    settled.append(line)  # 「15名で予約済みです」: done, and what was done is worth keeping
            elif (action := _ACTION.search(sentence)) and not _UNABLE.search(sentence):
                if not (thread.sent_now(i, s.end, sentence) or thread.done_later(i, action.group(0))):
                    owner = _owner(sentence, m, other, me)
                    steps.append((owner, nouns, Step(line, owner, _due(a, s.start, s.end))))
            elif _DEADLINE.search(sentence) and _due(a, s.start, s.end) and not _WH.search(sentence):
                if not thread.corrected[i]:
                    settled.append(line)  # a stated deadline: known to both, not a task of its own
    open_lines = _latest_per_topic(open_points)[:MAX_OPEN]
    settled = [s for s in dict.fromkeys(settled) if s not in open_lines][-MAX_SETTLED:]
    by_text = {step.text: step for _, _, step in steps}
    to_do = [by_text[text] for text in _latest_per_topic([(o, n, st.text) for o, n, st in steps])][-MAX_STEPS:]
    return Sorted(open_lines, settled, to_do)


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
    register = max(REGISTERS, key=registers.count)  # a tie goes to the more formal one: it is sent to a client
    t = _texts()["recap"][register]
    other = next((m.author for m in reversed(parsed) if not m.me), "")
    name = _HONORIFIC.sub("", other) or "〇〇"
    unanswered = _questions(state.messages, state.analyses, include_mine=True, contents=state.contents)
    lines = sort_lines(state.messages, state.analyses, unanswered, other, t["me"])
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
