"""Evaluation metrics shared by training (model card) and ``hisho-tone evaluate``."""

from __future__ import annotations

from typing import Any, Sequence

from scipy.stats import spearmanr
from sklearn.metrics import f1_score, roc_auc_score

BINS = 10


def reliability(probs: Sequence[float], labels: Sequence[bool], bins: int = BINS) -> list[dict[str, float]]:
    """Per probability bin: count, mean predicted probability, observed call rate."""
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, p in enumerate(probs) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if idx:
            table.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "count": len(idx),
                    "predicted": sum(probs[i] for i in idx) / len(idx),
                    "observed": sum(1 for i in idx if labels[i]) / len(idx),
                }
            )
    return table


def expected_calibration_error(probs: Sequence[float], labels: Sequence[bool], bins: int = BINS) -> float:
    n = len(probs)
    return sum(row["count"] / n * abs(row["predicted"] - row["observed"]) for row in reliability(probs, labels, bins))


def _spearman(scores: Sequence[float], levels: Sequence[int]) -> float:
    if len(set(levels)) < 2 or len(set(scores)) < 2:
        return float("nan")
    return float(spearmanr(scores, levels).statistic)


def evaluate(rows: list[dict[str, Any]], preds: list[dict[str, float]], call_threshold: float) -> dict[str, Any]:
    """Metrics of predictions (``call_probability``, ``ambiguity``, ``emotional_weight`` and, from
    ``analyze()``, ``recommendation``) against labels. A message counts as told to call when its
    recommendation is call or video; without a recommendation, when its probability reaches
    ``call_threshold``."""
    labels = [bool(r["call"]) for r in rows]
    probs = [p["call_probability"] for p in preds]
    decided = [
        p["recommendation"] in ("call", "video") if "recommendation" in p else p["call_probability"] >= call_threshold
        for p in preds
    ]
    result: dict[str, Any] = {
        "n": len(rows),
        "call_rate": sum(labels) / len(labels) if labels else float("nan"),
        "call_rate_predicted": sum(decided) / len(decided) if decided else float("nan"),
        "recall": sum(d and y for d, y in zip(decided, labels)) / max(1, sum(labels)),
        "precision": sum(d and y for d, y in zip(decided, labels)) / max(1, sum(decided)),
        "false_alarm": sum(d and not y for d, y in zip(decided, labels)) / max(1, len(labels) - sum(labels)),
        "roc_auc": float(roc_auc_score(labels, probs)) if len(set(labels)) == 2 else float("nan"),
        "macro_f1": float(f1_score(labels, decided, average="macro")),
        "accuracy": sum(d == y for d, y in zip(decided, labels)) / len(labels),
        "spearman_ambiguity": _spearman([p["ambiguity"] for p in preds], [r["ambiguity"] for r in rows]),
        "spearman_emotion": _spearman([p["emotional_weight"] for p in preds], [r["emotion"] for r in rows]),
        "ece": expected_calibration_error(probs, labels),
        "reliability": reliability(probs, labels),
        "call_threshold": call_threshold,
    }
    by_cat: dict[str, list[bool]] = {}
    for r, d, y in zip(rows, decided, labels):
        by_cat.setdefault(r.get("category", "unknown"), []).append(d != y)
    result["errors_by_category"] = {
        c: {"n": len(e), "errors": sum(e), "rate": sum(e) / len(e)} for c, e in sorted(by_cat.items())
    }
    return result


def format_report(m: dict[str, Any]) -> str:
    """Plain-text report (the CLI prints it)."""
    lines = [
        f"messages            {m['n']}  (call rate {m['call_rate']:.2f})",
        f"ROC-AUC (call)      {m['roc_auc']:.3f}",
        f"macro-F1 (call)     {m['macro_f1']:.3f}   at threshold {m['call_threshold']:.2f}, accuracy {m['accuracy']:.3f}",
        f"Spearman ambiguity  {m['spearman_ambiguity']:.3f}",
        f"Spearman emotion    {m['spearman_emotion']:.3f}",
        f"calibration (ECE)   {m['ece']:.3f}",
        "",
        "reliability: bin | n | predicted | observed",
    ]
    lines += [f"  {r['bin']} | {r['count']:4d} | {r['predicted']:.2f} | {r['observed']:.2f}" for r in m["reliability"]]
    lines += ["", "errors by category: n | errors | rate"]
    lines += [f"  {c:24s} {e['n']:4d} {e['errors']:4d} {e['rate']:.2f}" for c, e in m["errors_by_category"].items()]
    return "\n".join(lines)
