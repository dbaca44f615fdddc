"""The report's figures, streamed from the batch outputs (one conversation in memory at a time).

``aggregate(messages_path, threads_path, settings)`` reads the thread lines and, for each, as many
message lines as it has (both files are in input order), and returns the summary: a plain dict that
``hisho-tone report --json`` writes as is and the page is rendered from, so the two always agree.
Message text reaches the summary only as flagged phrases and one excerpt per conversation, and not
at all with ``redact`` (the scoring then wrote no text either).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

from .labels import label

CALL = ("call", "video")
EXCERPT_CHARS = 40
PHRASE_CHARS = 20
EVIDENCE_PER_COUNTERPART = 6
# Early warning, over the counterpart's own messages in the last RECENT_WEEKS weeks of the archive:
RISE = 0.15  # mean emotional weight up by at least this much against the weeks before …
RISE_FLOOR = 0.25  # … and at least this high
MIN_MESSAGES = 3  # messages needed on each side to compare
CURT = 2  # curt replies in the recent weeks
REPEATED = 2  # requests made again (or complaints about having to) in the recent weeks


@dataclass(frozen=True)
class Settings:
    redact: bool = False
    by_author: bool = False
    timezone: str = "Asia/Tokyo"
    recent_weeks: int = 4
    chatwork_rooms: bool = False  # counterparts are Chatwork rooms (thread id ROOM-FIRST_MESSAGE_ID)


@dataclass
class _Counterpart:
    messages: int = 0
    conversations: int = 0
    call_conversations: int = 0
    weekly_weight: dict[str, list[float]] = field(
        default_factory=lambda: defaultdict(lambda: [0.0, 0])
    )  # week → [sum, n]
    weekly_curt: Counter = field(default_factory=Counter)
    weekly_repeated: Counter = field(default_factory=Counter)
    evidence: deque = field(default_factory=lambda: deque(maxlen=40))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(record: dict[str, Any]) -> str | None:
    """One short excerpt of a message: around its first flagged phrase, else its beginning."""
    text = record.get("text")
    if not isinstance(text, str):
        return None
    spans = [r for r in record.get("reasons", []) if isinstance(r.get("start"), int)]
    start = spans[0]["start"] if spans else 0
    sentence = max(text.rfind(mark, 0, start) for mark in "。！？!?\n") + 1  # from the start of the phrase's sentence …
    start = sentence if start - sentence <= 20 else start - 10  # … unless that is far before it
    return ("…" if start else "") + _short(text[start:], EXCERPT_CHARS)


class _Clock:
    def __init__(self, zone: tzinfo):
        self.zone = zone
        self._weeks: dict[int, str] = {}

    def week(self, t: float | None) -> str | None:
        """The Monday (in the report's time zone) of the week holding ``t``."""
        if t is None:
            return None
        day = int(t // 86400)
        if day not in self._weeks:
            local = datetime.fromtimestamp(t, self.zone).date()
            self._weeks[day] = (local - timedelta(days=local.weekday())).isoformat()
        return self._weeks[day]

    def month(self, t: float | None) -> str | None:
        return None if t is None else datetime.fromtimestamp(t, self.zone).strftime("%Y-%m")

    def iso(self, t: float | None) -> str | None:
        return None if t is None else datetime.fromtimestamp(t, self.zone).isoformat(timespec="minutes")


def _pairs(messages_path: str, threads_path: str) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each thread line with its message lines."""
    with open(messages_path, encoding="utf-8") as mf, open(threads_path, encoding="utf-8") as tf:
        for line in tf:
            thread = json.loads(line)
            yield thread, [json.loads(next(mf)) for _ in range(thread["messages"])]


def _counterpart_of(settings: Settings) -> Callable[[dict[str, Any], list[dict[str, Any]]], str]:
    def of(thread: dict[str, Any], records: list[dict[str, Any]]) -> str:
        if settings.chatwork_rooms:
            return "room " + thread["thread"].rsplit("-", 1)[0]
        return next((r["author"] for r in records if not r["me"] and r["author"]), "—")

    return of


def aggregate(messages_path: str, threads_path: str, settings: Settings, errors: int = 0) -> dict[str, Any]:
    """The summary of a scored archive (see the module docstring and docs/REPORT.md)."""
    clock = _Clock(ZoneInfo(settings.timezone))
    counterpart_of = _counterpart_of(settings)
    totals = Counter()
    weeks: dict[str, Counter] = defaultdict(Counter)
    parties: dict[str, _Counterpart] = defaultdict(_Counterpart)
    kinds: Counter = Counter()
    kind_conversations: Counter = Counter()
    kind_months: dict[str, Counter] = defaultdict(Counter)
    authors: dict[str, Counter] = defaultdict(Counter)
    author_kinds: dict[str, Counter] = defaultdict(Counter)
    call_threads: list[dict[str, Any]] = []
    first_time = last_time = None

    for thread, records in _pairs(messages_path, threads_path):
        is_call = thread["recommendation"] in CALL
        name = counterpart_of(thread, records)
        party = parties[name]
        times = [r["time"] for r in records if r["time"] is not None]
        start_week = clock.week(times[0]) if times else None
        totals["messages"] += len(records)
        totals["conversations"] += 1
        totals["call_conversations"] += is_call
        party.conversations += 1
        party.call_conversations += is_call
        if times:
            first_time = min(times[0], first_time if first_time is not None else times[0])
            last_time = max(times[-1], last_time if last_time is not None else times[-1])
        if start_week:
            weeks[start_week]["conversations"] += 1
            weeks[start_week]["call_conversations"] += is_call
        by_id = {r["id"]: r for r in records}
        for r in records:
            week = clock.week(r["time"])
            if week:
                weeks[week]["messages"] += 1
            if r["me"]:
                authors[r["author"]]["messages"] += 1
                authors[r["author"]]["call_messages"] += r["recommendation"] in CALL
                author_kinds[r["author"]].update(x["kind"] for x in r["reasons"])
                continue
            party.messages += 1
            if week:
                cell = party.weekly_weight[week]
                cell[0] += r["emotional_weight"]
                cell[1] += 1
            for reason in r["reasons"]:
                if reason["kind"] in ("curt_reply", "repetition_complaint"):
                    kind = "curt_reply" if reason["kind"] == "curt_reply" else "repeated_request"
                    _evidence(party, kind, r, reason, week, clock, settings)
                    break
            if r["emotional_weight"] >= 0.5 and r["reasons"]:
                _evidence(party, "emotion", r, r["reasons"][0], week, clock, settings)
        for reason in thread["reasons"]:
            if (
                reason["kind"] == "repeated_request"
                and reason.get("message") in by_id
                and not by_id[reason["message"]]["me"]
            ):
                r = by_id[reason["message"]]
                if not any(e["message"] == r["id"] and e["kind"] == "repeated_request" for e in party.evidence):
                    _evidence(party, "repeated_request", r, reason, clock.week(r["time"]), clock, settings)
        for author in {r["author"] for r in records if r["me"]}:
            authors[author]["conversations"] += 1
            authors[author]["call_conversations"] += is_call
        if is_call:
            seen_kinds = _count_reasons(thread, records, kinds, kind_months, clock)
            kind_conversations.update(seen_kinds)
            call_threads.append(_call_thread(thread, records, name, clock, settings))

    recent = _recent_weeks(weeks, settings.recent_weeks)
    counterparts = [_counterpart_summary(name, p, recent) for name, p in parties.items()]
    counterparts.sort(key=lambda c: (-c["messages"], c["name"]))
    warnings = sorted(
        (c["warning"] | {"counterpart": c["name"]} for c in counterparts if c["warning"]["signals"]),
        key=lambda w: (-len(w["signals"]), -(w["rise"] or 0), w["counterpart"]),
    )
    call_threads.sort(key=lambda c: (-c["cost"], c["thread"]))
    months = sorted({m for counts in kind_months.values() for m in counts})
    week_list = sorted(weeks)
    summary: dict[str, Any] = {
        "format": "hisho-tone-report/1",
        "settings": {
            "redact": settings.redact,
            "by_author": settings.by_author,
            "timezone": settings.timezone,
            "recent_weeks": settings.recent_weeks,
        },
        "overview": {
            "messages": totals["messages"],
            "conversations": totals["conversations"],
            "call_conversations": totals["call_conversations"],
            "call_share": _share(totals["call_conversations"], totals["conversations"]),
            "unreadable_records": errors,
            "first_time": clock.iso(first_time),
            "last_time": clock.iso(last_time),
        },
        "weeks": [
            {
                "week": w,
                "messages": weeks[w]["messages"],
                "conversations": weeks[w]["conversations"],
                "call_conversations": weeks[w]["call_conversations"],
                "call_share": _share(weeks[w]["call_conversations"], weeks[w]["conversations"]),
            }
            for w in week_list
        ],
        "call_threads": call_threads,
        "counterparts": [{k: v for k, v in c.items() if k != "warning"} for c in counterparts],
        "early_warning": warnings,
        "reasons": {
            "months": months,
            "kinds": [
                {
                    "kind": k,
                    "label": label(k),
                    "count": n,
                    "conversations": kind_conversations[k],
                    "monthly": [kind_months[k][m] for m in months],
                    "trend": _trend([kind_months[k][m] for m in months]),
                }
                for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        },
    }
    if settings.by_author:
        summary["authors"] = [
            {
                "author": a,
                "messages": c["messages"],
                "call_messages": c["call_messages"],
                "call_message_share": _share(c["call_messages"], c["messages"]),
                "conversations": c["conversations"],
                "call_conversations": c["call_conversations"],
                "call_conversation_share": _share(c["call_conversations"], c["conversations"]),
                "top_reasons": [{"kind": k, "label": label(k), "count": n} for k, n in author_kinds[a].most_common(3)],
            }
            for a, c in sorted(authors.items(), key=lambda ac: (-ac[1]["messages"], ac[0]))
        ]
    return summary


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _phrase(record: dict[str, Any], reason: dict[str, Any]) -> str | None:
    if reason.get("kind") == "model_signal":  # its span is a whole sentence, not a phrase: no text
        return None
    surface = reason.get("surface")
    return _short(surface, PHRASE_CHARS) if isinstance(surface, str) and surface else None


def _evidence(
    party: _Counterpart,
    kind: str,
    record: dict[str, Any],
    reason: dict[str, Any],
    week: str | None,
    clock: _Clock,
    settings: Settings,
) -> None:
    item = {
        "kind": kind,
        "message": record["id"],
        "thread": record["thread"],
        "time": clock.iso(record["time"]),
        "week": week,
        "emotional_weight": record["emotional_weight"],
    }
    if not settings.redact:
        item["phrase"] = _phrase(record, reason)
    if kind == "curt_reply" and week:
        party.weekly_curt[week] += 1
    if kind == "repeated_request" and week:
        party.weekly_repeated[week] += 1
    party.evidence.append(item)


def _count_reasons(
    thread: dict[str, Any],
    records: list[dict[str, Any]],
    kinds: Counter,
    kind_months: dict[str, Counter],
    clock: _Clock,
) -> set[str]:
    """Count the reasons of a call-worthy conversation: its messages' and the thread's own."""
    seen: set[str] = set()
    for r in records:
        month = clock.month(r["time"])
        for reason in r["reasons"]:
            kinds[reason["kind"]] += 1
            seen.add(reason["kind"])
            if month:
                kind_months[reason["kind"]][month] += 1
    month = clock.month(next((r["time"] for r in reversed(records) if r["time"] is not None), None))
    for reason in thread["reasons"]:
        kinds[reason["kind"]] += 1
        seen.add(reason["kind"])
        if month:
            kind_months[reason["kind"]][month] += 1
    return seen


def _call_thread(
    thread: dict[str, Any], records: list[dict[str, Any]], counterpart: str, clock: _Clock, settings: Settings
) -> dict[str, Any]:
    """One conversation that should have been a call: its cost, the moment a call was due, its reasons, its end."""
    times = [r["time"] for r in records if r["time"] is not None]
    days_open = round((times[-1] - times[0]) / 86400, 1) if len(times) > 1 else 0.0
    weights = [r["emotional_weight"] for r in records]
    head, tail = weights[:2], weights[-2:]
    emotion_change = round(sum(tail) / len(tail) - sum(head) / len(head), 3)
    peak = max(weights)
    cost = round(thread["rounds"] + 0.5 * min(days_open, 14) + 4 * max(0.0, emotion_change) + 2 * peak, 2)
    due_id = thread.get("call_due")
    due_index = next((i for i, r in enumerate(records) if r["id"] == due_id), None)
    due = None
    if due_index is not None:
        r = records[due_index]
        due = {
            "message": r["id"],
            "index": due_index,
            "of": len(records),
            "time": clock.iso(r["time"]),
            "author_is_me": r["me"],
        }
        if not settings.redact:
            due["excerpt"] = _excerpt(r)
    counts: Counter = Counter()
    phrases: dict[str, list[str]] = defaultdict(list)
    for r in records:
        for reason in r["reasons"]:
            counts[reason["kind"]] += 1
            phrase = _phrase(r, reason)
            if phrase and phrase not in phrases[reason["kind"]] and len(phrases[reason["kind"]]) < 3:
                phrases[reason["kind"]].append(phrase)
    for reason in thread["reasons"]:
        counts[reason["kind"]] += 2  # the conversation's own reasons outweigh a single message's
    top = []
    for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
        item = {"kind": kind, "label": label(kind), "count": n}
        if not settings.redact:
            item["phrases"] = phrases.get(kind, [])
        top.append(item)
    last = records[-1]
    if last["emotional_weight"] >= 0.5 or any(x["kind"] == "curt_reply" for x in last["reasons"]):
        ended = "tense"
    elif thread["unanswered_questions"]:
        ended = "unanswered"
    elif last["recommendation"] in CALL:
        ended = "open"
    else:
        ended = "calm"
    return {
        "thread": thread["thread"],
        "counterpart": counterpart,
        "recommendation": thread["recommendation"],
        "call_probability": thread["call_probability"],
        "messages": len(records),
        "first_time": clock.iso(times[0]) if times else None,
        "last_time": clock.iso(times[-1]) if times else None,
        "rounds": thread["rounds"],
        "days_open": days_open,
        "emotion_change": emotion_change,
        "emotion_trend": thread["emotion_trend"],
        "cost": cost,
        "call_due": due,
        "reasons": top,
        "thread_reasons": sorted({r["kind"] for r in thread["reasons"]}),
        "ended": ended,
        "last_from_me": last["me"],
    }


def _recent_weeks(weeks: dict[str, Counter], n: int) -> list[str]:
    if not weeks:
        return []
    last = datetime.fromisoformat(max(weeks)).date()
    return [(last - timedelta(weeks=i)).isoformat() for i in range(n - 1, -1, -1)]


def _counterpart_summary(name: str, p: _Counterpart, recent: list[str]) -> dict[str, Any]:
    weekly = [
        {
            "week": w,
            "messages": int(p.weekly_weight[w][1]),
            "emotional_weight": round(p.weekly_weight[w][0] / p.weekly_weight[w][1], 3),
            "curt_replies": p.weekly_curt[w],
            "repeated_requests": p.weekly_repeated[w],
        }
        for w in sorted(p.weekly_weight)
    ]
    recent_set = set(recent)
    now = [(s, n) for w, (s, n) in p.weekly_weight.items() if w in recent_set]
    before = [(s, n) for w, (s, n) in p.weekly_weight.items() if recent and w < recent[0]]
    n_now, n_before = sum(n for _, n in now), sum(n for _, n in before)
    mean_now = round(sum(s for s, _ in now) / n_now, 3) if n_now else None
    mean_before = round(sum(s for s, _ in before) / n_before, 3) if n_before else None
    rise = round(mean_now - mean_before, 3) if mean_now is not None and mean_before is not None else None
    curt_now = sum(p.weekly_curt[w] for w in recent)
    curt_before = sum(c for w, c in p.weekly_curt.items() if w not in recent_set)
    repeated_now = sum(p.weekly_repeated[w] for w in recent)
    signals = []
    if (
        rise is not None
        and n_now >= MIN_MESSAGES
        and n_before >= MIN_MESSAGES
        and rise >= RISE
        and mean_now >= RISE_FLOOR
    ):
        signals.append("rising_emotion")
    if curt_now >= CURT and curt_now / max(n_now, 1) > curt_before / max(n_before, 1):
        signals.append("curt_replies")
    if repeated_now >= REPEATED:
        signals.append("repeated_requests")
    evidence = [e for e in p.evidence if e["week"] in recent_set]
    evidence.sort(
        key=lambda e: (
            {"repeated_request": 0, "curt_reply": 1, "emotion": 2}[e["kind"]] if signals else 0,
            e["time"] or "",
        ),
        reverse=False,
    )
    picked = _pick_evidence(evidence, signals)
    return {
        "name": name,
        "messages": p.messages,
        "conversations": p.conversations,
        "call_conversations": p.call_conversations,
        "call_share": _share(p.call_conversations, p.conversations),
        "weekly": weekly,
        "warning": {
            "signals": signals,
            "recent_weight": mean_now,
            "earlier_weight": mean_before,
            "rise": rise,
            "curt_replies": curt_now,
            "repeated_requests": repeated_now,
            "evidence": picked,
        },
    }


def _pick_evidence(evidence: list[dict[str, Any]], signals: list[str]) -> list[dict[str, Any]]:
    """A few items for each signal raised, newest first."""
    wanted = {"rising_emotion": "emotion", "curt_replies": "curt_reply", "repeated_requests": "repeated_request"}
    out: list[dict[str, Any]] = []
    shown: set[str] = set()
    for signal in signals:
        items = [e for e in evidence if e["kind"] == wanted[signal] and e["message"] not in shown]
        picked = sorted(items, key=lambda e: e["time"] or "", reverse=True)[
            : EVIDENCE_PER_COUNTERPART // max(1, len(signals))
        ]
        shown.update(e["message"] for e in picked)
        out.extend(picked)
    return out


def _trend(series: list[int]) -> str:
    """rising / falling / steady: the later half of the months against the earlier half."""
    if len(series) < 2:
        return "steady"
    half = len(series) // 2
    early, late = sum(series[:half]) / half, sum(series[half:]) / (len(series) - half)
    if late > 1.5 * early + 0.5:
        return "rising"
    if early > 1.5 * late + 0.5:
        return "falling"
    return "steady"
