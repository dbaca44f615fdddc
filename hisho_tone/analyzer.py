"""The pipeline for one draft: prepare → normalise → tokenize → cues → scores → decision → advice."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any

from . import config as config_mod
from . import invitations
from .advice import Advice, Reason, Span, check_options, shorten
from .analysis import Analysis
from .cues import Cue, detect, find_specifics
from .features import content_tokens
from .lexicon import Lexicon, load_lexicon
from .normalize import normalize
from .prepare import prepare
from .register import detect_register
from .scoring import DEFAULT_THRESHOLDS, Evidence, Scores, cue_scores, decide
from .tokenize import Sentence, sentences

# Only this many characters of the original text are analysed; the rest is reported as truncated.
# A chat message or an email body is far shorter; this keeps a pasted 1 MB log from stalling typing.
WINDOW_CHARS = 5000
# Below this many content words and with no cue, the call probability is scaled down (see _scored()).
MIN_CONTENT_TOKENS = 2
# Cues of one kind at most this many sentences apart are reported as one reason with several spans.
MERGE_SENTENCES = 1
# Parts of speech a model-signal reason may point at (a particle would explain nothing).
_EXPLAINING_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "感動詞"})


def _check(text: Any, channel: Any, sensitivity: Any) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    check_options(channel, sensitivity)


class Analyzer:
    """Reusable, thread-safe analyser. Lexicons, configuration and model are loaded once.

    ``disabled_kinds``: cue kinds never reported; ``allow``: regular expressions never reported;
    ``phrases``: extra lexicon entries (same fields as the data files); ``config``: a path to a
    TOML configuration, ``None`` for the user's file (``hisho_tone.config.default_path()``) or
    ``False`` to ignore it; ``model``: ``"default"`` for the shipped model, a path to a model JSON,
    a parsed model dict, or ``None`` for the transparent cue scorer.
    """

    def __init__(
        self,
        *,
        disabled_kinds: list[str] | tuple[str, ...] = (),
        allow: list[str] | tuple[str, ...] = (),
        phrases: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
        config: str | Path | None | bool = None,
        model: Any = "default",
    ):
        if config is False:
            user = config_mod.Config()
        else:
            user = config_mod.load(Path(config) if isinstance(config, (str, Path)) else None)
        extra = config_mod.from_mapping(
            {"disabled_kinds": list(disabled_kinds), "allow": list(allow), "phrases": list(phrases)}, "Analyzer()"
        )
        self.disabled_kinds = user.disabled_kinds | extra.disabled_kinds
        self.allow = user.allow + extra.allow
        self.lexicon: Lexicon = load_lexicon(list(user.phrases + extra.phrases), self.disabled_kinds)
        config_mod.check_kinds(user, self.lexicon.kinds, "config")
        config_mod.check_kinds(extra, self.lexicon.kinds, "Analyzer()")
        self.evidence = Evidence.of(self.lexicon.kinds)
        from .model import load_model  # local import keeps the module graph acyclic

        self.model = load_model(model)

    # -- stages ----------------------------------------------------------------------------
    def inspect(self, text: str, channel: str = "chat") -> Analysis:
        """Run every stage up to cue detection (the model's features are computed from this)."""
        truncated = len(text) > WINDOW_CHARS
        window = text[:WINDOW_CHARS] if truncated else text
        prepared = prepare(window, channel)
        norm = normalize(window, prepared.spans)
        sents = sentences(norm.text)
        specifics = find_specifics(norm.text, self.lexicon)
        cues = detect(norm.text, sents, self.lexicon, specifics)
        if self.allow:
            cues = [c for c in cues if not self._allowed(norm.text, c)]
        register = detect_register(norm.text, sents)
        return Analysis(text, channel, prepared, norm, sents, cues, specifics, register, truncated, len(window))

    def _allowed(self, text: str, cue: Cue) -> bool:
        return any(m.start() < cue.end and m.end() > cue.start for p in self.allow for m in p.finditer(text))

    def _scored(self, analysis: Analysis) -> tuple[Scores, dict[str, float] | None]:
        """Scores, and the model's features when it computed them (model-signal reasons reuse them)."""
        if not analysis.sentences:  # nothing written (or only quotes/signature): nothing to judge
            return Scores(0.0, 0.0, 0.0), None
        if self.model is None:
            return cue_scores(analysis.cues), None
        feats = self.model.features(analysis)
        scores = self.model.score(analysis, feats)
        if not analysis.cues:
            # With no cue and almost no words (了解 / 👍 / お疲れ様です) there is nothing to judge:
            # scale the call probability by how much the draft says, instead of letting the model
            # fall back on its prior.
            evidence = min(1.0, content_tokens(analysis) / MIN_CONTENT_TOKENS)
            if evidence < 1.0:
                scores = Scores(round(scores.call_probability * evidence, 4), scores.ambiguity, scores.emotional_weight)
        return scores, feats

    def thread_thresholds(self, sensitivity: str) -> tuple[float, float]:
        """(care, call) thresholds for a conversation's call probability."""
        if self.model is not None and self.model.thread is not None:
            return self.model.thread_thresholds(sensitivity)
        return DEFAULT_THRESHOLDS[sensitivity]

    def thresholds(self, sensitivity: str) -> tuple[float, float]:
        if self.model is not None:
            return self.model.thresholds(sensitivity)
        return DEFAULT_THRESHOLDS[sensitivity]

    # -- public ----------------------------------------------------------------------------
    def analyze(self, text: str, channel: str = "chat", sensitivity: str = "normal") -> Advice:
        """Analyse one draft. Never raises for content; TypeError/ValueError for bad arguments."""
        _check(text, channel, sensitivity)
        analysis = self.inspect(text, channel)
        return self.advise(analysis, sensitivity)

    def advise(self, analysis: Analysis, sensitivity: str = "normal") -> Advice:
        """Score an inspected draft and explain the verdict."""
        scores, feats = self._scored(analysis)
        recommendation = decide(scores, analysis.cues, self.evidence, self.thresholds(sensitivity))
        reasons = self.reasons(analysis)
        if not reasons and recommendation != "text":
            # no cue: the model's strongest word is shown, and with nothing to show the draft is text
            reasons = self._model_reasons(analysis, scores, feats)
            if not reasons:
                recommendation = "text"
        top_category = _top_category(analysis.cues)
        return Advice(
            recommendation=recommendation,
            call_probability=scores.call_probability,
            ambiguity=scores.ambiguity,
            emotional_weight=scores.emotional_weight,
            reasons=reasons,
            invitation=invitations.invitation(recommendation, analysis.channel, analysis.register, top_category),
            summary=invitations.summary(recommendation),
            channel=analysis.channel,
            sensitivity=sensitivity,
            register=analysis.register,
            analyzed_chars=analysis.analyzed_chars,
            truncated=analysis.truncated,
            model=self.model.id if self.model is not None else "cues",
            excluded={
                "quoted_chars": analysis.prepared.quoted_chars,
                "signature_chars": analysis.prepared.signature_chars,
            },
        )

    def reasons(self, analysis: Analysis) -> list[Reason]:
        """One Reason per run of same-kind cues (see ``_runs``), its spans mapped back to the original text."""
        out = [self._reason(analysis, run) for run in _runs(analysis.cues, analysis.sentences)]
        out.sort(key=lambda r: (r.start, r.end, r.kind))
        return out

    def _reason(self, analysis: Analysis, run: list[Cue]) -> Reason:
        """The reason for cues of one kind: every place, in the words of the strongest cue."""
        strongest = max(run, key=lambda c: c.weight)  # the first one on a tie
        places = _places(analysis, run)
        spans = tuple(Span(start, end, analysis.text[start:end]) for start, end, _, _ in places)
        shown = "」「".join(_short(analysis.norm.text[a:b]) for _, _, a, b in places)  # templates quote 「{surface}」
        message = strongest.message.replace("{surface}", shown).replace("{count}", str(strongest.count))
        first = spans[0]
        return Reason(
            strongest.kind,
            strongest.category,
            self.lexicon.kinds[strongest.kind].label,
            first.start,
            first.end,
            first.surface,
            message,
            strongest.hint,
            round(strongest.weight, 3),
            spans,
        )

    def _model_reasons(self, analysis: Analysis, scores: Scores, feats: dict[str, float] | None) -> list[Reason]:
        """When the model asks for more than text but no cue fired, point at its strongest word."""
        signal = self.lexicon.model_signal
        if self.model is None or feats is None or not signal:
            return []
        category = "emotion" if scores.emotional_weight >= scores.ambiguity else "ambiguity"
        texts = signal[category]
        for feature, weight in self.model.contributions(feats)[:12]:
            lemma = feature[2:]
            for sent in analysis.sentences:
                for tok in sent.tokens:
                    if tok.pos1 not in _EXPLAINING_POS or len(tok.surface) < 2:
                        continue
                    if lemma in (tok.lemma, tok.surface.lower()):
                        # point at the whole sentence: one word out of context explains little
                        start, end = analysis.norm.original_span(sent.start, sent.end)
                        message = texts["message"].replace(
                            "{surface}", _short(analysis.norm.text[sent.start : sent.end])
                        )
                        return [
                            Reason(
                                "model_signal",
                                category,
                                signal["label"],
                                start,
                                end,
                                analysis.text[start:end],
                                message,
                                texts["hint"],
                                round(min(1.0, weight), 3),
                            )
                        ]
        return []


def _runs(cues: list[Cue], sents: list[Sentence]) -> list[list[Cue]]:
    """Cues grouped by kind, in text order, chained while each overlaps or touches the run or lies at
    most ``MERGE_SENTENCES`` sentences after its last cue (one complaint said three ways is one reason)."""
    sentence_starts = [s.start for s in sents]
    runs: list[list[Cue]] = []
    open_runs: dict[str, tuple[list[Cue], int, int]] = {}  # kind -> (run, its end, its last cue's sentence)
    for cue in sorted(cues, key=lambda c: (c.start, c.end)):
        sentence = bisect_right(sentence_starts, cue.start) - 1
        run, end, last_sentence = open_runs.get(cue.kind, (None, -1, -1))
        if run is not None and (cue.start <= end or sentence - last_sentence <= MERGE_SENTENCES):
            run.append(cue)
            end = max(end, cue.end)
        else:
            run, end = [cue], cue.end
            runs.append(run)
        open_runs[cue.kind] = (run, end, sentence)
    return runs


def _places(analysis: Analysis, run: list[Cue]) -> list[tuple[int, int, int, int]]:
    """(start, end) in the original and in the normalised text of each cue of a run, in text order;
    overlapping cues become their union, so no character is marked twice."""
    places: list[tuple[int, int, int, int]] = []
    for cue in run:
        start, end = analysis.norm.original_span(cue.start, cue.end)
        if places and start < places[-1][1]:
            last = places[-1]
            places[-1] = (last[0], max(last[1], end), last[2], max(last[3], cue.end))
        else:
            places.append((start, end, cue.start, cue.end))
    return places


def _short(surface: str, limit: int = 30) -> str:
    return shorten(surface, limit)


def _top_category(cues: list[Cue]) -> str:
    totals: dict[str, float] = {}
    for cue in cues:
        totals[cue.category] = totals.get(cue.category, 0.0) + cue.weight
    if not totals:
        return "ambiguity"
    return max(totals, key=lambda c: totals[c])
