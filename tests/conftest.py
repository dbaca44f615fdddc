"""Shared fixtures for the library tests."""

from __future__ import annotations

import pytest

from hisho_tone import Analyzer

# the service's fixtures (app, client) for the tests/test_server_*.py modules
pytest_plugins = ("server_fixtures",)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """An Analyzer with the shipped lexicons and model, ignoring the developer's own config file."""
    return Analyzer(config=False)


@pytest.fixture(scope="session")
def cue_analyzer() -> Analyzer:
    """An Analyzer that scores with the transparent cue scorer (no model)."""
    return Analyzer(config=False, model=None)
