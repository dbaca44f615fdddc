"""The partition function: score a list of conversations into output lines.

``score_partition(conversations, options)`` is what every engine runs — the local workers, a
Dask cluster, or Spark's ``mapInPandas`` (docs/BATCH.md). It is pure: the same conversations
and options give the same bytes on any machine, whatever else runs in the process. Each process
loads the model once (``analyzer_for`` keeps one Analyzer per set of options).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .advice import Advice
from .analyzer import Analyzer
from .readers import Conversation, Message, message_from_record


@dataclass(frozen=True)
class Options:
    """What changes the scores or the records: the same options give the same output bytes."""

    sensitivity: str = "normal"
    with_text: bool = False  # copy the message text (and reason surfaces) into the records
    threads: bool = False  # also judge each conversation with analyze_thread
    call_due: bool = False  # thread lines also say at which message a call was first due (hisho-tone report)
    disabled_kinds: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    phrases: tuple[dict[str, Any], ...] = ()

    @classmethod
    def with_user_config(cls, **kw: Any) -> "Options":
        """Options that carry the user's configuration file, so remote workers apply it too."""
        from .config import load

        user = load()
        return cls(
            disabled_kinds=tuple(sorted(user.disabled_kinds)),
            allow=tuple(p.pattern for p in user.allow),
            phrases=tuple(user.phrases),
            **kw,
        )

    def analyzer_key(self) -> str:
        return json.dumps([self.disabled_kinds, self.allow, self.phrases], sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Scored:
    """Output of one conversation: its message lines (in order) and its thread line."""

    messages: tuple[str, ...]
    thread: str | None


_analyzers: dict[str, Analyzer] = {}
_lock = threading.Lock()


def analyzer_for(options: Options) -> Analyzer:
    """This process's Analyzer for ``options`` (created, and the model loaded, once)."""
    key = options.analyzer_key()
    with _lock:
        if key not in _analyzers:
            _analyzers[key] = Analyzer(
                config=False,
                disabled_kinds=list(options.disabled_kinds),
                allow=list(options.allow),
                phrases=list(options.phrases),
            )
        return _analyzers[key]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def message_record(message: Message, advice: Advice, with_text: bool) -> dict[str, Any]:
    """One output line: the verdict and where its reasons are (text only when asked)."""
    reasons = []
    for r in advice.reasons:
        reason: dict[str, Any] = {"kind": r.kind, "category": r.category, "start": r.start, "end": r.end}
        if with_text:
            reason["surface"] = r.surface
        reason["spans"] = [s.to_dict() if with_text else {"start": s.start, "end": s.end} for s in r.spans]
        reasons.append(reason)
    record = {
        "id": message.id,
        "thread": message.thread,
        "author": message.author,
        "me": message.me,
        "time": message.time,
        "channel": message.channel,
        "recommendation": advice.recommendation,
        "call_probability": advice.call_probability,
        "ambiguity": advice.ambiguity,
        "emotional_weight": advice.emotional_weight,
        "reasons": reasons,
    }
    if with_text:
        record["text"] = message.text
    return record


def thread_record(conversation: Conversation, advice: Any, with_text: bool) -> dict[str, Any]:
    """One line per conversation: the thread verdict, with message ids instead of indices."""
    messages = conversation.messages
    offset = len(messages) - len(advice.per_message)  # analyze_thread reads the latest messages

    def ident(index: int | None) -> str | None:
        return None if index is None or not 0 <= index < len(advice.per_message) else messages[offset + index].id

    reasons = []
    for r in advice.reasons:
        reason = {
            "kind": r.kind,
            "message": ident(r.message_index),
            "messages": [ident(i) for i in r.messages],
            "start": r.start,
            "end": r.end,
        }
        if with_text:
            reason["surface"] = r.surface
        reasons.append(reason)
    return {
        "thread": conversation.thread,
        "first_id": messages[0].id,
        "last_id": messages[-1].id,
        "messages": len(messages),
        "recommendation": advice.recommendation,
        "call_probability": advice.call_probability,
        "rounds": advice.rounds,
        "emotion_trend": advice.emotion_trend,
        "unanswered_questions": [
            {"message": ident(q.message_index), "start": q.start, "end": q.end} for q in advice.unanswered_questions
        ],
        "reasons": reasons,
        "truncated": advice.truncated,
    }


def score_conversation(conversation: Conversation, options: Options, analyzer: Analyzer) -> Scored:
    """Score every message, and the conversation itself when ``options.threads``."""
    from .thread import analyze_thread

    messages = conversation.messages
    advices: list[Advice | None] = [None] * len(messages)
    thread = None
    if options.threads:
        channel = messages[-1].channel
        payload = [{"author": m.author, "text": m.text, "me": m.me} for m in messages]
        verdict = analyze_thread(payload, channel=channel, sensitivity=options.sensitivity, analyzer=analyzer)
        record = thread_record(conversation, verdict, options.with_text)
        if options.call_due:
            record["call_due"] = _call_due(conversation, payload, verdict, channel, options, analyzer)
        thread = _line(record)
        if all(m.channel == channel for m in messages):  # the thread read each message as analyze() does
            advices[len(messages) - len(verdict.per_message) :] = verdict.per_message
    lines = []
    for message, advice in zip(messages, advices):
        if advice is None:
            advice = analyzer.analyze(message.text, channel=message.channel, sensitivity=options.sensitivity)
        lines.append(_line(message_record(message, advice, options.with_text)))
    return Scored(tuple(lines), thread)


def _call_due(
    conversation: Conversation,
    payload: list[dict[str, Any]],
    verdict: Any,
    channel: str,
    options: Options,
    analyzer: Analyzer,
) -> str | None:
    """Id of the first message at which the conversation said call (None unless it ends as call)."""
    from .report.due import CALL, call_due

    if verdict.recommendation not in CALL:
        return None
    index = call_due(payload, channel, options.sensitivity, analyzer)
    return None if index is None else conversation.messages[index].id


def score_partition(conversations: Sequence[Conversation], options: Options) -> list[Scored]:
    """The output of each conversation, in order (the function every engine runs)."""
    analyzer = analyzer_for(options)
    return [score_conversation(c, options, analyzer) for c in conversations]


def score_rows(rows: Iterable[Mapping[str, Any]], options: Options, channel: str = "chat") -> list[str]:
    """Message lines for rows with the JSONL fields, one per row, in row order (for Spark and the like).

    The rows of a thread must come together, oldest first. A malformed row gives
    ``{"id": …, "error": reason}`` in its place, so the lines stay aligned with the rows.
    """
    out: list[str] = []
    group: list[Message] = []

    def flush() -> None:
        if group:
            scored = score_partition([Conversation(group[0].thread, tuple(group))], options)[0]
            out.extend(scored.messages)
            group.clear()

    for n, row in enumerate(rows, 1):
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}  # pandas' NaN: missing
        try:
            message = message_from_record(clean, n, channel)
        except ValueError as exc:
            flush()
            out.append(_line({"id": None if clean.get("id") is None else str(clean["id"]), "error": str(exc)}))
            continue
        if group and message.thread != group[0].thread:
            flush()
        group.append(message)
    flush()
    return out
