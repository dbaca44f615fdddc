"""Cost of analyze_thread on 15-message threads against analyze() on one message, in one run.

Usage: python benchmarks/bench_thread.py [--repeat 5]
Target: a 15-message thread costs ≤ 16× one message (each message is tokenized once).
Threads are the 15-message threads of models/data/threads.jsonl; the single-message baseline is
every message of those threads analysed on its own, averaged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=10, help="interleaved repetitions; the best of each side is reported (default 10)"
    )
    args = parser.parse_args()
    import hisho_tone

    analyzer = hisho_tone.Analyzer(config=False)
    threads = [
        json.loads(line)
        for line in (ROOT / "models" / "data" / "threads.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    long_threads = [t for t in threads if len(t["messages"]) == 15]
    messages = [(m["text"], t["channel"]) for t in long_threads for m in t["messages"]]
    analyzer.analyze("ウォームアップ")

    one, thread = interleaved(
        args.repeat,
        lambda: [analyzer.analyze(text, channel) for text, channel in messages],
        lambda: [
            hisho_tone.analyze_thread(t["messages"], channel=t["channel"], analyzer=analyzer) for t in long_threads
        ],
    )
    one, thread = one / len(messages), thread / len(long_threads)
    print(f"threads: {len(long_threads)} of 15 messages; {len(messages)} messages")
    print(f"analyze, one message      : {one * 1000:7.3f} ms")
    print(f"analyze_thread, 15 messages: {thread * 1000:7.3f} ms")
    print(f"ratio thread/message: {thread / one:.1f}x  (target <= 16x)")


if __name__ == "__main__":
    main()
