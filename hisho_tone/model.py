"""Load and apply the shipped model: a JSON file of feature weights, read with the standard library.

No scikit-learn and no pickle at runtime: the model is plain data (see models/README.md for the
format), so loading it can never execute code.
"""

from __future__ import annotations

import bisect
import json
import math
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .features import featurize
from .scoring import Scores

if TYPE_CHECKING:
    from .analysis import Analysis

FORMAT = "hisho-tone-model/2"  # feature names once, one weight column per head
FORMATS = ("hisho-tone-model/1", FORMAT)  # /1: a {feature: weight} mapping per head (small hand-made models)
SHIPPED = "model.json"  # inside the hisho_tone_models package (the repository's models/ folder)


class ModelError(ValueError):
    """A model file is missing fields or has the wrong format; the message says which."""


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _logit(p: float) -> float:
    p = min(1.0 - 1e-6, max(1e-6, p))
    return math.log(p / (1.0 - p))


def _calibration(data: dict[str, Any]) -> Callable[[float], float]:
    """Margin → probability: Platt ({"a", "b"}) or isotonic ({"x", "y"}, linear between the steps)."""
    if "x" in data:
        xs, ys = [float(v) for v in data["x"]], [float(v) for v in data["y"]]
        if not xs or len(xs) != len(ys) or xs != sorted(xs):
            raise ValueError("isotonic calibration needs sorted 'x' and a 'y' of the same length")

        def isotonic(z: float) -> float:
            if z <= xs[0]:
                return ys[0]
            if z >= xs[-1]:
                return ys[-1]
            i = bisect.bisect_right(xs, z)
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            return y0 if x1 == x0 else y0 + (y1 - y0) * (z - x0) / (x1 - x0)

        return isotonic
    a, b = float(data["a"]), float(data["b"])
    return lambda z: sigmoid(a * z + b)


def _prior_shift(data: dict[str, Any] | None) -> Callable[[float], float]:
    """Probability at the training prevalence → probability at the deployment prevalence.

    The calibration learns how often a call is right among the training messages, where calls are
    far more common than in a real working day; Bayes' rule moves the odds to the stated
    deployment prevalence (``{"training": 0.42, "deployment": 0.08}``) without changing the ranking.
    """
    if not data:
        return lambda p: p
    shift = _logit(float(data["deployment"])) - _logit(float(data["training"]))
    return lambda p: sigmoid(_logit(p) + shift) if 0.0 < p < 1.0 else p


class Linear:
    """A logistic head: bias + Σ weight·feature."""

    __slots__ = ("bias", "weights")

    def __init__(self, bias: float, weights: dict[str, float]):
        self.bias = bias
        self.weights = weights

    def probability(self, feats: dict[str, float]) -> float:
        """σ(bias + Σ weight·feature) of a sparse feature vector."""
        w = self.weights
        return sigmoid(self.bias + sum(w[k] * v for k, v in feats.items() if k in w))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str) -> "Linear":
        """A format /1 head: ``{"bias": b, "weights": {feature: weight}}``."""
        try:
            return cls(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{where}: a head needs 'bias' and 'weights' ({exc})") from exc

    @classmethod
    def from_column(cls, data: dict[str, Any], names: list[str], where: str) -> "Linear":
        """A format /2 head: ``{"bias": b, "weights": [one weight per name in "features"]}``."""
        try:
            column = [float(v) for v in data["weights"]]
            bias = float(data["bias"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: a head needs 'bias' and a 'weights' column ({exc})") from exc
        if len(column) != len(names):
            raise ModelError(f"{where}: {len(column)} weights for {len(names)} features")
        return cls(bias, {n: w for n, w in zip(names, column) if w})


def _heads(data: dict[str, Any], where: str) -> tuple[Linear, list[Linear], list[Linear]]:
    """The call head and the two ordinal heads each of ambiguity and emotion, in either format."""
    if data["format"] == FORMAT:
        names = data["features"]
        if not isinstance(names, list) or len(set(names)) != len(names):
            raise ModelError(f"{where}: 'features' must be a list of unique names")
        heads = data["heads"]

        def make(h: Any, label: str) -> Linear:
            return Linear.from_column(h, names, f"{where} {label}")
    else:
        heads = data

        def make(h: Any, label: str) -> Linear:
            return Linear.from_mapping(h, f"{where} {label}")

    return (
        make(heads["call"], "call"),
        [make(h, "ambiguity") for h in heads["ambiguity"]],
        [make(h, "emotion") for h in heads["emotion"]],
    )


class Model:
    """The three heads (call, ambiguity, emotion), calibration and thresholds per sensitivity."""

    def __init__(self, data: dict[str, Any], where: str = "model"):
        if not isinstance(data, dict) or data.get("format") not in FORMATS:
            raise ModelError(f"{where}: not a hisho-tone model (expected format {FORMAT!r})")
        try:
            self.id = str(data["id"])
            self.call, self.ambiguity, self.emotion = _heads(data, where)
            calibrate, shift = _calibration(data["calibration"]), _prior_shift(data.get("prevalence"))
            self.calibration = lambda z: shift(calibrate(z))
            self._thresholds = {k: (float(v["care"]), float(v["call"])) for k, v in data["thresholds"].items()}
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelError):
                raise
            raise ModelError(f"{where}: missing or malformed field ({exc})") from exc
        thread = data.get("thread")
        # the conversation head (analyze_thread): a logistic head over thread features, and its thresholds
        self.thread: Linear | None = None if thread is None else Linear.from_mapping(thread, f"{where} thread")
        try:
            self._thread_thresholds = (
                {}
                if thread is None
                else {k: (float(v["care"]), float(v["call"])) for k, v in thread["thresholds"].items()}
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{where}: malformed thread head ({exc})") from exc
        if len(self.ambiguity) != 2 or len(self.emotion) != 2:
            raise ModelError(f"{where}: ambiguity and emotion need two ordinal heads each")
        for s in ("low", "normal", "high"):
            if s not in self._thresholds:
                raise ModelError(f"{where}: thresholds for sensitivity {s!r} are missing")
        # one table feature → weights of all five heads, so scoring is a single pass over the draft
        heads = [self.call, *self.ambiguity, *self.emotion]
        names = set().union(*(h.weights for h in heads))
        # (written out over the five heads: a generator per name made this most of the cold start)
        w0, w1, w2, w3, w4 = (h.weights for h in heads)
        self._table = {
            n: (w0.get(n, 0.0), w1.get(n, 0.0), w2.get(n, 0.0), w3.get(n, 0.0), w4.get(n, 0.0)) for n in names
        }
        self._biases = tuple(h.bias for h in heads)

    def _margins(self, feats: dict[str, float]) -> list[float]:
        # unrolled over the five heads: this loop runs for every feature of every draft
        m0, m1, m2, m3, m4 = self._biases
        table = self._table
        get = table.get
        for name, value in feats.items():
            if value == 1.0:
                row = get(name)
                if row is not None:
                    m0 += row[0]
                    m1 += row[1]
                    m2 += row[2]
                    m3 += row[3]
                    m4 += row[4]  # noqa: E702
            elif value:  # a zero adds nothing (many structural features are zero)
                row = get(name)
                if row is not None:
                    m0 += row[0] * value
                    m1 += row[1] * value
                    m2 += row[2] * value  # noqa: E702
                    m3 += row[3] * value
                    m4 += row[4] * value  # noqa: E702
        return [m0, m1, m2, m3, m4]

    def thresholds(self, sensitivity: str) -> tuple[float, float]:
        return self._thresholds[sensitivity]

    def thread_thresholds(self, sensitivity: str) -> tuple[float, float]:
        return self._thread_thresholds[sensitivity]

    def features(self, analysis: "Analysis") -> dict[str, float]:
        """The draft's features, built only as far as this model has weights for them."""
        return featurize(analysis, self._table)

    def score(self, analysis: "Analysis", feats: dict[str, float] | None = None) -> Scores:
        """The three rounded scores (pass ``feats`` from ``features()`` to avoid building them twice)."""
        p = self.predict(self.features(analysis) if feats is None else feats)
        return Scores(round(p["call_probability"], 4), round(p["ambiguity"], 4), round(p["emotional_weight"], 4))

    def predict(self, feats: dict[str, float]) -> dict[str, float]:
        """The three scores of a feature vector (unrounded)."""
        m = self._margins(feats)
        amb = (sigmoid(m[1]) + sigmoid(m[2])) / 2
        emo = (sigmoid(m[3]) + sigmoid(m[4])) / 2
        return {"call_probability": self.calibration(m[0]), "ambiguity": amb, "emotional_weight": emo}

    def contributions(self, feats: dict[str, float]) -> list[tuple[str, float]]:
        """Lexical features (from ``features()``) that push towards a call, strongest first."""
        w = self.call.weights
        pairs = [(k, w[k] * v) for k, v in feats.items() if k in w and k.startswith("w:") and w[k] > 0]
        return sorted(pairs, key=lambda kv: -kv[1])


def shipped_path() -> Path | None:
    """Path of the model shipped in the package, or None when it has not been trained yet."""
    try:
        path = resources.files("hisho_tone_models") / SHIPPED
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if path.is_file() else None


def read_model(path: str | Path) -> Model:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read model ({exc})") from exc
    return Model(data, str(path))


def load_model(spec: Any) -> Model | None:
    """``"default"``: the shipped model (None if absent); a path; a parsed dict; a Model; or None."""
    if spec is None or isinstance(spec, Model):
        return spec
    if isinstance(spec, dict):
        return Model(spec)
    if spec == "default":
        path = shipped_path()
        return read_model(path) if path else None
    return read_model(spec)
