"""Time ``hisho-tone report`` over a large archive: scoring against aggregating and rendering, and peak memory.

The archive is made by recombining the demo's conversations (tools/make_demo_archive.py): each copy
gets its own thread id, a counterpart among ``--clients`` companies and a start date spread over a
year, so the weeks, counterparts and call-worthy conversations look like a real team's.

    python benchmarks/bench_report.py                      # 100,000 messages, all cores
    python benchmarks/bench_report.py --messages 20000 --workers 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _demo():
    spec = importlib.util.spec_from_file_location("make_demo_archive", ROOT / "tools" / "make_demo_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_archive(path: Path, messages: int, clients: int, seed: int = 1) -> int:
    """Recombined demo conversations, sorted by start, about ``messages`` messages in all."""
    demo = _demo()
    rng = random.Random(seed)
    pool = demo.conversations(seed)
    written = copy = 0
    starts = []
    while written < messages:
        thread, records = pool[copy % len(pool)]
        shift = timedelta(days=rng.randint(0, 364) - 120)
        client = rng.randrange(clients)
        starts.append((datetime.fromisoformat(records[0]["time"]) + shift, copy, thread, client, shift))
        written += len(records)
        copy += 1
    starts.sort()
    count = 0
    by_thread = dict(pool)
    with path.open("w", encoding="utf-8") as fh:
        for _, n, thread, client, shift in starts:
            for r in by_thread[thread]:
                count += 1
                author = r["author"] if r["me"] else r["author"].replace("）", f" 第{client + 1}営業所）")
                when = (datetime.fromisoformat(r["time"]) + shift).isoformat()
                fh.write(
                    json.dumps(
                        {**r, "id": f"b{count}", "thread": f"{thread}-{n}", "author": author, "time": when},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="scoring processes (default: all cores)")
    parser.add_argument("--keep", type=Path, default=None, help="write the report and summary into this directory")
    args = parser.parse_args()

    from hisho_tone.batch_engines import default_workers
    from hisho_tone.report.build import ReportOptions, build_report

    workers = args.workers or default_workers()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        archive = Path(tmp, "archive.jsonl")
        started = time.perf_counter()
        count = write_archive(archive, args.messages, args.clients)
        made = time.perf_counter() - started
        started = time.perf_counter()
        summary, timings = build_report(
            archive, out / "report.html", out / "summary.json", ReportOptions(workers=workers, user_config=False)
        )
        total = time.perf_counter() - started
        size = (out / "report.html").stat().st_size
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    o = summary["overview"]
    print(
        f"archive: {count:,} messages, {o['conversations']:,} conversations, {len(summary['counterparts'])} counterparts (written in {made:.1f} s)"
    )
    print(f"workers: {workers}")
    print(
        f"scoring (batch engine, with call-due moments): {timings['scoring_s']:7.1f} s  ({count / timings['scoring_s']:,.0f} messages/s)"
    )
    print(f"aggregating (streamed from the batch lines):   {timings['aggregate_s']:7.1f} s")
    print(f"rendering (charts + HTML + JSON):              {timings['render_s']:7.1f} s")
    print(f"total:                                         {total:7.1f} s")
    print(
        f"call-worthy conversations: {o['call_conversations']:,} ({100 * o['call_share']:.1f}%); early warnings: {len(summary['early_warning'])}; page {size / 1024:,.0f} KiB"
    )
    print(f"peak RSS: driver {me:,.0f} MiB, largest worker {children:,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
