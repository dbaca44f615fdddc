"""How loud the analyser is on unlabeled text: the share of each recommendation, and what drives calls.

``hisho-tone evaluate --unlabeled FILE`` prints this for a user's own archive (one text per line, or
JSON Lines with a ``text`` field) before they install the extension; ``python -m
hisho_tone_models.noise`` prints it for the real-text sets in shared/data and the model card uses it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .advice import RECOMMENDATIONS


@dataclass
class NoiseReport:
    """Counts of recommendations and of the reason kinds behind call/video verdicts."""

    texts: int = 0
    recommendations: Counter = field(default_factory=Counter)
    call_kinds: Counter = field(default_factory=Counter)  # kinds among the reasons of call/video verdicts
    unexplained: int = 0  # verdicts above text without any reason (must stay 0)
    examples: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (recommendation, text, kinds)

    def add(self, text: str, advice: Any, keep_examples: int = 0) -> None:
        self.texts += 1
        self.recommendations[advice.recommendation] += 1
        kinds = sorted({r.kind for r in advice.reasons})
        if advice.recommendation != "text" and not advice.reasons:
            self.unexplained += 1
        if advice.recommendation in ("call", "video"):
            self.call_kinds.update(kinds)
            if len(self.examples) < keep_examples:
                self.examples.append((advice.recommendation, text, kinds))

    def share(self, *recommendations: str) -> float:
        return sum(self.recommendations[r] for r in recommendations) / self.texts if self.texts else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "share": {r: round(self.share(r), 4) for r in RECOMMENDATIONS},
            "call_or_video": round(self.share("call", "video"), 4),
            "call_reason_kinds": dict(self.call_kinds.most_common()),
            "unexplained": self.unexplained,
        }

    def format(self, title: str) -> str:
        lines = [f"{title}: {self.texts} texts"]
        lines += [f"  {r:15s} {self.recommendations[r]:6d}  {self.share(r):6.1%}" for r in RECOMMENDATIONS]
        lines.append(f"  call or video   {self.share('call', 'video'):6.1%}")
        if self.call_kinds:
            lines.append(
                "  reasons behind call/video: " + ", ".join(f"{k} {n}" for k, n in self.call_kinds.most_common(12))
            )
        if self.unexplained:
            lines.append(f"  WARNING: {self.unexplained} verdicts above text without a reason")
        for rec, text, kinds in self.examples:
            lines.append(f"  e.g. {rec}: {' '.join(text.split())[:60]}  [{', '.join(kinds)}]")
        return "\n".join(lines)


def measure(
    analyzer: Any, texts: Iterable[str], channel: str = "chat", sensitivity: str = "normal", examples: int = 0
) -> NoiseReport:
    """Analyse every text and count what the writer would be told."""
    report = NoiseReport()
    for text in texts:
        report.add(text, analyzer.analyze(text, channel=channel, sensitivity=sensitivity), examples)
    return report


def read_texts(path: str | Path) -> Iterator[str]:
    """Texts of a file: JSON Lines with a ``text`` field, or else one text per line (blank lines skipped).

    A file is JSON Lines when its first non-blank line is a JSON object; then a line that is not one,
    or lacks a string ``text``, raises ValueError naming the line.
    """
    path = Path(path)
    with open(path, encoding="utf-8", errors="replace") as fh:
        jsonl = None
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if jsonl is None:
                jsonl = line.lstrip().startswith("{")
            if not jsonl:
                yield line.rstrip("\r\n")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{path}:{n}: each line needs a string field 'text'")
            yield row["text"]
