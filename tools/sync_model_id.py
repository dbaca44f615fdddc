"""Write the shipped model's id into the docs that show it (server/README.md's examples, …).

Usage: python tools/sync_model_id.py [--check]

tests/test_docs.py fails when a doc shows another id than models/model.json's; after a retrain, run
this once and commit the docs with the model.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "server/README.md", "extension/README.md", "docs/*.md")
MODEL_ID = re.compile(r"hisho-tone-lr-[0-9a-f]{10}")


def doc_files() -> list[Path]:
    return sorted({path for pattern in DOCS for path in ROOT.glob(pattern)})


def shipped_id() -> str:
    from hisho_tone.model import load_model

    return load_model("default").id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report docs that show another id (exit 1)")
    args = parser.parse_args()
    current = shipped_id()
    stale = []
    for path in doc_files():
        text = path.read_text(encoding="utf-8")
        if any(found != current for found in MODEL_ID.findall(text)):
            stale.append(path)
            if not args.check:
                path.write_text(MODEL_ID.sub(current, text), encoding="utf-8")
    for path in stale:
        print(f"{path.relative_to(ROOT)}: {'shows another model id' if args.check else 'updated to ' + current}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
