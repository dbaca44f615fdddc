"""Train the shipped model from the labeled corpus: ``hisho-tone train``.

Steps: read models/data/messages_*.jsonl → family-grouped, seeded train/dev/test split →
features from hisho_tone.features (the same module the runtime uses) → logistic regression for
``call`` (Platt-calibrated on dev) and two ordinal heads each for ambiguity and emotion →
thresholds per sensitivity chosen on dev → metrics on test → models/model.json + MODEL_CARD.md.
Next step after training: ``make test`` (the tests check the model against its card).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

from .corpus import DATA_DIR, load_messages

MODELS_DIR = Path(__file__).resolve().parent
SEED = 20261126
SPLIT = (0.70, 0.15, 0.15)
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
MIN_DF = 2  # lexical features must occur in at least this many training messages
CARE_RATIO = 0.55  # text_with_care starts at this fraction of the call threshold


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def split_by_family(rows: list[dict[str, Any]], seed: int = SEED) -> tuple[list, list, list]:
    """Whole families go to one split, so near-variants never straddle train and test."""
    families = sorted({r["family"] for r in rows})
    random.Random(seed).shuffle(families)
    n = len(families)
    cut1, cut2 = round(n * SPLIT[0]), round(n * (SPLIT[0] + SPLIT[1]))
    part = {f: (0 if i < cut1 else 1 if i < cut2 else 2) for i, f in enumerate(families)}
    out: tuple[list, list, list] = ([], [], [])
    for r in rows:
        out[part[r["family"]]].append(r)
    return out


def featurize_rows(rows: list[dict[str, Any]], label: str) -> list[dict[str, float]]:
    from hisho_tone import Analyzer
    from hisho_tone.features import featurize

    analyzer = Analyzer(config=False, model=None)
    feats = []
    start = time.perf_counter()
    for i, r in enumerate(rows, 1):
        feats.append(featurize(analyzer.inspect(r["text"], r["channel"])))
        if i % 250 == 0 or i == len(rows):
            log(f"  features {label}: {i}/{len(rows)} ({time.perf_counter() - start:.1f}s)")
    return feats


def _prune(feats: list[dict[str, float]]) -> set[str]:
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    return {k for k, c in df.items() if c >= MIN_DF or not k.startswith(("w:", "b:"))}


def _fit(X, y, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, solver="lbfgs").fit(X, y)


def _head(model, names: list[str]) -> dict[str, Any]:
    weights = {n: round(float(w), 6) for n, w in zip(names, model.coef_[0]) if abs(w) >= 1e-5}
    return {"bias": round(float(model.intercept_[0]), 6), "weights": dict(sorted(weights.items()))}


def _choose(Xtr, ytr, Xdev, score: Callable[[Any], float], label: str):
    best = None
    for C in C_GRID:
        m = _fit(Xtr, ytr, C)
        s = score(m)
        log(f"  {label}: C={C:<4} dev score {s:.4f}")
        if best is None or s > best[0] + 1e-9:
            best = (s, C, m)
    return best[1], best[2]


def _thresholds(probs: list[float], labels: list[bool]) -> dict[str, dict[str, float]]:
    from sklearn.metrics import f1_score

    grid = [i / 100 for i in range(5, 96)]

    def f1(t):
        return f1_score(labels, [p >= t for p in probs], average="macro")

    def recall(t):
        pos = [p for p, y in zip(probs, labels) if y]
        return sum(p >= t for p in pos) / max(1, len(pos))

    def precision(t):
        sel = [y for p, y in zip(probs, labels) if p >= t]
        return sum(sel) / len(sel) if sel else 1.0

    normal = max(grid, key=lambda t: (round(f1(t), 4), -abs(t - 0.5)))
    high = max([t for t in grid if t <= normal and recall(t) >= 0.95] or [min(normal, 0.3)])
    low = min([t for t in grid if t >= normal and precision(t) >= 0.95] or [max(normal, 0.7)])
    return {
        s: {"care": round(t * CARE_RATIO, 3), "call": round(t, 3)}
        for s, t in (("low", low), ("normal", normal), ("high", high))
    }


def train(data_dir: Path = DATA_DIR, out: Path | None = MODELS_DIR / "model.json", card: Path | None = MODELS_DIR / "MODEL_CARD.md", limit: int | None = None, seed: int = SEED) -> dict[str, Any]:
    """Train, evaluate and write the model (``out``) and its card (``card``); return the model dict."""
    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    from hisho_tone.model import FORMAT, Model
    from hisho_tone_models.metrics import evaluate

    t0 = time.perf_counter()
    log(f"[1/6] reading corpus from {data_dir}")
    rows = load_messages(data_dir)
    if limit:
        rows = rows[:limit]
    train_rows, dev_rows, test_rows = split_by_family(rows, seed)
    log(f"  {len(rows)} messages: train {len(train_rows)}, dev {len(dev_rows)}, test {len(test_rows)}")

    log("[2/6] computing features (hisho_tone.features)")
    ftr, fdev, fte = (featurize_rows(r, n) for r, n in ((train_rows, "train"), (dev_rows, "dev"), (test_rows, "test")))
    keep = _prune(ftr)
    vec = DictVectorizer(sort=True)
    Xtr = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in ftr])
    Xdev, Xte = vec.transform(fdev), vec.transform(fte)
    names = list(vec.get_feature_names_out())
    log(f"  {len(names)} features")

    log("[3/6] call classifier")
    ytr = np.array([r["call"] for r in train_rows])
    ydev = np.array([r["call"] for r in dev_rows])
    C, call_model = _choose(Xtr, ytr, Xdev, lambda m: -log_loss(ydev, m.predict_proba(Xdev)[:, 1]), "call")
    margins = call_model.decision_function(Xdev).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(margins, ydev)
    calibration = {"a": round(float(platt.coef_[0][0]), 6), "b": round(float(platt.intercept_[0]), 6)}

    log("[4/6] ambiguity and emotion (ordinal: level ≥ 1, level ≥ 2)")
    heads: dict[str, list[dict[str, Any]]] = {}
    for target in ("ambiguity", "emotion"):
        levels_tr = np.array([r[target] for r in train_rows])
        levels_dev = [r[target] for r in dev_rows]
        heads[target] = []
        for cut in (1, 2):
            def dev_score(m, cut=cut):
                return float(spearmanr(m.decision_function(Xdev), levels_dev).statistic)

            _, m = _choose(Xtr, levels_tr >= cut, Xdev, dev_score, f"{target}≥{cut}")
            heads[target].append(_head(m, names))

    model: dict[str, Any] = {
        "format": FORMAT,
        "id": "",
        "trained_on": {"messages": len(rows), "train": len(train_rows), "dev": len(dev_rows), "test": len(test_rows), "seed": seed, "C_call": C},
        "call": _head(call_model, names),
        "calibration": calibration,
        "ambiguity": heads["ambiguity"],
        "emotion": heads["emotion"],
        "thresholds": {},
    }
    runtime = Model({**model, "thresholds": {s: {"care": 0.3, "call": 0.5} for s in ("low", "normal", "high")}})
    dev_probs = [runtime.probability(f) for f in fdev]
    log("[5/6] thresholds per sensitivity (on dev)")
    model["thresholds"] = _thresholds(dev_probs, [bool(r["call"]) for r in dev_rows])
    log(f"  {model['thresholds']}")

    log("[6/6] test-split metrics")
    preds = [
        {"call_probability": runtime.probability(f), "ambiguity": runtime._ordinal(runtime.ambiguity, f), "emotional_weight": runtime._ordinal(runtime.emotion, f)}
        for f in fte
    ]
    metrics = evaluate(test_rows, preds, model["thresholds"]["normal"]["call"])
    model["metrics"] = _rounded(metrics)
    body = json.dumps({k: v for k, v in model.items() if k != "id"}, ensure_ascii=False, sort_keys=True)
    model["id"] = "hisho-tone-lr-" + hashlib.sha256(body.encode()).hexdigest()[:10]
    elapsed = time.perf_counter() - t0
    log(f"  ROC-AUC {metrics['roc_auc']:.3f}  macro-F1 {metrics['macro_f1']:.3f}  Spearman amb {metrics['spearman_ambiguity']:.3f} emo {metrics['spearman_emotion']:.3f}  ECE {metrics['ece']:.3f}")
    if out:
        out.write_text(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        log(f"wrote {out} ({out.stat().st_size // 1024} KiB, model id {model['id']})")
    if card:
        from .card import write_card

        write_card(card, model, rows, train_rows, dev_rows, test_rows, elapsed)
        log(f"wrote {card}")
    log(f"done in {elapsed:.1f}s. Next: `make test` checks the shipped model against its card.")
    return model


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
