"""Load and apply the shipped model: a JSON file of feature weights, read with the standard library."""

from __future__ import annotations

from typing import Any


def load_model(spec: Any) -> Any:
    """No trained model yet: the transparent cue scorer is used."""
    return None
