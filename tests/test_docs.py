"""Docs that users read match the code: the cue docs are generated from the data, and the README's
examples produce what the README shows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import hisho_tone

ROOT = Path(__file__).resolve().parents[1]


def test_cue_docs_are_generated_from_the_dictionaries():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_cue_docs.py"), "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_readme_example_output(analyzer):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    advice = analyzer.analyze("例の件、いい感じにまとめといてください。なるべく早めで！")
    shown = repr((advice.recommendation, [(r.kind, r.surface) for r in advice.reasons]))
    assert shown in readme
    assert repr(advice.invitation) in readme


def test_server_readme_example_response_is_what_the_service_answers(analyzer):
    """The first response shown in server/README.md is the library's answer to its request, scores
    within 0.05 (a retrain moves them a little; a wrong example moves more)."""
    readme = (ROOT / "server" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `POST /v1/analyze`", 1)[1]
    request = json.loads(re.search(r"-d '(\{.*?\})'", section).group(1))
    shown = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))
    actual = analyzer.analyze(request["text"]).to_dict()
    for score in ("call_probability", "ambiguity", "emotional_weight"):
        assert abs(shown.pop(score) - actual.pop(score)) <= 0.05, score
    assert shown == actual


def test_server_readme_thread_example_is_what_the_service_answers(analyzer):
    """The thread example's verdict, rounds, questions and reasons are analyze_thread's (the fields
    the README abbreviates with "…" aside)."""
    readme = (ROOT / "server" / "README.md").read_text(encoding="utf-8")
    section = readme.split("answer carries a `thread` object", 1)[1]
    request = json.loads(re.search(r"-d '(\{.*?\})'", section, re.S).group(1))
    shown = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))["thread"]
    actual = hisho_tone.analyze_thread(request["thread"], draft=request["text"], analyzer=analyzer).to_dict()
    assert abs(shown.pop("call_probability") - actual["call_probability"]) <= 0.05
    for key in ("per_message", "draft"):
        shown.pop(key)
    assert shown == {k: actual[k] for k in shown}


def test_server_readme_recap_example_is_what_the_service_answers(analyzer):
    readme = (ROOT / "server" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `POST /v1/recap`", 1)[1]
    request = json.loads(re.search(r"-d '(\{.*?\})'", section, re.S).group(1))
    shown = json.loads(re.search(r'^(\{"recap": .*\})$', section, re.M).group(1))
    assert shown == {"recap": hisho_tone.recap_template(request["messages"], analyzer=analyzer)}


def test_readme_documents_every_cli_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from hisho_tone.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no public accessor
    for name in commands:
        assert f"hisho-tone {name}" in readme, name


def test_version_is_consistent():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == hisho_tone.__version__


def test_readme_thread_example_output(analyzer):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    authors = [
        ("田中", "バナーの色、もう少し明るくできますか？"),
        ("佐藤", "こちらの色味でいかがでしょうか。"),
        ("田中", "うーん、もう少し明るい方がいいかもです"),
        ("佐藤", "では、こちらはいかがでしょう。"),
        ("田中", "明るすぎるかもしれません。前の方が近いかも"),
        ("佐藤", "では中間の色でお作りしますね。"),
        ("田中", "うーん、なんか違うんですよね"),
    ]
    thread = [{"author": a, "text": t, "me": a == "佐藤"} for a, t in authors]
    for _, text in authors:
        assert text in readme
    t = hisho_tone.analyze_thread(thread, draft="承知しました。修正版をお送りします。", analyzer=analyzer)
    assert repr((t.recommendation, t.rounds, [r.kind for r in t.reasons])) in readme


def test_docs_show_the_shipped_model_id():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "sync_model_id.py"), "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, f"{out.stdout}run `python tools/sync_model_id.py` after a retrain"
