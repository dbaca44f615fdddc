"""Ready-to-send invitations and one-line summaries, from ``data/invitations.toml``."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = (resources.files("hisho_tone.data") / "invitations.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def summary(recommendation: str) -> str:
    """The recommendation as one Japanese sentence."""
    return _data()["summaries"][recommendation]


def invitation(recommendation: str, channel: str, register: str, category: str) -> str | None:
    """A call/video invitation in the draft's register, or None for text recommendations."""
    if recommendation not in ("call", "video"):
        return None
    data = _data()
    reasons = data["reasons"].get(category) or data["reasons"]["ambiguity"]
    template = data["templates"][channel][register][recommendation]
    return template.format(reason=reasons[register], length=data["length"][recommendation])
