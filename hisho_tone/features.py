"""Features of one analysed draft — the ONE module used by both training and inference.

A feature vector is a sparse ``dict[str, float]``:
  ``cue:<kind>``, ``cat:<category>``      cue strengths (from the lexicons)
  ``s:<name>``                          structure (length, questions, specifics, punctuation, register…)
  ``w:<lemma>``, ``b:<lemma>_<lemma>``     content lemmas and lemma bigrams of the writer's own text
  ``x:<name>``                          interactions (e.g. a request with nothing concrete in it)
  ``e:<class>``                         ML-Ask emotion-lexicon counts (ten classes, and negative/positive)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Container

from . import markers
from .cache import BoundedCache
from .emotion_lexicon import NEGATIVE, POSITIVE, emotion_counts

if TYPE_CHECKING:
    from .analysis import Analysis

# Parts of speech whose lemmas carry meaning for the model (particles and symbols mostly do not,
# except the few sentence-final ones that carry tone, kept via _TONE).
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "感動詞", "連体詞", "接尾辞", "代名詞", "助動詞"})
# Phrase lists come from data/markers.toml (each with examples and counterexamples).
_EMOJI_POSITIVE = markers.pattern("emoji_positive")
_EMOJI_NEGATIVE = markers.pattern("emoji_negative")
_REQUEST = markers.pattern("request")
_DEMONSTRATIVES = markers.words("demonstratives")  # こそあど: a draft that points more than it names
_TONE = markers.words("tone_particles")
BOILERPLATE = markers.pattern("boilerplate")


def content_tokens(analysis: "Analysis") -> int:
    """Words that carry meaning, outside set phrases: how much a draft actually says."""
    text = analysis.norm.text
    return sum(
        1
        for sent in analysis.sentences
        if not BOILERPLATE.match(text[sent.start : sent.end])
        for tok in sent.tokens
        if tok[3] in _EVIDENCE_POS  # Token.pos1
    )


_NEGATORS = markers.words("negating_auxiliaries")
_SKIP_POS = frozenset({"補助記号", "空白"})
# What featurize needs from a token, cached per (surface, lemma, base, pos1, pos2): whether it
# points (こそあど), whether it negates, and its lexical lemma with the "w:" feature name (None
# for tokens the lexical features skip). Bounded: a service sees an endless stream of new words.
TOKEN_INFO_SIZE = 10_000
_TOKEN_INFO: BoundedCache = BoundedCache(TOKEN_INFO_SIZE)


def _token_info(tok) -> tuple[int, int, str | None, str | None]:
    surface, pos1 = tok.surface, tok.pos1
    pointing = int(surface in _DEMONSTRATIVES)
    negation = int(pos1 == "助動詞" and tok.base in _NEGATORS)
    if pos1 in _SKIP_POS or tok.pos2 == "固有名詞" or not (pos1 in _CONTENT_POS or surface in _TONE):
        return pointing, negation, None, None
    lemma = tok.lemma
    if not lemma or lemma.isascii():
        lemma = surface.lower()
    if lemma.isdigit():
        lemma = "<num>"
    return pointing, negation, lemma, "w:" + lemma


_EVIDENCE_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞"})


def featurize(analysis: "Analysis", vocabulary: Container[str] | None = None) -> dict[str, float]:
    """The model's view of a draft. Values stay roughly within [0, 1] so weights are comparable.

    ``vocabulary``: at inference, the model's feature names; lexical features outside it are not
    built at all (they would weigh nothing). Training passes none and sees every feature.
    (Character bigrams were dropped: fitted on a few writers' messages, they learned who wrote the
    corpus and flagged ordinary sentences of real people.)
    """
    text = analysis.norm.text
    feats: dict[str, float] = {"s:bias_one": 1.0}
    # cues
    for cue in analysis.cues:
        key = f"cue:{cue.kind}"
        feats[key] = min(1.5, feats.get(key, 0.0) + cue.weight)
        feats[f"cat:{cue.category}"] = min(2.0, feats.get(f"cat:{cue.category}", 0.0) + cue.weight)
    # structure
    chars = len(text.strip())
    sents = analysis.sentences
    feats["s:len_log"] = math.log1p(chars) / 7.0
    # (no "short message" flag: in a written corpus terse lines are often the loaded ones, and a
    # model that learns shortness itself flags every 「了解です」)
    feats["s:very_long"] = 1.0 if chars > 300 else 0.0
    feats["s:sentences"] = min(len(sents), 20) / 10.0
    feats["s:questions"] = min(len(markers.questions(text, sents)), 6) / 3.0
    feats["s:specifics"] = min(len(analysis.specifics), 8) / 4.0
    feats["s:specific_any"] = 1.0 if analysis.specifics else 0.0
    feats["s:list_items"] = min(sum(1 for *_, kind in analysis.specifics if kind == "numbered_item"), 8) / 4.0
    feats["s:exclaim"] = min(text.count("!"), 6) / 3.0
    feats["s:ellipsis"] = min(text.count("…") + text.count("..."), 6) / 3.0
    feats["s:emoji_pos"] = min(len(_EMOJI_POSITIVE.findall(text)), 4) / 2.0
    feats["s:emoji_neg"] = min(len(_EMOJI_NEGATIVE.findall(text)), 4) / 2.0
    request = 1.0 if _REQUEST.search(text) else 0.0
    unspecific = 0.0 if analysis.specifics else 1.0
    feats["s:request"] = request
    feats["x:request_unspecific"] = request * unspecific
    feats["x:ambiguity_unspecific"] = min(1.0, feats.get("cat:ambiguity", 0.0)) * unspecific
    feats["x:question_unspecific"] = min(feats["s:questions"], 1.0) * unspecific
    emotions = emotion_counts(sents)
    for cls, n in emotions.items():
        feats[f"e:{cls}"] = min(n, 3) / 2.0
    feats["e:negative"] = min(sum(emotions.get(c, 0) for c in NEGATIVE), 4) / 2.0
    feats["e:positive"] = min(sum(emotions.get(c, 0) for c in POSITIVE), 4) / 2.0
    # (channel and register are left out on purpose: they describe the corpus, not the risk)
    # one pass over the tokens for pointing words, negations and the lexical features
    pointing = negations = polite = 0
    lexical: list[str] = []
    add = lexical.append
    known = _TOKEN_INFO
    for sent in sents:
        sent_text = text[sent.start : sent.end]
        if markers.ends_with("polite_end", sent_text):
            polite += 1
        boilerplate = BOILERPLATE.match(sent_text) is not None
        prev = "<s>"
        for tok in sent.tokens:
            key = tok[:5]
            info = known.get(key)
            if info is None:
                info = known.remember(key, lambda: _token_info(tok))  # noqa: B023 (called at once)
            pointing += info[0]
            negations += info[1]
            lemma = info[2]
            if lemma is None or boilerplate:
                continue
            add(info[3])
            add(f"b:{prev}_{lemma}")
            prev = lemma
        if not boilerplate:
            add(f"b:{prev}_</s>")
    feats["s:demonstratives"] = min(pointing, 4) / 2.0
    feats["s:negations"] = min(negations, 4) / 2.0
    if sents:
        feats["s:polite_ratio"] = polite / len(sents)
    if vocabulary is None:
        feats.update(dict.fromkeys(lexical, 1.0))
    else:
        for name in lexical:
            if name in vocabulary:
                feats[name] = 1.0
    return feats
