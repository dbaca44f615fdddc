"""Import the ML-Ask emotion word lists (pymlask, BSD 3-Clause) into hisho_tone/data/mlask_emotions.json.

Usage: pip download --no-deps pymlask==0.3.3 -d /tmp/mlask
       python tools/import_mlask.py /tmp/mlask/pymlask-0.3.3.tar.gz
The lists (3,220 words in ten emotion classes, by Michal Ptaszynski, Python port by Yukino
Ikegami) become model features in hisho_tone/features.py; the licence is kept beside them in
hisho_tone/data/MLASK_LICENSE.txt. Next step: `hisho-tone train`.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("aware", "haji", "ikari", "iya", "kowa", "odoroki", "suki", "takaburi", "yasu", "yorokobi")


def main(sdist: str) -> int:
    lists: dict[str, list[str]] = {}
    licence = ""
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            name = Path(member.name)
            if name.name == "LICENSE":
                licence = tar.extractfile(member).read().decode("utf-8")
            if name.parent.name == "emotions" and name.stem.endswith("_uncoded"):
                cls = name.stem.removesuffix("_uncoded")
                words = tar.extractfile(member).read().decode("utf-8").split()
                lists[cls] = sorted({w.strip() for w in words if w.strip()})
    missing = set(CLASSES) - set(lists)
    if missing or not licence:
        print(f"not a pymlask sdist: missing {sorted(missing) or 'LICENSE'}", file=sys.stderr)
        return 1
    out = ROOT / "hisho_tone" / "data" / "mlask_emotions.json"
    payload = {
        "source": Path(sdist).name,
        "licence": "BSD-3-Clause (see MLASK_LICENSE.txt)",
        "classes": {c: lists[c] for c in CLASSES},
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (ROOT / "hisho_tone" / "data" / "MLASK_LICENSE.txt").write_text(licence, encoding="utf-8")
    print(f"wrote {out} ({sum(map(len, lists.values()))} words). Next: hisho-tone train")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
