"""Typing in a long thread on the real service: POST /v1/analyze with a 15-message thread against the
same request without the thread, in one run.

Starts the real ``hisho-tone serve`` on a free loopback port (as benchmarks/load_server.py does) and,
with one keep-alive client, types a reply keystroke by keystroke in each 15-message thread of
models/data/threads.jsonl: every request carries a new draft (one more character), once with the
thread's 15 messages and once without, in turn. The thread's messages were already seen (each thread
is sent once before timing, as the extension does when the compose box opens), so the service should
analyse only the draft. Reports the median and p90 latency of each side and the ratio of the medians.

Target (issue 11): thread / no thread <= 2x (it was 3.8x when the draft and every message were
analysed again on every request).

    .venv/bin/python benchmarks/bench_server_thread.py [--keystrokes 12] [--threads 8]

Only 127.0.0.1 is ever contacted. Exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_server import percentile, start_server  # noqa: E402

TARGET = 2.0
REPLY = "承知しました。明日の10時までに修正版の資料をお送りしますので、ご確認をお願いいたします。"


def post(conn: http.client.HTTPConnection, body: dict) -> float:
    """Seconds for one POST /v1/analyze, response read; fails loudly on anything but 200."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    t0 = time.perf_counter()
    conn.request("POST", "/v1/analyze", body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - t0
    if response.status != 200:
        raise SystemExit(f"status {response.status}: {payload[:200]!r}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keystrokes", type=int, default=12, help="drafts typed per thread (default 12)")
    parser.add_argument("--threads", type=int, default=8, help="server worker threads (default 8)")
    args = parser.parse_args()
    lines = (ROOT / "models" / "data" / "threads.jsonl").read_text(encoding="utf-8").splitlines()
    threads = [json.loads(line) for line in lines]
    long_threads = [t for t in threads if len(t["messages"]) == 15]
    process, port = start_server(args.threads)
    plain: list[float] = []
    threaded: list[float] = []
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for t in long_threads:  # the compose box opens: the thread is read once
            post(conn, {"text": "", "channel": t["channel"], "thread": t["messages"]})
        step = max(1, len(REPLY) // args.keystrokes)
        for k in range(step, len(REPLY) + 1, step):
            for t in long_threads:
                draft = REPLY[:k]
                plain.append(post(conn, {"text": draft, "channel": t["channel"]}))
                threaded.append(post(conn, {"text": draft, "channel": t["channel"], "thread": t["messages"]}))
        conn.close()
    finally:
        process.terminate()
        process.wait(15)
    ratio = statistics.median(threaded) / statistics.median(plain)
    print(f"threads: {len(long_threads)} of 15 messages; {len(plain)} keystrokes per side, one keep-alive client")
    for name, sample in (("draft alone      ", plain), ("draft + 15 thread", threaded)):
        print(f"{name}: median {statistics.median(sample) * 1000:6.2f} ms, p90 {percentile(sample, 90) * 1000:6.2f} ms")
    print(f"ratio thread / no thread (medians): {ratio:.2f}x  (target <= {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
