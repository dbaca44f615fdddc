"""``hisho-tone check``: human output, JSON, stdin, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hisho_tone.cli import main

CMD = [sys.executable, "-m", "hisho_tone"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HISHO_TONE_CONFIG": os.devnull}
    return subprocess.run([*CMD, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)


def test_check_human_output_highlights_phrases():
    out = run("check", "例の件、いい感じにお願いします")
    assert out.returncode == 0
    assert "判定" in out.stdout and "【例の件】" in out.stdout and "理由" in out.stdout
    assert "\033[" not in out.stdout  # no colour codes when not a terminal


def test_check_marks_every_place_of_a_reason():
    out = run("check", "何度もお伝えしていますが、期限を守ってください。また同じことが起きたら困ります。")
    assert (
        "【何度も】【お伝えしていますが】、期限を守ってください。【また同じ】ことが起きたら【困ります】。" in out.stdout
    )
    assert "1. 「何度も」「お伝えしていますが」「また同じ」 繰り返しへの不満 [repetition_complaint]" in out.stdout


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("そうですか。わかりました。", ["--channel", "email"]),
        ("例の件、いい感じにお願いします", ["--sensitivity", "high"]),
        ("了解です👍 明日10時に伺います。", []),
    ],
)
def test_check_json_matches_the_library(analyzer, text, options):
    out = run("check", "--json", *options, text)
    assert out.returncode == 0, out.stderr
    channel = options[1] if options[:1] == ["--channel"] else "chat"
    sensitivity = options[1] if options[:1] == ["--sensitivity"] else "normal"
    # the CLI runs with no user configuration, as the session's analyzer fixture does
    assert json.loads(out.stdout) == analyzer.analyze(text, channel=channel, sensitivity=sensitivity).to_dict()


def test_check_reads_stdin():
    out = run("check", "--json", stdin="検討させていただきます。")
    assert json.loads(out.stdout)["reasons"][0]["kind"] == "indirect_refusal"


def test_exit_code_flag():
    assert run("check", "--exit-code", "そうですか。わかりました。").returncode == 1
    assert run("check", "--exit-code", "了解です👍 明日10時に伺います。").returncode == 0


@pytest.mark.parametrize(
    "args", [["check", "--channel", "sms", "x"], ["check", "--sensitivity", "max", "x"], ["nope"], []]
)
def test_bad_arguments_exit_2_with_a_message(args):
    out = run(*args)
    assert out.returncode == 2 and out.stderr.strip()


def test_bad_config_file_is_a_clear_error(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "config.toml"
    bad.write_text("disabled_kinds = [", encoding="utf-8")
    monkeypatch.setenv("HISHO_TONE_CONFIG", str(bad))
    import hisho_tone

    monkeypatch.setattr(hisho_tone, "_default", None)
    assert main(["check", "テスト"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_help_lists_the_commands():
    out = run("--help")
    for command in ("check", "serve"):
        assert command in out.stdout
