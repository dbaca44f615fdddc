"""The demo archive and its report, built once per test session (shared by tests/test_report_build.py and the browser tests)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from hisho_tone.report.build import ReportOptions, build_report

ROOT = Path(__file__).resolve().parents[1]
TENSE_CLIENT = "小林（北斗物産）"


def demo_module() -> Any:
    spec = importlib.util.spec_from_file_location("make_demo_archive", ROOT / "tools" / "make_demo_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_demo(path: Path) -> list[dict[str, Any]]:
    """Write the demo archive to ``path``; return its records."""
    demo_module().write(path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ping_pong_threads(records: list[dict[str, Any]]) -> set[str]:
    """Threads of the demo that are ping-pong conversations (they start with a PING_PONG script's first line)."""
    openers = {script[0][1] for script in demo_module().PING_PONG}
    firsts: dict[str, str] = {}
    for r in records:
        firsts.setdefault(r["thread"], r["text"])
    return {thread for thread, text in firsts.items() if text in openers}


def build(archive: Path, out: Path, **kw: Any) -> tuple[Path, Path, dict[str, Any]]:
    """The report of ``archive`` (HTML and JSON under ``out``), scored in this process, without the user's config."""
    out.mkdir(parents=True, exist_ok=True)
    html, summary_path = out / "report.html", out / "summary.json"
    summary, _ = build_report(archive, html, summary_path, ReportOptions(workers=1, user_config=False, **kw))
    return html, summary_path, summary
