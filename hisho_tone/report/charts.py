"""The page's charts: matplotlib figures written as inline SVG.

Why matplotlib: it is the most widely kept plotting library in Python, draws the whole chart on
this machine (the page then needs no JavaScript library and no network), renders Japanese with
the Noto Sans CJK font when it is installed, and prints sharply because SVG is vector. Text stays
text in the SVG (``svg.fonttype = none``): small files, and the browser draws it with the page's
fonts. Each chart is drawn once per language (only its legend and axis labels differ).
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
)
ACCENT, MUTED, WARN = "#c2410c", "#cbd5e1", "#b91c1c"
PALETTE = ("#1d4ed8", "#0f766e", "#a16207", "#7c3aed", "#be185d", "#475569", "#15803d", "#0369a1")


@lru_cache(maxsize=1)
def _setup() -> None:
    import matplotlib
    from matplotlib import font_manager

    families = []
    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            families = ["Noto Sans CJK JP"]
            break
    matplotlib.rcParams.update(
        {
            "font.family": [*families, "DejaVu Sans", "sans-serif"],
            "font.size": 9,
            "svg.fonttype": "none",
            "svg.hashsalt": "hisho-tone-report",  # the same figures give the same bytes
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#94a3b8",
            "axes.grid": True,
            "grid.color": "#e2e8f0",
            "grid.linewidth": 0.6,
            "legend.frameon": False,
        }
    )


def _svg(fig: Any, label: str) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK glyph (no Noto font here) must not stop a report
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE: the SVG lives inside HTML
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", svg, count=1)  # scale with the page
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def _figure(width: float, height: float) -> tuple[Any, Any]:
    _setup()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def _week_ticks(ax: Any, weeks: Sequence[str]) -> None:
    step = max(1, len(weeks) // 12)
    ax.set_xticks(range(0, len(weeks), step))
    ax.set_xticklabels([f"{date.fromisoformat(w).month}/{date.fromisoformat(w).day}" for w in weeks[::step]])
    ax.set_xlim(-0.6, len(weeks) - 0.4)


def weekly_calls(weeks: list[dict[str, Any]], lang: str) -> str:
    """Conversations per week (those that should have been a call in colour) and their share."""
    fig, ax = _figure(8.0, 2.8)
    xs = range(len(weeks))
    calls = [w["call_conversations"] for w in weeks]
    rest = [w["conversations"] - w["call_conversations"] for w in weeks]
    ja = lang == "ja"
    ax.bar(xs, rest, color=MUTED, label="文面で足りた会話" if ja else "fine as text")
    ax.bar(xs, calls, bottom=rest, color=ACCENT, label="通話にすべきだった会話" if ja else "should have been a call")
    ax.set_ylabel("会話数" if ja else "conversations")
    _week_ticks(ax, [w["week"] for w in weeks])
    share = ax.twinx()
    share.plot(
        xs,
        [100 * w["call_share"] for w in weeks],
        color="#111827",
        marker="o",
        markersize=3,
        linewidth=1.2,
        label="通話にすべきだった割合" if ja else "share that should have been a call",
    )
    share.set_ylim(0, 100)
    share.set_ylabel("%")
    share.grid(False)
    share.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=8, ncols=3)
    ax.set_ylim(0, max([c + r for c, r in zip(calls, rest)] or [1]) * 1.35)
    return _svg(
        fig,
        "週ごとの会話数と通話にすべきだった割合"
        if ja
        else "Conversations per week and the share that should have been a call",
    )


def counterpart_weights(
    counterparts: list[dict[str, Any]], weeks: list[str], recent: int, warned: set[str], lang: str
) -> str:
    """Mean emotional weight of each counterpart's messages, week by week; the recent weeks shaded."""
    fig, ax = _figure(8.0, 3.0)
    index = {w: i for i, w in enumerate(weeks)}
    for n, c in enumerate(counterparts):
        points = [(index[w["week"]], w["emotional_weight"]) for w in c["weekly"] if w["week"] in index]
        if not points:
            continue
        xs, ys = zip(*points)
        hot = c["name"] in warned
        ax.plot(
            xs,
            ys,
            marker="o",
            markersize=3 if not hot else 4,
            linewidth=2.4 if hot else 1.1,
            color=WARN if hot else PALETTE[n % len(PALETTE)],
            alpha=1.0 if hot else 0.75,
            label=c["name"] + (" ⚠" if hot else ""),
        )
    if weeks and recent:
        ax.axvspan(
            len(weeks) - recent - 0.5,
            len(weeks) - 0.5,
            color="#fef3c7",
            zorder=0,
            label="直近の週" if lang == "ja" else "recent weeks",
        )
    ax.set_ylim(0, 1)
    ax.set_ylabel("感情の重さ（平均）" if lang == "ja" else "emotional weight (mean)")
    _week_ticks(ax, weeks)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _svg(
        fig, "相手ごとの感情の重さの推移" if lang == "ja" else "Emotional weight of each counterpart over the weeks"
    )


def reason_months(kinds: list[dict[str, Any]], months: list[str], lang: str) -> str:
    """Reasons found in conversations that should have been a call, month by month (top kinds)."""
    fig, ax = _figure(8.0, 2.8)
    xs = range(len(months))
    bottom = [0] * len(months)
    for n, k in enumerate(kinds):
        ax.bar(xs, k["monthly"], bottom=bottom, color=PALETTE[n % len(PALETTE)], label=k["label"][lang], width=0.6)
        bottom = [b + v for b, v in zip(bottom, k["monthly"])]
    ax.set_xticks(list(xs))
    ax.set_xticklabels([f"{int(m[:4])}/{int(m[5:])}" for m in months])
    ax.set_ylabel("件数" if lang == "ja" else "count")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _svg(
        fig,
        "通話が必要になった理由の月ごとの推移"
        if lang == "ja"
        else "Reasons behind call-worthy conversations, month by month",
    )
