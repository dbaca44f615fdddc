"""Train the shipped model from the labeled corpus: ``hisho-tone train``.

Steps: read models/data/messages_*.jsonl (the written corpus) and models/data/real/ (hand-labeled
real sentences) → family-grouped, seeded split of the corpus (85 % fit, 15 % test); the real
sentences come with a frozen test split → features from hisho_tone.features (the same module the
runtime uses) → logistic regression for ``call`` with C chosen by family-grouped 5-fold
cross-validation on the corpus AND the real sentences, isotonic calibration fitted on the
out-of-fold margins and moved to the deployment prevalence, two ordinal heads each for ambiguity
and emotion → thresholds per sensitivity chosen on out-of-fold decisions (the evidence rules of
hisho_tone.scoring included) on both sources → metrics through ``analyze()`` on both untouched test
splits → models/model.json + MODEL_CARD.md.
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

from .corpus import DATA_DIR, load_messages, load_real

MODELS_DIR = Path(__file__).resolve().parent
SEED = 20261126
SPLIT = (0.70, 0.15, 0.15)  # train / dev / test by family; train and dev are pooled for cross-validation
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
CALIBRATION = "isotonic"  # or "platt"
THREAD_C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)  # few dense features: less regularisation
MIN_DF = 3  # lexical features must occur in at least this many training messages
CARE_RATIO = 0.55  # text_with_care starts at this fraction of the call threshold
# The share of drafts that deserve a call in a real working day (the people we build for guess one in ten or
# twenty). The corpus is about half calls; probabilities are moved to this prevalence.
DEPLOYMENT_PREVALENCE = 0.08
HIGH_NOISE = 1.5  # sensitivity "high" may tell this many times as many real sentences to call as "normal"
# "normal" is the HIGHEST threshold whose score is within this of the best: the score is flat over a
# wide range, and where it is, fewer ordinary sentences told to call is worth more than a tie
SCORE_TOLERANCE = 0.005
CORPUS_ONLY_HEADS = ("ambiguity",)
WEIGHT_DIGITS = 4  # weights are rounded to this many decimals in model.json


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


def featurize_rows(rows: list[dict[str, Any]], label: str) -> tuple[list[dict[str, float]], list[list[Any]]]:
    """Features of each row, and its cues (the decision rules read them when thresholds are chosen)."""
    from hisho_tone import Analyzer
    from hisho_tone.features import featurize

    analyzer = Analyzer(config=False, model=None)
    feats, cues = [], []
    start = time.perf_counter()
    for i, r in enumerate(rows, 1):
        analysis = analyzer.inspect(r["text"], r["channel"])
        feats.append(featurize(analysis))
        cues.append(analysis.cues)
        if i % 500 == 0 or i == len(rows):
            log(f"  features {label}: {i}/{len(rows)} ({time.perf_counter() - start:.1f}s)")
    return feats, cues


def _prune(feats: list[dict[str, float]]) -> set[str]:
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    return {k for k, c in df.items() if c >= MIN_DF or not k.startswith(("w:", "b:"))}


def _fit(X, y, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, solver="lbfgs").fit(X, y)


def _head(model) -> dict[str, Any]:
    """One column of the model file: a weight per name of ``features`` (format /2)."""
    return {
        "bias": round(float(model.intercept_[0]), WEIGHT_DIGITS),
        "weights": [round(float(w), WEIGHT_DIGITS) + 0.0 for w in model.coef_[0]],
    }


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


def _cross_validated(X, y, groups, real, label: str):
    """Pick C by family-grouped 5-fold log-loss, averaged over the corpus and the real sentences
    (``real``: a boolean mask), so regularisation is chosen on real text too; return (C, out-of-fold
    margins, averaged fold model)."""
    import numpy as np
    from sklearn.metrics import log_loss, roc_auc_score

    folds = _folds(X, y, groups)
    best = None
    for C in C_GRID:
        oof, models = _fold_fits(X, y, folds, C)
        prob = 1 / (1 + np.exp(-oof))
        losses = [log_loss(y[m], prob[m], labels=[False, True]) for m in (~real, real) if m.any()]
        loss = sum(losses) / len(losses)
        log(
            f"  {label}: C={C:<4} out-of-fold log-loss {loss:.4f} (corpus, real: {', '.join(f'{v:.4f}' for v in losses)}), ROC-AUC {roc_auc_score(y, oof):.4f}"
        )
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


def _decisions(probs, cues, evidence, t: float) -> list[bool]:
    """Whether each message would be told to call (or video) at call threshold ``t``."""
    from hisho_tone.scoring import Scores, decide

    return [
        decide(Scores(p, 0.0, 0.0), c, evidence, (t * CARE_RATIO, t)) in ("call", "video") for p, c in zip(probs, cues)
    ]


def _thread_thresholds(probs: list[float], labels: list[bool]) -> dict[str, dict[str, float]]:
    """Thread-head thresholds: best macro-F1 at ≥ 0.5 (normal), recall ≥ 0.95 (high), precision ≥ 0.97 (low)."""
    from sklearn.metrics import f1_score

    grid = [i / 100 for i in range(5, 96)]
    pos = [p for p, y in zip(probs, labels) if y]

    def precision(t):
        sel = [y for p, y in zip(probs, labels) if p >= t]
        return sum(sel) / len(sel) if sel else 1.0

    normal = max(
        (t for t in grid if t >= 0.5),
        key=lambda t: (round(f1_score(labels, [p >= t for p in probs], average="macro"), 4), -t),
    )
    high = max([t for t in grid if 0.2 <= t <= normal and sum(p >= t for p in pos) >= 0.95 * len(pos)] or [0.2])
    low = min([t for t in grid if t >= normal and precision(t) >= 0.97] or [max(normal, 0.8)])
    return {
        s: {"care": round(t * CARE_RATIO, 3), "call": round(t, 3)}
        for s, t in (("low", low), ("normal", normal), ("high", high))
    }


def _thresholds(
    probs: list[float], labels: list[bool], cues: list[list[Any]], real: list[bool]
) -> tuple[dict[str, dict[str, float]], list[dict[str, float]]]:
    """Call thresholds per sensitivity from out-of-fold decisions, the evidence rules included.

    ``normal`` maximises the mean of the macro-F1 on the corpus and on the real sentences (a model
    that is right on the corpus and loud on real text loses half its score), taking the highest
    threshold within ``SCORE_TOLERANCE`` of the best; ``high`` catches the
    most corpus calls among thresholds below it that tell at most ``HIGH_NOISE`` times as many real
    sentences to call; ``low`` is the lowest above it with corpus precision ≥ 0.97.
    Returns the thresholds and the table they were chosen from (for the card).
    """
    from sklearn.metrics import f1_score

    from hisho_tone.lexicon import load_lexicon
    from hisho_tone.scoring import Evidence

    evidence = Evidence.of(load_lexicon().kinds)
    grid = [i / 200 for i in range(2, 190)]
    corpus = [i for i, r in enumerate(real) if not r]
    reals = [i for i, r in enumerate(real) if r]
    table = []
    for t in grid:
        decided = _decisions(probs, cues, evidence, t)
        row = {"t": t}
        for name, idx in (("corpus", corpus), ("real", reals)):
            y = [labels[i] for i in idx]
            d = [decided[i] for i in idx]
            row[f"{name}_f1"] = float(f1_score(y, d, average="macro")) if idx else 0.0
            row[f"{name}_recall"] = sum(a and b for a, b in zip(d, y)) / max(1, sum(y))
            row[f"{name}_precision"] = sum(a and b for a, b in zip(d, y)) / max(1, sum(d))
            row[f"{name}_rate"] = sum(d) / max(1, len(d))
        row["score"] = (row["corpus_f1"] + row["real_f1"]) / 2 if reals else row["corpus_f1"]
        table.append(row)
    for r in table[::6]:
        log(
            "  t={t:.3f} corpus F1 {corpus_f1:.3f} recall {corpus_recall:.3f} precision {corpus_precision:.3f} | real F1 {real_f1:.3f} rate {real_rate:.3f} precision {real_precision:.3f}".format(
                **r
            )
        )
    best = max(r["score"] for r in table)
    normal = max((r for r in table if r["score"] >= best - SCORE_TOLERANCE), key=lambda r: r["t"])
    high = max(
        [r for r in table if r["t"] <= normal["t"] and r["real_rate"] <= HIGH_NOISE * normal["real_rate"]],
        key=lambda r: (round(r["corpus_recall"], 4), r["t"]),
    )
    low = min(
        [r for r in table if r["t"] >= normal["t"] and r["corpus_precision"] >= 0.97] or [normal], key=lambda r: r["t"]
    )
    thresholds = {
        s: {"care": round(r["t"] * CARE_RATIO, 4), "call": r["t"]}
        for s, r in (("low", low), ("normal", normal), ("high", high))
    }
    chosen = [
        {"sensitivity": s, **{k: round(v, 4) for k, v in r.items()}}
        for s, r in (("low", low), ("normal", normal), ("high", high))
    ]
    return thresholds, chosen


def _shift(p: float, train_rate: float) -> float:
    """Move a probability from the training prevalence to the deployment prevalence (as Model does)."""
    from hisho_tone.model import _prior_shift

    return _prior_shift({"training": train_rate, "deployment": DEPLOYMENT_PREVALENCE})(p)


def measure(model: Any, rows: list[dict[str, Any]], sensitivity: str = "normal") -> dict[str, Any]:
    """Metrics of the model as users get it: through ``Analyzer.analyze()``, recommendation and all."""
    from hisho_tone import Analyzer
    from hisho_tone_models.metrics import evaluate

    analyzer = Analyzer(config=False, model=model)
    advices = [analyzer.analyze(r["text"], channel=r["channel"], sensitivity=sensitivity) for r in rows]
    preds = [
        {
            "call_probability": a.call_probability,
            "ambiguity": a.ambiguity,
            "emotional_weight": a.emotional_weight,
            "recommendation": a.recommendation,
        }
        for a in advices
    ]
    return evaluate(rows, preds, analyzer.thresholds(sensitivity)[1])


def train(
    data_dir: Path = DATA_DIR,
    out: Path | None = MODELS_DIR / "model.json",
    card: Path | None = MODELS_DIR / "MODEL_CARD.md",
    limit: int | None = None,
    seed: int = SEED,
    noise_out: Path | None = MODELS_DIR / "noise.json",
) -> dict[str, Any]:
    """Train, evaluate and write the model (``out``) and its card (``card``); return the model dict.

    With ``noise_out`` and shared/data beside the repository, the real-text noise of the new model is
    measured (``hisho_tone_models.noise``), written there and shown in the card.
    """
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    from hisho_tone.model import FORMAT, Model

    t0 = time.perf_counter()
    log(f"[1/7] reading corpus and real sentences from {data_dir}")
    rows = load_messages(data_dir)
    real_train, real_test = load_real(data_dir)
    if limit:
        rows, real_train, real_test = rows[:limit], real_train[: limit // 2], real_test[: limit // 2]
    train_rows, dev_rows, test_rows = split_by_family(rows, seed)
    log(f"  corpus {len(rows)} messages: train {len(train_rows)}, dev {len(dev_rows)}, test {len(test_rows)}")
    log(f"  real sentences: train {len(real_train)}, frozen test {len(real_test)}")

    log("[2/7] computing features (hisho_tone.features)")
    fit_rows = train_rows + dev_rows + real_train  # cross-validated: every non-test row trains and calibrates
    ffit, cues = featurize_rows(fit_rows, "train+dev+real")
    keep = _prune(ffit)
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in ffit]).tocsr()
    names = list(vec.get_feature_names_out())
    groups = np.array([r["family"] for r in fit_rows])
    real = np.array([i >= len(train_rows) + len(dev_rows) for i in range(len(fit_rows))])  # the real sentences
    log(f"  {len(names)} features")

    log(f"[3/7] call classifier ({FOLDS}-fold, grouped by family)")
    y = np.array([r["call"] for r in fit_rows])
    C, oof, call_model = _cross_validated(X, y, groups, real, "call")
    if CALIBRATION == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(oof, y)
        calibration = {
            "x": [round(float(v), 6) for v in iso.X_thresholds_],
            "y": [round(float(v), 6) for v in iso.y_thresholds_],
        }
        oof_probs = [float(p) for p in iso.predict(oof)]
    else:
        from sklearn.linear_model import LogisticRegression

        platt = LogisticRegression(C=1e6, max_iter=1000).fit(oof.reshape(-1, 1), y)
        calibration = {"a": round(float(platt.coef_[0][0]), 6), "b": round(float(platt.intercept_[0]), 6)}
        oof_probs = [float(p) for p in platt.predict_proba(oof.reshape(-1, 1))[:, 1]]
    train_rate = round(float(y.mean()), 4)
    prevalence = {"training": train_rate, "deployment": DEPLOYMENT_PREVALENCE}
    oof_probs = [_shift(p, train_rate) for p in oof_probs]

    log("[4/7] ambiguity and emotion (ordinal: level ≥ 1, level ≥ 2)")
    heads: dict[str, list[dict[str, Any]]] = {}
    for target in ("ambiguity", "emotion"):
        # ambiguity is learned from the corpus alone: a single real sentence, judged out of its
        # conversation, is almost always "specific" and would teach the head that nothing is vague
        rows_used = ~real if target in CORPUS_ONLY_HEADS else np.ones(len(fit_rows), dtype=bool)
        levels = np.array([r[target] for r in fit_rows])[rows_used]
        heads[target] = [_head(m) for m in _ordinal_heads(X[rows_used], levels, groups[rows_used], target)]

    log("[5/7] thresholds per sensitivity (out-of-fold decisions, corpus and real sentences)")
    thresholds, chosen = _thresholds(oof_probs, [bool(v) for v in y], cues, [bool(v) for v in real])
    for row in chosen:
        log(f"  {row}")
    model: dict[str, Any] = {
        "format": FORMAT,
        "id": "",
        "trained_on": {
            "messages": len(rows),
            "train": len(train_rows) + len(dev_rows),
            "test": len(test_rows),
            "real_train": len(real_train),
            "real_test": len(real_test),
            "folds": FOLDS,
            "seed": seed,
            "C_call": C,
        },
        "prevalence": prevalence,
        "features": names,
        "heads": {"call": _head(call_model), "ambiguity": heads["ambiguity"], "emotion": heads["emotion"]},
        "calibration": calibration,
        "thresholds": thresholds,
        "threshold_choice": chosen,
    }
    _drop_unused(model)
    runtime = Model(model)

    log("[6/7] test metrics through analyze() (corpus test split, frozen real test split)")
    keys = ("recall", "precision", "macro_f1", "false_alarm", "call_rate_predicted")
    on_corpus = {s: measure(runtime, test_rows, s) for s in ("low", "normal", "high")}
    on_real = {s: measure(runtime, real_test, s) for s in ("low", "normal", "high")} if real_test else {}
    model["metrics"] = _rounded(on_corpus["normal"])
    model["real_metrics"] = _rounded(on_real["normal"]) if on_real else None
    model["metrics_by_sensitivity"] = {
        s: {
            "corpus": {k: round(v, 4) for k, v in on_corpus[s].items() if k in keys},
            "real": {k: round(v, 4) for k, v in on_real[s].items() if k in keys} if on_real else {},
        }
        for s in ("low", "normal", "high")
    }

    log("[7/7] thread head (threads.jsonl)")
    thread_file = Path(data_dir) / "threads.jsonl"
    if thread_file.is_file() and not limit:
        model["thread"], model["thread_metrics"] = train_thread(thread_file, runtime, seed)
        log(
            f"  threads: held-out ROC-AUC {model['thread_metrics']['test_roc_auc']}, out-of-fold ROC-AUC {model['thread_metrics']['oof_roc_auc']}"
        )
    body = json.dumps({k: v for k, v in model.items() if k != "id"}, ensure_ascii=False, sort_keys=True)
    model["id"] = "hisho-tone-lr-" + hashlib.sha256(body.encode()).hexdigest()[:10]
    elapsed = time.perf_counter() - t0
    m = model["metrics"]
    log(
        f"  corpus test: ROC-AUC {m['roc_auc']:.3f}  macro-F1 {m['macro_f1']:.3f}  Spearman amb {m['spearman_ambiguity']:.3f} emo {m['spearman_emotion']:.3f}"
    )
    if model["real_metrics"]:
        r = model["real_metrics"]
        log(
            f"  real test: call/video {r['call_rate_predicted']:.3f} (labeled {r['call_rate']:.3f}), ROC-AUC {r['roc_auc']:.3f}, macro-F1 {r['macro_f1']:.3f}"
        )
    if out:
        out.write_text(_dump(model), encoding="utf-8")
        log(f"wrote {out} ({out.stat().st_size // 1024} KiB, model id {model['id']})")
    noise = None
    if noise_out and not limit:
        from .noise import SHARED, real_sets
        from .noise import noise as measure_noise

        if real_sets(SHARED):
            log("real-text noise (python -m hisho_tone_models.noise)")
            noise = measure_noise(Model(model), quiet=True)
            noise_out.write_text(
                json.dumps(noise, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
            for name, by in noise["sets"].items():
                log(
                    f"  {name}: call/video {by['normal']['call_or_video']:.1%} (low {by['low']['call_or_video']:.1%}, high {by['high']['call_or_video']:.1%})"
                )
    if card:
        from .card import write_card

        write_card(card, model, rows, train_rows, dev_rows, test_rows, elapsed, real_train, real_test, noise)
        log(f"wrote {card}")
    log(f"done in {elapsed:.1f}s. Next: `make test` checks the shipped model against its card.")
    return model


def _drop_unused(model: dict[str, Any]) -> None:
    """Remove features whose weight rounds to zero in every head (they would only make the file larger)."""
    heads = [model["heads"]["call"], *model["heads"]["ambiguity"], *model["heads"]["emotion"]]
    used = [i for i in range(len(model["features"])) if any(h["weights"][i] for h in heads)]
    model["features"] = [model["features"][i] for i in used]
    for h in heads:
        h["weights"] = [h["weights"][i] for i in used]


def _dump(model: dict[str, Any]) -> str:
    """model.json in one compact line (keys sorted): the weight columns are most of it, and a diff of
    the file says only that the model changed; the card is the readable view."""
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def train_thread(path: Path, message_model, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Logistic head over hisho_tone.thread.thread_features, C by grouped CV, thresholds out-of-fold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score

    from hisho_tone import Analyzer
    from hisho_tone.thread import build_state, parse_messages, thread_features

    threads = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
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
    thresholds = _thread_thresholds([float(p) for p in oof], [bool(v) for v in y[fit_idx]])
    test_probs = final.predict_proba(X[test_idx])[:, 1]
    call = thresholds["normal"]["call"]
    head = {
        "bias": round(float(final.intercept_[0]), 6),
        "weights": {n: round(float(w), 6) for n, w in zip(names, final.coef_[0])},
        "thresholds": thresholds,
    }
    metrics = {
        "threads": len(threads),
        "fit": len(fit_idx),
        "test": len(test_idx),
        "C": C,
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
