"""User configuration: disabled kinds, allow-list, own phrases (keyword arguments and TOML file)."""

from __future__ import annotations

import pytest

from hisho_tone import Analyzer
from hisho_tone.config import ConfigError

TEXT = "例の件、いい感じにお願いします"


def kinds(analyzer: Analyzer, text: str = TEXT) -> set[str]:
    return {r.kind for r in analyzer.analyze(text).reasons}


def test_disabled_kind_is_never_reported():
    assert "vague_standard" not in kinds(Analyzer(config=False, disabled_kinds=["vague_standard"]))
    assert "vague_standard" in kinds(Analyzer(config=False))


def test_allow_list_suppresses_a_phrase():
    assert "vague_referent" not in kinds(Analyzer(config=False, allow=["例の件"]))


def test_own_phrases_are_detected_with_the_kind_message():
    analyzer = Analyzer(config=False, phrases=[{"kind": "vague_standard", "patterns": ["ふんわり"]}])
    (reason,) = [r for r in analyzer.analyze("ふんわりまとめてください").reasons if r.kind == "vague_standard"]
    assert reason.surface == "ふんわり" and "ふんわり" in reason.message


def test_config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'disabled_kinds = ["vague_referent"]\n[[phrases]]\nkind = "vague_standard"\npatterns = ["ふんわり"]\n',
        encoding="utf-8",
    )
    analyzer = Analyzer(config=path)
    assert "vague_referent" not in kinds(analyzer)
    assert "vague_standard" in kinds(analyzer, "ふんわりで")


def test_config_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('disabled_kinds = ["vague_standard"]\n', encoding="utf-8")
    monkeypatch.setenv("HISHO_TONE_CONFIG", str(path))
    assert "vague_standard" not in kinds(Analyzer())


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("disabled_kinds = 3", "disabled_kinds"),
        ("allow = ['(']", "bad regular expression"),
        ("phrases = 'x'", "phrases"),
        ("x = [", "not valid TOML"),
    ],
)
def test_bad_config_files_name_the_problem(tmp_path, content, error):
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        Analyzer(config=path)


def test_unknown_kind_in_phrases_lists_known_kinds():
    with pytest.raises(ValueError, match="known kinds"):
        Analyzer(config=False, phrases=[{"kind": "typo", "patterns": ["x"]}])


@pytest.mark.parametrize(
    ("content", "names"),
    [
        ('disabled_kinds = ["vague_standrd"]', ["'disabled_kinds'", "vague_standrd", "known kinds", "vague_standard"]),
        ('disabled = ["hedge"]', ["unknown key 'disabled'", "disabled_kinds, allow, phrases"]),
    ],
)
def test_unknown_names_in_the_file_name_the_file_the_key_and_the_known_names(tmp_path, content, names):
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        Analyzer(config=path)
    message = str(error.value)
    assert message.startswith(str(path))
    for name in names:
        assert name in message


def test_unknown_kind_as_keyword_argument():
    with pytest.raises(ConfigError, match=r"Analyzer\(\): 'disabled_kinds' names unknown kinds \['typo'\]"):
        Analyzer(config=False, disabled_kinds=["typo"])
