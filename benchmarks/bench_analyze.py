"""Speed of analyze() against plain fugashi tokenization of the same texts, measured in one run.

Usage: python benchmarks/bench_analyze.py [--n 300] [--repeat 10]
Prints per-message times and the ratio analyze / tokenize (target: ≤ 3×), measured two ways on
the same messages, then the cold start of `hisho-tone check` (target: ≤ 0.5 s):
  whole run  each side runs over all messages in turn; the best of --repeat runs counts.
  batches    both sides run on each batch of 10 messages in turn; each batch's best run counts.
             On a shared machine this is the steadier figure: a pause spoils one batch, not the
             run. Switching sides every batch also leaves the dictionary's memory less warm for
             the baseline, so this ratio is a little lower than the whole-run one.
Texts are a seeded sample of the labeled corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_of, interleaved, interleaved_batches  # noqa: E402


def load_texts(n: int) -> list[tuple[str, str]]:
    rows = [
        json.loads(line)
        for f in sorted((ROOT / "models" / "data").glob("messages_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    random.Random(7).shuffle(rows)
    return [(r["text"], r["channel"]) for r in rows[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="number of messages (default 300)")
    parser.add_argument("--repeat", type=int, default=10, help="repetitions of each measurement (default 10)")
    args = parser.parse_args()

    import fugashi

    import hisho_tone

    texts = load_texts(args.n)
    tagger = fugashi.Tagger()
    analyzer = hisho_tone.Analyzer(config=False)
    analyzer.analyze("ウォームアップ")

    def tokenize(item):
        for w in tagger(item[0]):
            _ = (w.surface, w.feature.lemma, w.feature.pos1, w.feature.pos2)  # read what analyze() reads

    def analyze(item):
        analyzer.analyze(item[0], channel=item[1])

    def tokenize_all():
        for item in texts:
            tokenize(item)

    def analyze_all():
        for item in texts:
            analyze(item)

    chars = sum(len(t) for t, _ in texts)
    print(f"messages: {len(texts)} ({chars} chars, median {statistics.median(len(t) for t, _ in texts):.0f})")
    print(f"{'':22} {'tokenize':>10} {'analyze':>10}   ratio (target <= 3x)")
    for label, (tok, ana) in (
        ("whole run", interleaved(args.repeat, tokenize_all, analyze_all)),
        ("batches of 10", interleaved_batches(args.repeat, texts, tokenize, analyze)),
    ):
        per = 1000 / len(texts)
        print(f"{label:22} {tok * per:7.3f} ms {ana * per:7.3f} ms   {ana / tok:.2f}x")

    env = {**os.environ, "HISHO_TONE_CONFIG": os.devnull}
    exe = [sys.executable, "-m", "hisho_tone", "check", "例の件、いい感じにお願いします"]
    base = [sys.executable, "-c", "pass"]
    cold = best_of(5, lambda: subprocess.run(exe, capture_output=True, env=env, check=True))
    python = best_of(5, lambda: subprocess.run(base, capture_output=True, env=env, check=True))
    print(f"cold start `hisho-tone check`: {cold:.3f} s (bare python start {python:.3f} s; target <= 0.5 s)")


if __name__ == "__main__":
    main()
