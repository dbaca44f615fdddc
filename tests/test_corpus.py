"""The labeled corpus: well-formed, balanced, and free of duplicates across families."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hisho_tone_models.corpus import DATA_DIR, load_messages
from hisho_tone_models.dedup import near_duplicates

ROWS = load_messages()


def test_size_and_balance():
    assert len(ROWS) >= 1500
    share = sum(r["call"] for r in ROWS) / len(ROWS)
    assert 0.40 <= share <= 0.60, share


def test_both_channels_all_levels_and_categories():
    assert {r["channel"] for r in ROWS} == {"chat", "email"}
    assert {r["ambiguity"] for r in ROWS} == {0, 1, 2} and {r["emotion"] for r in ROWS} == {0, 1, 2}
    categories = Counter(r.get("category") for r in ROWS)
    for c in (
        "equivocality",
        "emotional_load",
        "high_stakes",
        "convergence",
        "routine",
        "thanks_positive",
        "minor_apology_with_fix",
        "long_but_clear",
    ):
        assert categories[c] >= 20, (c, categories[c])


def test_labels_are_consistent_with_categories():
    call_categories = {"equivocality", "emotional_load", "high_stakes", "convergence"}
    for r in ROWS:
        assert (r.get("category") in call_categories) == r["call"], r["id"]


def test_no_near_duplicates_across_families():
    assert near_duplicates(ROWS) == []


def test_threads_file():
    threads = [json.loads(line) for line in (Path(DATA_DIR) / "threads.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(threads) >= 150
    assert 0.4 <= sum(t["call"] for t in threads) / len(threads) <= 0.6
    assert all(2 <= len(t["messages"]) <= 15 for t in threads)
    assert {t["channel"] for t in threads} == {"chat", "email"}
