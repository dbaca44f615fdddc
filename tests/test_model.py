"""The shipped model: safe to load, reproducible from the corpus, consistent with its card."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hisho_tone import Analyzer
from hisho_tone.model import FORMAT, ModelError, load_model, shipped_path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "model.json"


def _toy(weight: float) -> dict:
    head = {"bias": -2.0, "weights": {"cue:vague_referent": weight}}
    return {
        "format": FORMAT, "id": "toy", "call": head, "calibration": {"a": 1.0, "b": 0.0},
        "ambiguity": [head, head], "emotion": [head, head],
        "thresholds": {s: {"care": 0.3, "call": 0.5} for s in ("low", "normal", "high")},
    }


def test_shipped_model_is_plain_json_and_is_used(analyzer):
    assert shipped_path() == MODEL
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    assert analyzer.analyze("テスト").model == data["id"]


def test_analyze_does_not_import_scikit_learn():
    code = "import sys, hisho_tone; hisho_tone.analyze('例の件、いい感じにお願いします'); print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'numpy', 'pickle', 'joblib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "HISHO_TONE_CONFIG": os.devnull})
    loaded = json.loads(out.stdout.replace("'", '"'))
    assert not [m for m in loaded if m.split(".")[0] in ("sklearn", "scipy", "numpy", "joblib")], loaded


def test_a_toy_model_passed_as_data_drives_the_scores():
    low = Analyzer(config=False, model=_toy(0.0)).analyze("例の件、お願いします")
    high = Analyzer(config=False, model=_toy(8.0)).analyze("例の件、お願いします")
    assert low.recommendation == "text" and high.recommendation in ("call", "video")
    assert high.model == "toy"


@pytest.mark.parametrize(
    ("data", "error"),
    [({"format": "other"}, "not a hisho-tone model"), ({"format": FORMAT, "id": "x"}, "missing or malformed")],
)
def test_bad_model_data_is_rejected(data, error):
    with pytest.raises(ModelError, match=error):
        load_model(data)


def test_unreadable_model_file_names_the_file(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="m.json"):
        Analyzer(config=False, model=bad)


def test_training_is_deterministic_on_a_subset():
    from hisho_tone_models.train import train

    first = train(out=None, card=None, limit=400)
    second = train(out=None, card=None, limit=400)
    assert first == second


@pytest.mark.slow
def test_full_retrain_reproduces_the_shipped_model_and_card(tmp_path):
    from hisho_tone_models.train import train

    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    card = tmp_path / "card.md"
    retrained = train(out=tmp_path / "model.json", card=card)
    for key in ("roc_auc", "macro_f1", "spearman_ambiguity", "spearman_emotion", "ece"):
        assert retrained["metrics"][key] == pytest.approx(shipped["metrics"][key], abs=0.01), key
    assert retrained["thresholds"] == shipped["thresholds"]
    shipped_card = (ROOT / "models" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"| ROC-AUC (call) | {shipped['metrics']['roc_auc']:.3f}" in shipped_card


def test_shipped_model_meets_its_targets_on_the_test_split():
    m = json.loads(MODEL.read_text(encoding="utf-8"))["metrics"]
    assert m["roc_auc"] >= 0.95 and m["macro_f1"] >= 0.90 and m["ece"] <= 0.05
    assert m["spearman_ambiguity"] >= 0.75 and m["spearman_emotion"] >= 0.75


def test_evaluate_command(tmp_path):
    data = tmp_path / "mine.jsonl"
    rows = [
        {"id": "a", "channel": "chat", "text": "例の件、いい感じにお願いします", "call": True, "ambiguity": 2, "emotion": 0},
        {"id": "b", "channel": "chat", "text": "了解です👍 明日10時に伺います。", "call": False, "ambiguity": 0, "emotion": 0},
        {"id": "c", "channel": "chat", "text": "なぜ連絡をくれなかったのですか？", "call": True, "ambiguity": 0, "emotion": 2},
        {"id": "d", "channel": "chat", "text": "資料ありがとうございます！助かりました😊", "call": False, "ambiguity": 0, "emotion": 0},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "hisho_tone", "evaluate", str(data), "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)
    assert metrics["n"] == 4 and metrics["roc_auc"] == 1.0


def test_evaluate_reports_a_broken_file_clearly(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": 3}\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "hisho_tone", "evaluate", str(bad)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "bad.jsonl:1" in out.stderr
