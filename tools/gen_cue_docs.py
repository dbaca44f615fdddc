"""Generate the cue documentation from the dictionaries, so the docs never drift from the data.

Usage: python tools/gen_cue_docs.py          (rewrites docs/CUES.md and the table in README.md)
       python tools/gen_cue_docs.py --check  (exit 1 if either is out of date; the tests run this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hisho_tone.lexicon import CATEGORIES, load_lexicon  # noqa: E402

CATEGORY_JA = {"ambiguity": "曖昧さ", "emotion": "感情", "sensitivity": "センシティブな話題", "complexity": "複雑さ"}
START, END = "<!-- cues:start -->", "<!-- cues:end -->"


def readme_table() -> str:
    lex = load_lexicon()
    lines = ["| category | kind | 名前 | example phrases | entries |", "|---|---|---|---|---|"]
    for category in CATEGORIES:
        for kind in (k for k in lex.kinds.values() if k.category == category):
            entries = [e for e in lex.entries if e.kind == kind.id]
            examples = [ex for e in entries for ex in e.examples][:2] or ["（構造から検出）"]
            lines.append(
                f"| {category} | `{kind.id}` | {kind.label} | {' / '.join(examples)} | {len(entries) or '—'} |"
            )
    return "\n".join(lines)


def cues_md() -> str:
    lex = load_lexicon()
    out = [
        "# Cue kinds",
        "",
        "Generated from `hisho_tone/data/cues_*.toml` by `tools/gen_cue_docs.py`; do not edit by hand.",
        "",
    ]
    for category in CATEGORIES:
        out += [f"## {category} — {CATEGORY_JA[category]}", ""]
        for kind in (k for k in lex.kinds.values() if k.category == category):
            out += [
                f"### `{kind.id}` — {kind.label}",
                "",
                f"- message: {kind.message}",
                f"- hint: {kind.hint}",
                f"- weight: {kind.weight}" + ("; suggests a video call" if kind.video else ""),
                "",
            ]
            for e in (e for e in lex.entries if e.kind == kind.id):
                out.append(f"- **`{e.id}`** — {e.description}")
                if e.examples:
                    out.append(f"  - flags: {' / '.join(e.examples)}")
                if e.counterexamples:
                    out.append(f"  - leaves alone: {' / '.join(e.counterexamples)}")
            out.append("")
    return "\n".join(out)


def main() -> int:
    check = "--check" in sys.argv
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    new_readme = re.sub(
        re.escape(START) + ".*?" + re.escape(END), START + "\n" + readme_table() + "\n" + END, readme, flags=re.S
    )
    cues_path = ROOT / "docs" / "CUES.md"
    new_cues = cues_md()
    stale = [
        p
        for p, old, new in (
            (ROOT / "README.md", readme, new_readme),
            (cues_path, cues_path.read_text(encoding="utf-8") if cues_path.exists() else "", new_cues),
        )
        if old != new
    ]
    if check:
        for p in stale:
            print(f"{p.relative_to(ROOT)} is out of date: run python tools/gen_cue_docs.py", file=sys.stderr)
        return 1 if stale else 0
    (ROOT / "README.md").write_text(new_readme, encoding="utf-8")
    cues_path.write_text(new_cues, encoding="utf-8")
    print("wrote README.md (cue table) and docs/CUES.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
