"""Real-text noise of the shipped model: ``python -m hisho_tone_models.noise``.

Analyses sentences that people wrote and nobody on this project labeled — KeiCO (all 10,007,
CC BY 4.0) and a seeded sample of 5,000 Tanaka corpus sentences (CC BY 2.0 FR), both from
shared/data — plus the frozen real-text test split of models/data/real, at every sensitivity, and
writes models/noise.json (the model card's real-text table reads it). Prints the same as
``hisho-tone evaluate --unlabeled`` for each set. Next step: ``hisho-tone train`` writes the card.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

from hisho_tone import Analyzer
from hisho_tone.advice import SENSITIVITIES
from hisho_tone.noise import measure

from .corpus import DATA_DIR, load_real

MODELS_DIR = Path(__file__).resolve().parent
SHARED = MODELS_DIR.parent.parent / "shared" / "data"  # beside the repository, as laid out for the team and CI
OUT = MODELS_DIR / "noise.json"
SEED = 20261202
TANAKA_SAMPLE = 5000


def real_sets(shared: Path = SHARED) -> dict[str, list[str]]:
    """The unlabeled real-text sets that are present: name → texts."""
    sets: dict[str, list[str]] = {}
    keico = shared / "keico" / "keico_corpus.csv"
    if keico.is_file():
        with open(keico, encoding="utf-8") as fh:
            sets["KeiCO (all)"] = [r["本文"] for r in csv.DictReader(fh) if r["本文"].strip()]
    tanaka = shared / "tanaka" / "sentences_ja.txt"
    if tanaka.is_file():
        lines = [line.strip() for line in tanaka.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets[f"Tanaka ({TANAKA_SAMPLE:,} of {len(lines):,})"] = random.Random(SEED).sample(
            lines, min(TANAKA_SAMPLE, len(lines))
        )
    return sets


def noise(
    model: Any = "default", shared: Path = SHARED, sensitivities=SENSITIVITIES, examples: int = 0, quiet: bool = False
) -> dict[str, Any]:
    """Call/video rates on the real-text sets per sensitivity (and the frozen labeled test split)."""
    analyzer = Analyzer(config=False, model=model)
    sets = real_sets(shared)
    _, real_test = load_real(DATA_DIR)
    if real_test:
        sets["labeled real test split, text-labeled"] = [r["text"] for r in real_test if not r["call"]]
        sets["labeled real test split, call-labeled"] = [r["text"] for r in real_test if r["call"]]
    result: dict[str, Any] = {"model": analyzer.model.id if analyzer.model else "cues", "sets": {}}
    for name, texts in sets.items():
        result["sets"][name] = {}
        for sensitivity in sensitivities:
            report = measure(
                analyzer, texts, sensitivity=sensitivity, examples=examples if sensitivity == "normal" else 0
            )
            result["sets"][name][sensitivity] = report.to_dict()
            if not quiet:
                print(report.format(f"{name}, sensitivity {sensitivity}"), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hisho_tone_models.noise", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help=f"the shared data folder (default {SHARED})")
    parser.add_argument("--model", default="default", help="a model JSON (default: the shipped model)")
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"where to write the figures (default {OUT}); '-' for none"
    )
    parser.add_argument("--examples", type=int, default=5, help="call/video examples to print per set")
    args = parser.parse_args(argv)
    if not real_sets(args.shared):
        print(
            f"no real-text sets under {args.shared} (expected keico/keico_corpus.csv, tanaka/sentences_ja.txt)",
            file=sys.stderr,
        )
        return 2
    result = noise(args.model, args.shared, examples=args.examples)
    if str(args.out) != "-":
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(
            f"wrote {args.out}. Next: `hisho-tone train` (or `make train`) writes the card with these figures.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
