"""Property-based: analyze() takes ANY string and returns a valid Advice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hisho_tone import RECOMMENDATIONS, Analyzer

ANALYZER = Analyzer(config=False)
JAPANESE = st.text(
    alphabet=st.sampled_from(
        list("例の件いい感じにお願いしますなぜ結構です大丈夫検討！？。、…\n 　😊ｶﾞ\u200b\u3099>-12/3時")
    ),
    max_size=200,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid(text: str, channel: str) -> None:
    advice = ANALYZER.analyze(text, channel=channel)
    assert advice.recommendation in RECOMMENDATIONS
    for score in (advice.call_probability, advice.ambiguity, advice.emotional_weight):
        assert 0.0 <= score <= 1.0
    for r in advice.reasons:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start : r.end] == r.surface
    advice.to_dict()


@SETTINGS
@given(st.text(), st.sampled_from(["chat", "email"]))
def test_any_unicode(text, channel):
    _valid(text, channel)


@SETTINGS
@given(JAPANESE, st.sampled_from(["chat", "email"]))
def test_japanese_like(text, channel):
    _valid(text, channel)


@SETTINGS
@given(st.binary(max_size=300))
def test_surrogate_escaped_bytes(raw):
    _valid(raw.decode("utf-8", errors="surrogateescape"), "chat")


# Chatwork drafts: tags mixed with text in any order, closed or not, nested or not.
CHATWORK_PIECES = st.sampled_from(
    [
        "[qt]",
        "[/qt]",
        "[qtmeta aid=1 time=2]",
        "[To:123]",
        "佐藤さん",
        "[rp aid=1 to=2-3]",
        "[toall]",
        "[info]",
        "[/info]",
        "[title]",
        "[/title]",
        "[code]",
        "[/code]",
        "[hr]",
        "[piconname:5]",
        "なぜですか？",
        "がっかりです。",
        "例の件、",
        "\n",
        " ",
        "[",
    ]
)


@SETTINGS
@given(st.lists(CHATWORK_PIECES, max_size=30).map("".join))
def test_chatwork_tags_anywhere(text):
    from hisho_tone.prepare import prepare

    _valid(text, "chat")
    spans = prepare(text, "chat").spans
    assert all(0 <= s <= e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
