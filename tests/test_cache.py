"""The per-token caches are bounded: a long-running service must not grow with every new word."""

from __future__ import annotations

import pytest

import hisho_tone
from hisho_tone import features
from hisho_tone.cache import BoundedCache


def test_holds_at_most_two_generations():
    cache = BoundedCache(3)
    for k in range(100):
        assert cache.get(k) is None
        assert cache.remember(k, lambda: k * 2) == k * 2  # noqa: B023
        assert cache.entries() <= 6
    assert cache.get(99) == 198


def test_what_is_used_survives_rotation():
    cache = BoundedCache(2)
    cache.remember("hot", lambda: 1)
    calls = []
    for k in range(50):
        cache.remember(k, lambda: k)  # noqa: B023
        if cache.get("hot") is None:  # rotated into the previous generation: promoted, not recomputed
            cache.remember("hot", lambda: calls.append(1) or 1)
    assert not calls


def test_reset_and_size_check():
    cache = BoundedCache(1)
    cache.remember("a", lambda: 1)
    cache.remember("b", lambda: 2)
    cache.reset()
    assert cache.entries() == 0
    with pytest.raises(ValueError, match="at least 1"):
        BoundedCache(0)


def test_analyzer_caches_are_bounded():
    analyzer = hisho_tone.Analyzer(config=False)
    for cache in (analyzer.lexicon._single, analyzer.lexicon._pair, features._TOKEN_INFO):
        assert isinstance(cache, BoundedCache)
    before = analyzer.analyze("例の件、いい感じにまとめといてください。").to_dict()
    analyzer.lexicon._single.reset()
    analyzer.lexicon._pair.reset()
    features._TOKEN_INFO.reset()
    assert analyzer.analyze("例の件、いい感じにまとめといてください。").to_dict() == before
