"""Train the shipped model from the labeled corpus: ``hisho-tone train``.

Steps: read models/data/messages_*.jsonl → family-grouped, seeded split (85 % fit, 15 % test) →
features from hisho_tone.features (the same module the runtime uses) → logistic regression for
``call`` with C chosen by family-grouped 5-fold cross-validation and isotonic calibration fitted on
the out-of-fold margins, and two ordinal heads each for ambiguity and emotion → thresholds per
sensitivity chosen on the out-of-fold probabilities → metrics on the untouched test split →
models/model.json + MODEL_CARD.md.
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
from typing import Any

from .corpus import DATA_DIR, load_messages

MODELS_DIR = Path(__file__).resolve().parent
SEED = 20261126
SPLIT = (0.70, 0.15, 0.15)  # train / dev / test by family; train and dev are pooled for cross-validation
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
CALIBRATION = "isotonic"  # or "platt"
THREAD_C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)  # few dense features: less regularisation
MIN_DF = 2  # lexical features must occur in at least this many training messages
CARE_RATIO = 0.55
NORMAL_MIN = 0.5  # the normal call threshold never goes below "more likely than not"
HIGH_MIN = 0.2  # text_with_care starts at this fraction of the call threshold


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


def _fold_fits(X, y, folds, C: float):
    """Out-of-fold margins and the fold models for one C."""
    import numpy as np

    oof = np.zeros(len(y))
    models = []
    for train_idx, held_idx in folds:
        m = _fit(X[train_idx], y[train_idx], C)
        models.append(m)
        oof[held_idx] = m.decision_function(X[held_idx])
    return oof, models


def _average(models):
    """One linear model whose weights are the mean of the fold models' weights.

    Averaging weights is averaging margins, so its margins on new data match the out-of-fold
    margins the calibration was fitted on — which a single refit on all the data would not.
    """
    import numpy as np

    averaged = models[0]
    averaged.coef_ = np.mean([m.coef_ for m in models], axis=0)
    averaged.intercept_ = np.mean([m.intercept_ for m in models], axis=0)
    return averaged


def _folds(X, y, groups):
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=FOLDS).split(X, y, groups))


def _cross_validated(X, y, groups, label: str):
    """Pick C by family-grouped 5-fold log-loss; return (C, out-of-fold margins, averaged fold model)."""
    import numpy as np
    from sklearn.metrics import log_loss, roc_auc_score

    folds = _folds(X, y, groups)
    best = None
    for C in C_GRID:
        oof, models = _fold_fits(X, y, folds, C)
        loss = log_loss(y, 1 / (1 + np.exp(-oof)))
        log(f"  {label}: C={C:<4} out-of-fold log-loss {loss:.4f}, ROC-AUC {roc_auc_score(y, oof):.4f}")
        if best is None or loss < best[0] - 1e-9:
            best = (loss, C, oof, models)
    _, C, oof, models = best
    return C, oof, _average(models)


def _ordinal_heads(X, levels, groups, label: str):
    """Heads for level ≥ 1 and level ≥ 2 with the C whose ordinal score ranks best out of fold."""
    import numpy as np
    from scipy.stats import spearmanr

    folds = _folds(X, levels, groups)
    best = None
    for C in C_GRID:
        fits = [_fold_fits(X, levels >= cut, folds, C) for cut in (1, 2)]
        score = sum(1 / (1 + np.exp(-oof)) for oof, _ in fits) / 2
        rho = float(spearmanr(score, levels).statistic)
        log(f"  {label}: C={C:<4} out-of-fold Spearman {rho:.4f}")
        if best is None or rho > best[0] + 1e-9:
            best = (rho, fits)
    return [_average(models) for _, models in best[1]]


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

    # normal: the best macro-F1 among thresholds where a call is at least as likely as not. The
    # corpus is half call-worthy; real drafts mostly are not, and false alarms cost users the most.
    normal = max((t for t in grid if t >= NORMAL_MIN), key=lambda t: (round(f1(t), 4), -t))
    high = max([t for t in grid if HIGH_MIN <= t <= normal and recall(t) >= 0.95] or [HIGH_MIN])
    low = min([t for t in grid if t >= normal and precision(t) >= 0.97] or [max(normal, 0.8)])
    return {
        s: {"care": round(t * CARE_RATIO, 3), "call": round(t, 3)}
        for s, t in (("low", low), ("normal", normal), ("high", high))
    }


def train(data_dir: Path = DATA_DIR, out: Path | None = MODELS_DIR / "model.json", card: Path | None = MODELS_DIR / "MODEL_CARD.md", limit: int | None = None, seed: int = SEED) -> dict[str, Any]:
    """Train, evaluate and write the model (``out``) and its card (``card``); return the model dict."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from hisho_tone.model import FORMAT, Model
    from hisho_tone_models.metrics import evaluate

    t0 = time.perf_counter()
    log(f"[1/7] reading corpus from {data_dir}")
    rows = load_messages(data_dir)
    if limit:
        rows = rows[:limit]
    train_rows, dev_rows, test_rows = split_by_family(rows, seed)
    log(f"  {len(rows)} messages: train {len(train_rows)}, dev {len(dev_rows)}, test {len(test_rows)}")

    log("[2/7] computing features (hisho_tone.features)")
    fit_rows = train_rows + dev_rows  # cross-validated: every non-test message trains and calibrates
    ffit = featurize_rows(fit_rows, "train+dev")
    fte = featurize_rows(test_rows, "test")
    keep = _prune(ffit)
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in ffit]).tocsr()
    names = list(vec.get_feature_names_out())
    groups = np.array([r["family"] for r in fit_rows])
    log(f"  {len(names)} features")

    log(f"[3/7] call classifier ({FOLDS}-fold, grouped by family)")
    y = np.array([r["call"] for r in fit_rows])
    C, oof, call_model = _cross_validated(X, y, groups, "call")
    if CALIBRATION == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, y)
        calibration = {"x": [round(float(v), 6) for v in iso.X_thresholds_], "y": [round(float(v), 6) for v in iso.y_thresholds_]}
        oof_probs = [float(p) for p in iso.predict(oof)]
    else:
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(oof.reshape(-1, 1), y)
        calibration = {"a": round(float(platt.coef_[0][0]), 6), "b": round(float(platt.intercept_[0]), 6)}
        oof_probs = [float(p) for p in platt.predict_proba(oof.reshape(-1, 1))[:, 1]]

    log("[4/7] ambiguity and emotion (ordinal: level ≥ 1, level ≥ 2)")
    heads: dict[str, list[dict[str, Any]]] = {}
    for target in ("ambiguity", "emotion"):
        levels = np.array([r[target] for r in fit_rows])
        heads[target] = [_head(m, names) for m in _ordinal_heads(X, levels, groups, target)]

    model: dict[str, Any] = {
        "format": FORMAT,
        "id": "",
        "trained_on": {"messages": len(rows), "train": len(fit_rows), "test": len(test_rows), "folds": FOLDS, "seed": seed, "C_call": C},
        "call": _head(call_model, names),
        "calibration": calibration,
        "ambiguity": heads["ambiguity"],
        "emotion": heads["emotion"],
        "thresholds": {},
    }
    log("[5/7] thresholds per sensitivity (on out-of-fold predictions)")
    model["thresholds"] = _thresholds(oof_probs, [bool(v) for v in y])
    log(f"  {model['thresholds']}")
    runtime = Model(model)

    log("[6/7] test-split metrics")
    preds = [runtime.predict(f) for f in fte]
    metrics = evaluate(test_rows, preds, model["thresholds"]["normal"]["call"])
    model["metrics"] = _rounded(metrics)

    log("[7/7] thread head (threads.jsonl)")
    thread_file = Path(data_dir) / "threads.jsonl"
    if thread_file.is_file() and not limit:
        model["thread"], model["thread_metrics"] = train_thread(thread_file, runtime, seed)
        log(f"  threads: held-out ROC-AUC {model['thread_metrics']['test_roc_auc']}, out-of-fold ROC-AUC {model['thread_metrics']['oof_roc_auc']}")
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


def train_thread(path: Path, message_model, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Logistic head over hisho_tone.thread.thread_features, C by grouped CV, thresholds out-of-fold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score

    from hisho_tone import Analyzer
    from hisho_tone.thread import build_state, parse_messages, thread_features

    threads = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    analyzer = Analyzer(config=False, model=message_model)
    feats = []
    for i, t in enumerate(threads, 1):
        state = build_state(analyzer, parse_messages(t["messages"]), t.get("draft"), t.get("channel", "chat"), "normal")
        feats.append(thread_features(state))
        if i % 40 == 0 or i == len(threads):
            log(f"  thread features: {i}/{len(threads)}")
    names = sorted(feats[0])
    X = np.array([[f[n] for n in names] for f in feats])
    y = np.array([bool(t["call"]) for t in threads])
    fit_rows, dev_rows, test_rows = split_by_family([{**t, "family": t.get("family", t["id"])} for t in threads], seed)
    fit_ids = {t["id"] for t in fit_rows + dev_rows}
    fit_idx = np.array([i for i, t in enumerate(threads) if t["id"] in fit_ids])
    test_idx = np.array([i for i, t in enumerate(threads) if t["id"] not in fit_ids])
    groups = np.array([threads[i].get("family", threads[i]["id"]) for i in fit_idx])
    folds = _folds(X[fit_idx], y[fit_idx], groups)
    best = None
    for C in THREAD_C_GRID:
        oof = np.zeros(len(fit_idx))
        for tr, held in folds:
            m = LogisticRegression(C=C, max_iter=2000).fit(X[fit_idx][tr], y[fit_idx][tr])
            oof[held] = m.predict_proba(X[fit_idx][held])[:, 1]
        auc = roc_auc_score(y[fit_idx], oof)
        log(f"  thread: C={C:<4} out-of-fold ROC-AUC {auc:.4f}")
        if best is None or auc > best[0] + 1e-9:
            best = (auc, C, oof)
    auc, C, oof = best
    final = LogisticRegression(C=C, max_iter=2000).fit(X[fit_idx], y[fit_idx])
    thresholds = _thresholds([float(p) for p in oof], [bool(v) for v in y[fit_idx]])
    test_probs = final.predict_proba(X[test_idx])[:, 1]
    call = thresholds["normal"]["call"]
    head = {
        "bias": round(float(final.intercept_[0]), 6),
        "weights": {n: round(float(w), 6) for n, w in zip(names, final.coef_[0])},
        "thresholds": thresholds,
    }
    metrics = {
        "threads": len(threads), "fit": len(fit_idx), "test": len(test_idx), "C": C,
        "oof_roc_auc": round(float(auc), 4),
        "test_roc_auc": round(float(roc_auc_score(y[test_idx], test_probs)), 4) if len(set(y[test_idx])) == 2 else None,
        "test_macro_f1": round(float(f1_score(y[test_idx], test_probs >= call, average="macro")), 4),
    }
    return head, metrics


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
