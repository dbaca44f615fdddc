"""Offset-preserving normalisation and tokenization (unidic-lite 1.0.8)."""

from __future__ import annotations

import pytest

from hisho_tone.normalize import normalize
from hisho_tone.tokenize import sentences

CASES = [
    ("ﾃｽﾄ！！", "テスト!!"),
    ("ｶﾞｯｺｳ", "ガッコウ"),  # half-width voiced marks join their kana
    ("か\u3099", "が"),  # combining dakuten
    ("a\u200bb\ufeffc", "abc"),  # zero-width characters vanish
    ("x\x00y\x1bz", "x y z"),  # controls become spaces
    ("行\r\n行", "行\n\n行"),
    ("lone \ud800 surrogate", "lone   surrogate"),
    ("😊👍", "😊👍"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalized_text(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_every_normalized_char_maps_back_inside_the_original(raw, _):
    norm = normalize(raw)
    for i in range(len(norm.text)):
        start, end = norm.original_span(i, i + 1)
        assert 0 <= start <= end <= len(raw)


def test_token_offsets_map_to_original_surfaces():
    raw = "ﾃｽﾄ！例の件、　いい感じにお願いします。\n12/3(水)15時までに"
    norm = normalize(raw)
    for sent in sentences(norm.text):
        for tok in sent.tokens:
            assert norm.text[tok.start : tok.end] == tok.surface
            start, end = norm.original_span(tok.start, tok.end)
            assert raw[start:end]  # never an empty or shifted span


def test_sentences_split_on_japanese_punctuation_and_newlines():
    sents = sentences("了解です。明日送ります！\n確認お願いします")
    assert len(sents) == 3


def test_spans_exclude_what_is_outside_them():
    raw = "本文です\n> 引用です\n続き"
    norm = normalize(raw, [(0, 4), (12, 14)])
    assert norm.text == "本文です\n続き"
    assert norm.original_span(5, 7) == (12, 14)


def test_characters_copied_without_normalising_are_really_left_alone_by_nfkc():
    # the slow path copies runs of these characters whole: each must be its own NFKC form and
    # never a combining mark (a mark would have to join the character before it)
    import unicodedata

    from hisho_tone.normalize import _STABLE_RUN

    wrong = [
        hex(c)
        for c in range(0x110000)
        if _STABLE_RUN.fullmatch(chr(c))
        and (unicodedata.normalize("NFKC", chr(c)) != chr(c) or unicodedata.combining(chr(c)))
    ]
    assert wrong == []


def test_mixed_text_normalises_runs_and_the_characters_between_them():
    raw = "（株）ﾃｽﾄ：12/3！テスト\u3099です"
    norm = normalize(raw)
    assert norm.text == "(株)テスト:12/3!テスドです"
    # ド comes from ト plus the combining mark after the run of katakana
    at = norm.text.index("ド")
    assert norm.original_span(at, at + 1) == (raw.index("ト\u3099"), raw.index("ト\u3099") + 2)
    assert norm.original_span(0, 3) == (0, 3)
