"""Thread awareness: read the conversation around a draft, not just the draft.

``analyze_thread(messages, draft=None)`` finds the ping-pong (rounds on the open topic),
questions nobody answered, requests made again, visible misalignment and rising emotion, and
scores whether the conversation should move to a call (``recap.py`` drafts the written recap to
send after that call). Each message is analysed (and tokenized) exactly once.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from . import markers
from .advice import Advice, check_options, shorten
from .analysis import Analysis
from .analyzer import Analyzer
from .cache import BoundedCache

ORDER = ("text", "text_with_care", "call", "video")
# The one thread limit: only the latest MAX_MESSAGES messages are analysed (``truncated`` says when a
# thread had more); older history rarely changes the verdict. The service accepts no more than this
# (413 too_many_messages) and the extension sends fewer (the latest 10 on screen, extension/README.md).
MAX_MESSAGES = 50

# Phrase lists come from data/markers.toml (each with examples and counterexamples).
_RESOLUTION = markers.pattern("resolution")  # thanks or a decision: the topic is closed
_STOP_LEMMAS = markers.words("thread_stop_lemmas")
_BOILERPLATE = markers.pattern("boilerplate")
_WH = markers.pattern("wh_question")
_YES_NO = markers.pattern("yes_no")
_PROPOSAL = markers.pattern("proposal")  # a reply that offers something back takes the question up
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})


class ThreadError(ValueError):
    """The thread is not a list of messages; the message says which item and field is wrong."""


@dataclass(frozen=True, slots=True)
class Question:
    """A question in the thread that no later message answered."""

    message_index: int
    start: int
    end: int
    surface: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ThreadReason:
    """A reason that belongs to the conversation. ``message_index`` == len(messages) is the draft."""

    kind: str  # ping_pong | rising_emotion | unanswered_question | repeated_request | misalignment
    label: str
    message: str
    hint: str
    weight: float
    message_index: int | None  # the message the span belongs to (None: the thread as a whole)
    start: int | None
    end: int | None
    surface: str | None
    messages: list[int] = field(default_factory=list)  # every message involved

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ThreadAdvice:
    """The verdict for a conversation (and the draft being written in it)."""

    recommendation: str
    call_probability: float
    rounds: int
    unanswered_questions: list[Question]
    emotion_trend: str  # rising | steady | falling
    reasons: list[ThreadReason]
    per_message: list[Advice]
    draft: Advice | None
    invitation: str | None
    summary: str
    truncated: bool  # True when only the latest MAX_MESSAGES messages were read

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "call_probability": self.call_probability,
            "rounds": self.rounds,
            "unanswered_questions": [q.to_dict() for q in self.unanswered_questions],
            "emotion_trend": self.emotion_trend,
            "reasons": [r.to_dict() for r in self.reasons],
            "per_message": [a.to_dict() for a in self.per_message],
            "draft": self.draft.to_dict() if self.draft else None,
            "invitation": self.invitation,
            "summary": self.summary,
            "truncated": self.truncated,
        }


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    author: str
    me: bool


@lru_cache(maxsize=1)
def _texts() -> dict[str, Any]:
    return tomllib.loads((resources.files("hisho_tone.data") / "thread.toml").read_text(encoding="utf-8"))


def parse_messages(messages: Any) -> list[Message]:
    """Validate ``[{"text": str, "author": str, "me"?: bool}, ...]`` (oldest first)."""
    if not isinstance(messages, (list, tuple)):
        raise TypeError(f"messages must be a list of objects, not {type(messages).__name__}")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise ThreadError(f"messages[{i}] must be an object with 'text' and 'author', not {type(m).__name__}")
        text, author, me = m.get("text"), m.get("author", ""), m.get("me", False)
        if not isinstance(text, str):
            raise ThreadError(f"messages[{i}].text must be a string")
        if not isinstance(author, str):
            raise ThreadError(f"messages[{i}].author must be a string")
        if not isinstance(me, bool):
            raise ThreadError(f"messages[{i}].me must be true or false")
        out.append(Message(text, author or ("me" if me else f"#{i}"), me))
    return out


# -- what the thread says -------------------------------------------------------------------------
@dataclass(slots=True)
class ThreadState:
    """Everything the thread rules and the thread model read (shared by runtime and training)."""

    messages: list[Message]
    analyses: list[Analysis]  # one per message, then the draft's if any
    advices: list[Advice]
    rounds: int
    unanswered: list[Question]
    trend: str
    reasons: list[ThreadReason]
    resolved: bool
    contents: list[frozenset[str]] = field(default_factory=list)  # each message's content words (_content)


@dataclass(frozen=True, slots=True)
class Read:
    """One message read once: its analysis, its advice and its content words."""

    analysis: Analysis
    advice: Advice
    content: frozenset[str]


def read_message(analyzer: Analyzer, text: str, channel: str, sensitivity: str) -> Read:
    """Analyse one message of a thread (or the draft) and take its content words."""
    analysis = analyzer.inspect(text, channel)
    return Read(analysis, analyzer.advise(analysis, sensitivity), frozenset(_content(analysis)))


class MessageCache:
    """Thread messages already read, by (text, channel, sensitivity), for a long-running service.

    A client sends the whole thread with every debounced keystroke; with this cache each message is
    analysed once and then only the draft is. Bounded by characters (``max_chars`` per generation,
    see ``cache.BoundedCache``): an analysis holds its tokens, about 400 bytes per character.
    """

    def __init__(self, analyzer: Analyzer, max_chars: int = 20_000):
        self.analyzer = analyzer
        self._cache = BoundedCache(max_chars)

    def read(self, text: str, channel: str, sensitivity: str) -> Read:
        key = (text, channel, sensitivity)
        hit = self._cache.get(key)
        if hit is None:
            cost = max(1, len(text))
            hit = self._cache.remember(key, lambda: read_message(self.analyzer, text, channel, sensitivity), cost)
        return hit


def _said(analysis: Analysis) -> list:
    """The sentences that say something: not 〇〇様, お世話になっております, よろしくお願いします…"""
    text = analysis.norm.text
    return [s for s in analysis.sentences if not _BOILERPLATE.match(text[s.start : s.end])]


def _original(analysis: Analysis, sent) -> tuple[int, int, str]:
    """A sentence's span and text in the ORIGINAL message."""
    start, end = analysis.norm.original_span(sent.start, sent.end)
    return start, end, analysis.text[start:end]


def _sentence_around(analysis: Analysis, start: int, end: int) -> tuple[int, int, str]:
    """The original sentence that holds [start, end) (a cue phrase alone says little in a recap)."""
    for sent in analysis.sentences:
        s, e, text = _original(analysis, sent)
        if s <= start and end <= e:
            return s, e, text
    return start, end, analysis.text[start:end]


def _content(analysis: Analysis, start: int = 0, end: int | None = None) -> set[str]:
    end = len(analysis.norm.text) if end is None else end
    text = analysis.norm.text
    words = {
        t.lemma
        for s in _said(analysis)
        for t in s.tokens
        if start <= t.start < end
        and t.pos1 in _CONTENT_POS
        and t.pos2 not in ("数詞", "固有名詞")
        and t.lemma not in _STOP_LEMMAS
        and len(t.surface) > 1
    }
    # concrete content counts too: 「14時でお願いします」 answers 「10時と14時どちらが…」
    words.update("=" + text[s:e] for s, e, _ in analysis.specifics if start <= s < end)
    return words


def _turns(messages: list[Message]) -> list[list[int]]:
    """Consecutive messages by one author form one turn."""
    turns: list[list[int]] = []
    for i, m in enumerate(messages):
        if turns and messages[turns[-1][-1]].author == m.author:
            turns[-1].append(i)
        else:
            turns.append([i])
    return turns


def _is_resolution(analysis: Analysis, advice: Advice) -> bool:
    text = analysis.norm.text
    has_question = bool(markers.questions(text, analysis.sentences))
    # a thanks followed by a reservation (ありがとうございます。ただ、もう少し…かもしれません) settles
    # nothing: only a plain message, with no reason of its own, closes the topic
    return (
        bool(_RESOLUTION.search(text))
        and not has_question
        and advice.emotional_weight < 0.5
        and advice.recommendation == "text"
        and not advice.reasons
    )


def _rounds(
    messages: list[Message], analyses: list[Analysis], advices: list[Advice], drafted: bool
) -> tuple[int, bool]:
    """Back-and-forth exchanges since the last message that settled the topic, and whether it is settled.

    The draft (the last message when ``drafted``) never settles anything: it has not been sent.
    """
    turns = _turns(messages)
    settles = [
        _is_resolution(analyses[turn[-1]], advices[turn[-1]]) and not (drafted and turn[-1] == len(messages) - 1)
        for turn in turns
    ]
    open_from = 0
    for t, settled in enumerate(settles):
        if settled:
            open_from = t + 1
    resolved = bool(turns) and open_from == len(turns)
    if resolved:  # the thread ends settled: count the exchange that led to it
        start = 0
        for t in range(len(turns) - 1):
            if settles[t]:
                start = t + 1
        return (len(turns) - start) // 2, True
    return (len(turns) - open_from) // 2, False


def _answers_shape(question: str, reply: Analysis) -> bool:
    """A reply shaped like an answer: concrete content for a when/where/how-much question, yes/no,
    or a counter-proposal."""
    if _WH.search(question) and reply.specifics:
        return True
    return bool(_YES_NO.match(reply.norm.text) or _PROPOSAL.search(reply.norm.text))


def _questions(
    messages: list[Message],
    analyses: list[Analysis],
    include_mine: bool = False,
    contents: list[frozenset[str]] | None = None,
) -> list[Question]:
    """Questions that no later message by someone else took up (each message's words computed once).

    A question counts as answered when a later message by someone else shares its content words or
    concrete content (14時), or when the very next reply stays on it (brings at most one new word).
    """
    out = []
    n = len(analyses)
    if contents is None:
        contents = [frozenset(_content(a)) for a in analyses]
    someone_is_me = any(m.me for m in messages)
    for i in range(min(len(messages), n)):
        a = analyses[i]
        author = messages[i].author
        if someone_is_me and messages[i].me and not include_mine:
            continue  # the user's own proposals (「こちらでいかがでしょうか」) are not questions left to them
        later = [j for j in range(i + 1, n) if (messages[j].author if j < len(messages) else "<draft>") != author]
        if not later:
            continue  # nobody has spoken since: the reply is still to come, not missing
        for sent in a.sentences:
            sent_text = a.norm.text[sent.start : sent.end]
            if not markers.asks(sent_text):
                continue
            words = _content(a, sent.start, sent.end)
            answered = False
            for k, j in enumerate(later):
                theirs = contents[j]
                if words & theirs:
                    answered = True  # they took up what was asked
                    break
                if k == 0 and (len(theirs - words) < 2 or _answers_shape(sent_text, analyses[j])):
                    answered = True  # the very next reply stays on it, or has the shape of an answer
                    break
            if not answered:
                out.append(Question(i, *_original(a, sent)))
    return out


def _trend(weights: list[float]) -> str:
    if len(weights) < 3:
        return "steady"
    tail = weights[-6:]
    n = len(tail)
    mean_x, mean_y = (n - 1) / 2, sum(tail) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(tail)) / sum((x - mean_x) ** 2 for x in range(n))
    if slope > 0.06 and tail[-1] - tail[0] > 0.2:
        return "rising"
    if slope < -0.06 and tail[0] - tail[-1] > 0.2:
        return "falling"
    return "steady"


def _reason(kind: str, **kw: Any) -> ThreadReason:
    t = _texts()["reasons"][kind]
    message = t["message"]
    for key, value in kw.pop("fill", {}).items():
        message = message.replace("{" + key + "}", str(value))
    return ThreadReason(kind, t["label"], message, t["hint"], float(t["weight"]), **kw)


def _short(text: str, limit: int = 40) -> str:
    return shorten(text, limit)


def _thread_reasons(state: ThreadState) -> list[ThreadReason]:
    reasons = []
    n = len(state.messages)
    if state.rounds >= 3 and not state.resolved:
        reasons.append(
            _reason(
                "ping_pong",
                message_index=None,
                start=None,
                end=None,
                surface=None,
                messages=list(range(n)),
                fill={"rounds": state.rounds},
            )
        )
    if state.trend == "rising" and max(a.emotional_weight for a in state.advices) >= 0.5:
        top = max(range(len(state.advices)), key=lambda i: state.advices[i].emotional_weight)
        reasons.append(
            _reason(
                "rising_emotion",
                message_index=top,
                start=None,
                end=None,
                surface=None,
                messages=list(range(len(state.advices))),
            )
        )
    for q in state.unanswered:
        reasons.append(
            _reason(
                "unanswered_question",
                message_index=q.message_index,
                start=q.start,
                end=q.end,
                surface=q.surface,
                messages=[q.message_index],
                fill={"surface": _short(q.surface)},
            )
        )
    seen_kinds: set[tuple[str, int]] = set()
    for i, advice in enumerate(state.advices):
        for r in advice.reasons:
            kind = {
                "repetition_complaint": "repeated_request",
                "misalignment": "misalignment",
                "conflicting_instructions": "misalignment",
            }.get(r.kind)
            if kind and (kind, i) not in seen_kinds:
                seen_kinds.add((kind, i))
                start, end, surface = _sentence_around(state.analyses[i], r.start, r.end)
                reasons.append(
                    _reason(
                        kind,
                        message_index=i,
                        start=start,
                        end=end,
                        surface=surface,
                        messages=[i],
                        fill={"surface": _short(surface)},
                    )
                )
    reasons.extend(_repeated_asks(state, seen_kinds))
    return reasons


def _repeated_asks(state: ThreadState, seen: set[tuple[str, int]]) -> list[ThreadReason]:
    """The same author asking for the same thing twice (content words largely shared)."""
    out = []
    contents = state.contents
    for j in range(len(state.messages)):
        if ("repeated_request", j) in seen:
            continue
        words_j = contents[j]
        if len(words_j) < 2:
            continue
        for i in range(j):
            if state.messages[i].author != state.messages[j].author:
                continue
            words_i = contents[i]
            if len(words_i) >= 2 and len(words_i & words_j) / len(words_i | words_j) >= 0.5:
                said = _said(state.analyses[j])
                start, end, surface = _original(state.analyses[j], said[0])
                out.append(
                    _reason(
                        "repeated_request",
                        message_index=j,
                        start=start,
                        end=end,
                        surface=surface,
                        messages=[i, j],
                        fill={"surface": _short(surface)},
                    )
                )
                seen.add(("repeated_request", j))
                break
    return out


def build_state(
    analyzer: Analyzer,
    messages: list[Message],
    draft: str | None,
    channel: str,
    sensitivity: str,
    cache: MessageCache | None = None,
) -> ThreadState:
    """Analyse every message once (and the draft as the user's next message).

    ``cache``: messages already read are taken from it (the draft never is: it changes with every keystroke).
    """
    if cache is not None and cache.analyzer is not analyzer:
        raise ValueError("the message cache belongs to another Analyzer")
    reads = [
        cache.read(m.text, channel, sensitivity) if cache else read_message(analyzer, m.text, channel, sensitivity)
        for m in messages
    ]
    full = list(messages)
    if draft is not None:
        reads.append(read_message(analyzer, draft, channel, sensitivity))
        full.append(Message(draft, next((m.author for m in messages if m.me), "me"), True))
    analyses = [r.analysis for r in reads]
    advices = [r.advice for r in reads]
    contents = [r.content for r in reads]
    rounds, resolved = _rounds(full, analyses, advices, draft is not None)
    unanswered = _questions(full, analyses, contents=contents)
    trend = _trend([a.emotional_weight for a in advices])
    state = ThreadState(full, analyses, advices, rounds, unanswered, trend, [], resolved, contents)
    state.reasons = _thread_reasons(state)
    return state


def thread_features(state: ThreadState) -> dict[str, float]:
    """The thread model's features (shared by training and runtime)."""
    probs = [a.call_probability for a in state.advices] or [0.0]
    emos = [a.emotional_weight for a in state.advices] or [0.0]
    others = [a for a, m in zip(state.advices, state.messages) if not m.me] or state.advices
    kinds = [r.kind for r in state.reasons]
    return {
        "t:call_max_other": max((a.call_probability for a in others), default=0.0),
        "t:emo_max_other": max((a.emotional_weight for a in others), default=0.0),
        "t:ambiguity_max": max((a.ambiguity for a in state.advices), default=0.0),
        "t:share_call": sum(p >= 0.5 for p in probs) / len(probs),
        "t:questions": min(
            sum(len(markers.questions(a.norm.text, a.sentences)) for a in state.analyses),
            6,
        )
        / 6,
        "t:rounds": min(state.rounds, 8) / 4,
        "t:ping_pong": 1.0 if "ping_pong" in kinds else 0.0,
        "t:unanswered": min(len(state.unanswered), 3) / 3,
        "t:rising": 1.0 if state.trend == "rising" else 0.0,
        "t:falling": 1.0 if state.trend == "falling" else 0.0,
        "t:resolved": 1.0 if state.resolved else 0.0,
        "t:emo_max": max(emos),
        "t:emo_last": emos[-1],
        "t:call_max": max(probs),
        "t:call_last": probs[-1],
        "t:call_mean_last3": sum(probs[-3:]) / len(probs[-3:]),
        "t:misalignment": min(kinds.count("misalignment"), 3) / 3,
        "t:repeated": min(kinds.count("repeated_request"), 3) / 3,
        "t:length": min(len(state.messages), 15) / 15,
    }


def thread_probability(analyzer: Analyzer, state: ThreadState) -> float:
    """Calibrated probability from the model's thread head, or a transparent rule without one."""
    head = getattr(analyzer.model, "thread", None)
    feats = thread_features(state)
    if head is not None:
        return head.probability(feats)
    miss = 1.0 - 0.6 * feats["t:call_mean_last3"]
    for r in state.reasons:
        miss *= 1.0 - r.weight
    return 1.0 - miss


def analyze_thread(
    messages: Sequence[dict[str, Any]],
    draft: str | None = None,
    channel: str = "chat",
    sensitivity: str = "normal",
    analyzer: Analyzer | None = None,
    cache: MessageCache | None = None,
) -> ThreadAdvice:
    """Analyse a conversation (oldest first) and, if given, the draft being written in it.

    ``cache``: a ``MessageCache`` of ``analyzer`` that keeps messages read by earlier calls (a service
    answering every keystroke in the same thread then analyses only the draft).
    """
    if draft is not None and not isinstance(draft, str):
        raise TypeError(f"draft must be str or None, not {type(draft).__name__}")
    check_options(channel, sensitivity)
    parsed = parse_messages(messages)
    truncated = len(parsed) > MAX_MESSAGES
    parsed = parsed[-MAX_MESSAGES:]
    if analyzer is None and cache is not None:
        analyzer = cache.analyzer
    elif analyzer is None:
        from . import default_analyzer

        analyzer = default_analyzer()
    state = build_state(analyzer, parsed, draft, channel, sensitivity, cache)
    probability = thread_probability(analyzer, state) if parsed else 0.0
    care, call = analyzer.thread_thresholds(sensitivity)
    level = 0 if probability < care else 1 if probability < call else 2
    if not state.reasons:  # evidence first: the conversation adds nothing it cannot point at
        level = 0
    draft_advice = state.advices[-1] if draft is not None else None
    if draft_advice is not None:
        level = max(level, ORDER.index(draft_advice.recommendation))
    recent = state.advices[-3:]
    if level == 2 and any(a.recommendation == "video" for a in recent):
        level = 3
    recommendation = ORDER[level]
    per_message = state.advices[: len(parsed)]
    from . import invitations

    category = "emotion" if state.trend == "rising" else "complexity" if state.rounds >= 3 else "ambiguity"
    register = draft_advice or (per_message[-1] if per_message else None)
    return ThreadAdvice(
        recommendation=recommendation,
        call_probability=round(max(probability, draft_advice.call_probability if draft_advice else 0.0), 4),
        rounds=state.rounds,
        unanswered_questions=state.unanswered,
        emotion_trend=state.trend,
        reasons=state.reasons,
        per_message=per_message,
        draft=draft_advice,
        invitation=invitations.invitation(
            recommendation, channel, register.register if register else "polite", category
        ),
        summary=invitations.summary(recommendation),
        truncated=truncated,
    )
