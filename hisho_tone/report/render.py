"""The page: one self-contained HTML file (inline CSS, SVG and a few lines of script; no request of any kind)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from . import charts

PAGE_CALL_THREADS = 100  # the page lists the costliest ones; the JSON summary has them all
PAGE_COUNTERPARTS = 40
CHART_COUNTERPARTS = 6
CHART_KINDS = 6

ENDED = {
    "tense": {"ja": "緊張が残ったまま", "en": "ended tense"},
    "unanswered": {"ja": "質問に答えないまま", "en": "questions left unanswered"},
    "open": {"ja": "決着しないまま", "en": "left open"},
    "calm": {"ja": "落ち着いて終了", "en": "ended calmly"},
}
SIGNALS = {
    "rising_emotion": {"ja": "感情の重さが上昇", "en": "emotional weight rising"},
    "curt_replies": {"ja": "返事がそっけなくなった", "en": "replies turning curt"},
    "repeated_requests": {"ja": "同じお願いの繰り返し", "en": "requests repeated"},
}
EVIDENCE = {
    "emotion": {"ja": "重い文面", "en": "heavy message"},
    "curt_reply": {"ja": "そっけない返事", "en": "curt reply"},
    "repeated_request": {"ja": "繰り返しのお願い", "en": "repeated request"},
}
TRENDS = {
    "rising": {"ja": "増加", "en": "rising"},
    "falling": {"ja": "減少", "en": "falling"},
    "steady": {"ja": "横ばい", "en": "steady"},
}


def _environment() -> Any:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: f"{100 * v:.1f}%"
    env.filters["num"] = lambda v: f"{v:,}"
    env.filters["f2"] = lambda v: "—" if v is None else f"{v:.2f}"
    env.filters["signed"] = lambda v: f"{v:+.2f}"
    env.filters["when"] = lambda v: "—" if not v else v[:16].replace("T", " ")
    return env


def render(summary: dict[str, Any], title: str | None = None) -> str:
    """The HTML page for ``summary`` (the dict ``aggregate`` returns)."""
    weeks = [w["week"] for w in summary["weeks"]]
    warned = {w["counterpart"] for w in summary["early_warning"]}
    shown = [c for c in summary["counterparts"] if c["name"] in warned][
        :CHART_COUNTERPARTS
    ]  # the warned first, then the busiest
    shown += [c for c in summary["counterparts"] if c["name"] not in warned][: max(0, CHART_COUNTERPARTS - len(shown))]
    warned = {w["counterpart"] for w in summary["early_warning"][:CHART_COUNTERPARTS]}
    kinds = summary["reasons"]["kinds"][:CHART_KINDS]
    recent = summary["settings"]["recent_weeks"]
    figures = {}
    for lang in ("ja", "en"):
        figures[lang] = {
            "weekly": charts.weekly_calls(summary["weeks"], lang) if summary["weeks"] else "",
            "counterparts": charts.counterpart_weights(shown, weeks, min(recent, len(weeks)), warned, lang)
            if weeks and shown
            else "",
            "reasons": charts.reason_months(kinds, summary["reasons"]["months"], lang)
            if kinds and summary["reasons"]["months"]
            else "",
        }
    template = _environment().from_string(
        (resources.files("hisho_tone.report") / "page.html.j2").read_text(encoding="utf-8")
    )
    return template.render(
        s=summary,
        o=summary["overview"],
        figures=figures,
        title=title,
        call_threads=summary["call_threads"][:PAGE_CALL_THREADS],
        counterparts=summary["counterparts"][:PAGE_COUNTERPARTS],
        ENDED=ENDED,
        SIGNALS=SIGNALS,
        EVIDENCE=EVIDENCE,
        TRENDS=TRENDS,
        redact=summary["settings"]["redact"],
    )
