"""Memory of a long-running analyser, and analyze() time per 1,000 characters at two draft lengths.

Usage: python benchmarks/bench_memory.py [--drafts 100000] [--warmup 10000] [--repeat 5]

1. One process analyses DRAFTS distinct drafts, each made of two or three sentences of the corpus
   (models/data, the real sentences included) recombined and addressed to a made-up katakana name
   (new words keep coming, as in real use), so no two drafts are the same text. It prints the
   resident memory (RSS) after the first WARMUP drafts, at checkpoints, and at the end.
   Target: growth after the first 10,000 drafts <= 30 MB (every cache is bounded, see cache.py).
2. analyze() time per 1,000 characters on drafts of about 500 and about 5,000 characters (distinct
   sentences of the corpus joined), interleaved; the best of REPEAT runs of each. Target: flat (the
   5,000-character figure <= 1.5x the 500-character one).

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved  # noqa: E402

MAX_GROWTH_MB = 30.0
MAX_FLAT_RATIO = 1.5
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_sentences() -> list[str]:
    """Every distinct sentence of the labeled corpus, in file order."""
    data = ROOT / "models" / "data"
    files = sorted(data.glob("messages_*.jsonl")) + [data / "real" / "real_sentences.jsonl"]
    seen: dict[str, None] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            for m in _SENTENCE.finditer(text):
                sent = m.group().strip()
                if len(sent) >= 4:
                    seen.setdefault(sent)
    return list(seen)


_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


def name(i: int) -> str:
    """A made-up katakana name, different for every i (a new word, as real threads bring)."""
    out = ""
    while True:
        i, r = divmod(i, len(_KANA))
        out += _KANA[r]
        if not i:
            return out + "ン"


def draft(pool: list[str], i: int) -> str:
    """The i-th distinct draft: two sentences chosen by i's digits in base len(pool), and a third
    that depends on both (so drafts 0..len(pool)**2 - 1 are all different pairs), addressed to a
    made-up name: a service that runs for weeks keeps meeting words it has never seen."""
    n = len(pool)
    a = i % n
    b = (i // n + 31 * a + 1) % n  # (a, b) gives back i for i < n*n
    c = (17 * a + 7 * b) % n
    parts = [pool[a], pool[b]] if i % 3 else [pool[a], pool[b], pool[c]]
    return f"{name(i)}さん、" + "".join(parts)


def long_drafts(pool: list[str], chars: int, total: int) -> list[str]:
    """Drafts of about ``chars`` characters, ``total`` characters in all, from consecutive sentences."""
    out, current, k = [], "", 0
    while sum(map(len, out)) < total:
        current += pool[k % len(pool)]
        k += 1
        if len(current) >= chars:
            out.append(current[:chars])
            current = ""
    return out


def _held(cache: dict) -> int:
    """Entries a per-token cache holds (a plain dict before the caches were bounded)."""
    return cache.entries() if hasattr(cache, "entries") else len(cache)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=100_000, help="distinct drafts analysed (default 100000)")
    parser.add_argument("--warmup", type=int, default=10_000, help="growth is measured after this many (default 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved repetitions of the timing part (default 5)")
    args = parser.parse_args()
    import hisho_tone
    from hisho_tone import features

    analyzer = hisho_tone.Analyzer(config=False)
    pool = corpus_sentences()
    if args.drafts > len(pool) ** 2:
        parser.error(f"at most {len(pool) ** 2} distinct drafts can be made from {len(pool)} sentences")

    # -- 2. time per 1,000 characters (first, while the process is small and the caches warm up) --
    short = long_drafts(pool, 500, 20_000)
    long = long_drafts(pool[len(pool) // 2 :], 5000, 20_000)
    analyzer.analyze("ウォームアップ")
    t_short, t_long = interleaved(
        args.repeat,
        lambda: [analyzer.analyze(d) for d in short],
        lambda: [analyzer.analyze(d) for d in long],
    )
    per_short = t_short / (sum(map(len, short)) / 1000) * 1000
    per_long = t_long / (sum(map(len, long)) / 1000) * 1000
    flat = per_long / per_short

    # -- 1. memory over many distinct drafts --
    checkpoints = sorted({args.warmup, *(k for k in (20_000, 50_000) if args.warmup < k < args.drafts), args.drafts})
    base = rss_mb()
    at_warmup = base
    print(f"sentences in the pool: {len(pool)}; drafts: {args.drafts} distinct (2-3 sentences each)")
    print(f"RSS before the drafts           : {base:7.1f} MB")
    start = time.perf_counter()
    for i in range(args.drafts):
        analyzer.analyze(draft(pool, i))
        if i + 1 in checkpoints:
            now = rss_mb()
            if i + 1 == args.warmup:
                at_warmup = now
            cached = sum(map(_held, (features._TOKEN_INFO, analyzer.lexicon._single, analyzer.lexicon._pair)))
            took = time.perf_counter() - start
            print(f"RSS after {i + 1:>7} drafts       : {now:7.1f} MB  (cache entries: {cached}; {took:.0f} s)")
    growth = rss_mb() - at_warmup
    print(f"growth after the first {args.warmup} drafts: {growth:6.1f} MB  (target <= {MAX_GROWTH_MB:.0f} MB)")
    print(f"analyze per 1,000 characters, 500-character drafts  : {per_short:6.2f} ms  ({len(short)} drafts)")
    print(f"analyze per 1,000 characters, 5,000-character drafts: {per_long:6.2f} ms  ({len(long)} drafts)")
    print(f"ratio 5,000/500: {flat:.2f}x  (target <= {MAX_FLAT_RATIO}x: flat)")
    return 0 if growth <= MAX_GROWTH_MB and flat <= MAX_FLAT_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
