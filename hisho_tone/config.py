"""User configuration: switch cue kinds off, allow phrases, add phrases of your own.

The file is TOML at ``$HISHO_TONE_CONFIG`` or, by default, ``<user config dir>/hisho-tone/config.toml``
(on Linux ``~/.config/hisho-tone/config.toml``)::

    disabled_kinds = ["hedge", "intensifier"]     # never report these kinds
    allow = ["例の件"]                             # regular expressions never reported
    [[phrases]]                                    # your own phrases, same fields as the data files
    kind = "vague_standard"
    patterns = ["ふんわり"]
    message = "「{surface}」は基準が曖昧です。"      # optional; the kind's message otherwise
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

ENV_VAR = "HISHO_TONE_CONFIG"
KEYS = ("disabled_kinds", "allow", "phrases")  # every key a configuration may hold


class ConfigError(ValueError):
    """The configuration file is malformed; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Config:
    """What a user may change about detection."""

    disabled_kinds: frozenset[str] = frozenset()
    allow: tuple[re.Pattern[str], ...] = ()
    phrases: tuple[dict[str, Any], ...] = ()
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def default_path() -> Path:
    """Where the configuration file is looked for."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path("hisho-tone") / "config.toml"


def _strings(value: Any, name: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{name}' must be a list of strings")
    return value


def from_mapping(data: dict[str, Any], where: str = "config") -> Config:
    """Validate a parsed configuration (also used for the ``Analyzer`` keyword arguments)."""
    if unknown := [key for key in data if key not in KEYS]:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}")
    disabled = _strings(data.get("disabled_kinds", []), "disabled_kinds", where)
    allow = []
    for pattern in _strings(data.get("allow", []), "allow", where):
        try:
            allow.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{where}: bad regular expression in 'allow': {pattern!r} ({exc})") from exc
    phrases = data.get("phrases", [])
    if not isinstance(phrases, list) or not all(isinstance(p, dict) for p in phrases):
        raise ConfigError(f"{where}: 'phrases' must be a list of tables ([[phrases]])")
    return Config(frozenset(disabled), tuple(allow), tuple(phrases))


def load(path: Path | None = None) -> Config:
    """Read the configuration file; a missing file means the defaults."""
    path = path or default_path()
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    config = from_mapping(data, str(path))
    return Config(config.disabled_kinds, config.allow, config.phrases, path)


def check_kinds(config: Config, known: Any, where: str) -> None:
    """ConfigError naming the file (or ``where``), the key and the known kinds for a kind that does
    not exist (a typo in ``disabled_kinds`` would otherwise switch nothing off, silently)."""
    if unknown := sorted(set(config.disabled_kinds) - set(known)):
        raise ConfigError(
            f"{config.path or where}: 'disabled_kinds' names unknown kinds {unknown}; "
            f"known kinds: {', '.join(sorted(known))}"
        )
