"""Score an archive with the batch engine, aggregate the figures, write the page (and the JSON)."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import readers
from ..batch import run_batch
from ..batch_score import Options
from .aggregate import Settings, aggregate


@dataclass(frozen=True)
class ReportOptions:
    fmt: str = "auto"
    me: str | None = None
    gap_hours: float = 3.0
    channel: str = "chat"
    sensitivity: str = "normal"
    since: str | None = None  # a date (YYYY-MM-DD) or ISO 8601 time, in ``timezone`` when it has none
    until: str | None = None  # exclusive
    workers: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    redact: bool = False
    by_author: bool = False
    timezone: str = "Asia/Tokyo"
    title: str | None = None
    progress: bool = False
    user_config: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def parse_moment(value: str, zone: str) -> float:
    """Epoch seconds of a date or an ISO 8601 time (midnight, in ``zone``, for a bare date)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(
            f"not a date or ISO 8601 time: {value!r} (write 2026-11-01 or 2026-11-01T09:00+09:00)"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.timestamp()


def window(since: float | None, until: float | None):
    """Keep the messages sent in [since, until) (and those without a time); drop emptied conversations."""

    def select(conversation: readers.Conversation) -> readers.Conversation | None:
        kept = tuple(
            m
            for m in conversation.messages
            if m.time is None or ((since is None or m.time >= since) and (until is None or m.time < until))
        )
        if not kept:
            return None
        return (
            conversation if len(kept) == len(conversation.messages) else readers.Conversation(conversation.thread, kept)
        )

    return select


def build_report(
    source: str | Path, html_path: str | Path | None, json_path: str | Path | None, options: ReportOptions
) -> tuple[dict[str, Any], dict[str, float]]:
    """Write the report; return the summary and the seconds spent scoring, aggregating and rendering."""
    zone = options.timezone
    ZoneInfo(zone)  # an unknown zone fails here, before the scoring
    since = parse_moment(options.since, zone) if options.since else None
    until = parse_moment(options.until, zone) if options.until else None
    if since is not None and until is not None and since >= until:
        raise ValueError("--since must come before --until")
    fmt = readers.detect_format(Path(source)) if options.fmt == "auto" and Path(source).exists() else options.fmt
    kw = dict(sensitivity=options.sensitivity, with_text=not options.redact, threads=True, call_due=True)
    batch_options = Options.with_user_config(**kw) if options.user_config else Options(**kw)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="hisho-tone-report-") as tmp:
        messages, threads = Path(tmp, "messages.jsonl"), Path(tmp, "threads.jsonl")
        started = time.perf_counter()
        batch = run_batch(
            source,
            messages,
            fmt=fmt,
            threads_path=threads,
            me=options.me,
            gap_hours=options.gap_hours,
            channel=options.channel,
            options=batch_options,
            workers=options.workers,
            engine=options.engine,
            scheduler=options.scheduler,
            progress=options.progress,
            select=window(since, until) if since is not None or until is not None else None,
        )
        timings["scoring_s"] = time.perf_counter() - started
        started = time.perf_counter()
        settings = Settings(
            redact=options.redact, by_author=options.by_author, timezone=zone, chatwork_rooms=fmt == "chatwork"
        )
        summary = aggregate(str(messages), str(threads), settings, errors=batch.errors)
        timings["aggregate_s"] = time.perf_counter() - started
    summary["settings"].update(
        {"since": options.since, "until": options.until, "sensitivity": options.sensitivity, "input_format": fmt}
    )
    started = time.perf_counter()
    if json_path is not None:
        Path(json_path).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if html_path is not None:
        from .render import render

        Path(html_path).write_text(render(summary, title=options.title), encoding="utf-8")
    timings["render_s"] = time.perf_counter() - started
    return summary, timings
