"""Load benchmark of the local service: p50/p99 and throughput of /v1/analyze against /v1/health.

Starts the real ``hisho-tone serve`` on a free loopback port, then, in the same run, drives it with
CLIENTS concurrent keep-alive clients: REQUESTS calls of GET /v1/health (the HTTP floor: waitress +
Flask + the defences, no analysis) and REQUESTS calls of POST /v1/analyze with 30 realistic Japanese
drafts (chat and email, polite and casual, routine and delicate). The two endpoints alternate in
ROUNDS slices (health, analyze, health, analyze, ...) so that background load on the machine weighs
on both alike; latencies are pooled per endpoint. Reports p50/p99/max and throughput, the p99 ratio
analyze/health, errors, and the server's memory after the run (RSS, split into private memory and
file pages mapped from disk, i.e. mostly the tokenizer's memory-mapped dictionary).

Targets (issue 4): p99(analyze) <= 2 x p99(health), zero errors, RSS <= 200 MB.

    .venv/bin/python benchmarks/load_server.py [--clients 16] [--requests 3000] [--rounds 3] [--threads 8] [--json]

Only 127.0.0.1 is ever contacted. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# (channel, text): what people really send — requests, reports, apologies, refusals, complaints.
DRAFTS: list[tuple[str, str]] = [
    ("chat", "例の件、いい感じに進めておいてください。"),
    ("chat", "明日10時の定例は会議室Bに変更です。資料は共有フォルダの「定例_0612」に入れました。"),
    ("chat", "了解です！ありがとうございます。"),
    ("chat", "そうですか。わかりました。"),
    ("chat", "なるべく早めに対応してもらえると助かります。"),
    ("chat", "先ほどの見積もり、金額が前回と違っている気がするのですが、どちらが正しいでしょうか？"),
    ("chat", "もういいです。こちらでやります。"),
    ("chat", "来週の打ち合わせ、火曜14時からでいかがでしょうか。難しければ水曜午前でも大丈夫です。"),
    ("chat", "何度も同じことをお伝えしていますが、正直がっかりしています。"),
    ("chat", "資料拝見しました。少し気になる点がありますが、全体としてはいいと思います。"),
    ("chat", "今日の飲み会、19時に駅前の居酒屋集合でお願いします！"),
    ("chat", "すみません、体調不良のため本日はお休みをいただきます。急ぎの件は山田さんに引き継いであります。"),
    ("chat", "ご提案の件、前向きに検討させていただきます。"),
    ("chat", "あれ、どうなってますか？"),
    ("chat", "昨日送ったファイルに誤りがありました。修正版を再送します。差分は3ページ目の表だけです。"),
    ("chat", "佐藤さんの対応について、チーム内で不満の声が出ています。一度相談させてください。"),
    ("chat", "請求書の件ですが、先月分のお支払いがまだ確認できておりません。"),
    ("chat", "ありがとう！助かった〜"),
    ("chat", "それでいいです。"),
    (
        "chat",
        "仕様、デザイン、スケジュール、予算の4点がまだ決まっていません。どれから決めましょうか？誰が判断しますか？いつまでに必要ですか？",
    ),
    (
        "email",
        "お世話になっております。\n来月より月額料金を改定させていただくことになりました。\n詳細につきましては添付の資料をご確認ください。\n\n--\n株式会社サンプル 営業部 田中",
    ),
    (
        "email",
        "山田様\n\nお世話になっております。\n本日の会議資料を添付いたします。ご確認のほどよろしくお願いいたします。\n\n鈴木",
    ),
    (
        "email",
        "お世話になっております。\n先日の納品物につきまして、弊社の確認不足により個人情報を含むファイルを誤って送付してしまいました。\n誠に申し訳ございません。\n\n> 納品物を受け取りました。\n> ご確認ください。",
    ),
    (
        "email",
        "ご担当者様\n\n契約の解約について、ご相談させていただきたく存じます。\nご都合のよい日時をお知らせいただけますでしょうか。",
    ),
    ("email", "お疲れさまです。\n例の資料ですが、うまくまとめておいてもらえますか。\nよろしくお願いします。"),
    (
        "email",
        "皆様\n\n12月15日(金)18時より、忘年会を開催します。\n会場: 本社3階ラウンジ\n会費: 3,000円\n出欠は12月8日までにご返信ください。",
    ),
    (
        "email",
        "お世話になっております。\nご提示いただいた条件について社内で検討しましたが、現状では難しいとの結論になりました。\n思うところはございますが、今回は見送らせていただければと存じます。",
    ),
    (
        "email",
        "いつもありがとうございます。\n先月の作業報告をお送りします。\n・問い合わせ対応 42件\n・FAQ更新 5件\n・障害対応 1件(復旧済み)\n以上です。",
    ),
    (
        "email",
        "お世話になっております。\n父が入院することになり、しばらく業務時間を短縮させていただきたく、ご相談させてください。",
    ),
    (
        "email",
        "前回のメールでもお願いしましたが、まだご回答をいただけておりません。\nこのままでは進められませんので、至急ご対応ください。",
    ),
]


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0


def start_server(threads: int) -> tuple[subprocess.Popen[str], int]:
    env = {k: v for k, v in os.environ.items() if k not in ("HISHO_TONE_TOKEN", "HISHO_TONE_ALLOWED_ORIGINS")}
    env["HISHO_TONE_CONFIG"] = str(Path(tempfile.gettempdir()) / "hisho-tone-bench-no-config.toml")
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "hisho_tone", "serve", "--host", "127.0.0.1", "--port", "0", "--threads", str(threads)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the access log: one line per request
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
            return process, int(match.group(1))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the server did not start")


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of ``pid`` in MB from /proc: VmRSS (total), VmHWM (peak), RssAnon, RssFile."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def _request_for(endpoint: str, i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
    if endpoint == "health":
        return "GET", "/v1/health", None, {}
    channel, text = DRAFTS[i % len(DRAFTS)]
    body = json.dumps({"text": text, "channel": channel}, ensure_ascii=False).encode("utf-8")
    return "POST", "/v1/analyze", body, {"Content-Type": "application/json"}


def _client(
    port: int, endpoint: str, indices: list[int], sample: Sample, lock: threading.Lock, start: threading.Barrier
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, statuses = [], 0, {}
    start.wait()
    for i in indices:
        method, path, body, headers = _request_for(endpoint, i)
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            errors += 1
            continue
        latencies.append(time.perf_counter() - t0)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200:
            errors += 1
    conn.close()
    with lock:
        sample.latencies += latencies
        sample.errors += errors
        for status, count in statuses.items():
            sample.statuses[status] = sample.statuses.get(status, 0) + count


def drive(port: int, endpoint: str, clients: int, requests: int, sample: Sample | None = None) -> Sample:
    """``requests`` calls of ``endpoint`` spread over ``clients`` concurrent keep-alive connections."""
    sample, lock = sample or Sample(), threading.Lock()
    start = threading.Barrier(clients + 1)
    threads = [
        threading.Thread(target=_client, args=(port, endpoint, list(range(c, requests, clients)), sample, lock, start))
        for c in range(clients)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    sample.wall += time.perf_counter() - t0
    return sample


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summary(sample: Sample) -> dict[str, float | int]:
    return {
        "requests": len(sample.latencies),
        "errors": sample.errors,
        "p50_ms": round(percentile(sample.latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(sample.latencies, 99) * 1000, 2),
        "max_ms": round(max(sample.latencies) * 1000, 2),
        "throughput_rps": round(len(sample.latencies) / sample.wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent keep-alive clients (default 16)")
    parser.add_argument("--requests", type=int, default=3000, help="requests per endpoint (default 3000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating health/analyze slices (default 3)")
    parser.add_argument(
        "--threads", type=int, default=8, help="server worker threads (default 8, as `hisho-tone serve`)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    process, port = start_server(args.threads)
    try:
        drive(port, "health", args.clients, 200)  # warm-up: connections, caches, the analyzer's first calls
        drive(port, "analyze", args.clients, 200)
        health_sample, analyze_sample = Sample(), Sample()
        for r in range(args.rounds):
            share = args.requests // args.rounds + (1 if r < args.requests % args.rounds else 0)
            drive(port, "health", args.clients, share, health_sample)
            drive(port, "analyze", args.clients, share, analyze_sample)
        health, analyze = summary(health_sample), summary(analyze_sample)
        memory = memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(15)

    ratio = analyze["p99_ms"] / health["p99_ms"]
    result = {
        "command": "benchmarks/load_server.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "clients": args.clients,
        "rounds": args.rounds,
        "server_threads": args.threads,
        "cpus": os.cpu_count(),
        "health": health,
        "analyze": analyze,
        "p99_ratio_analyze_over_health": round(ratio, 2),
        "server_memory_mb": memory,
    }
    ok = ratio <= 2.0 and health["errors"] == 0 and analyze["errors"] == 0 and memory["VmRSS"] <= 200
    result["targets_met"] = ok
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"hisho-tone load benchmark — {args.clients} clients, {args.requests} requests per endpoint in {args.rounds} "
            f"alternating rounds, {args.threads} server threads, {os.cpu_count()} CPUs, 127.0.0.1 only"
        )
        print(f"{'endpoint':<14}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>9}{'errors':>8}")
        for name, row in (("GET /v1/health", health), ("POST /v1/analyze", analyze)):
            print(
                f"{name:<14}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['max_ms']:>9.2f}{row['throughput_rps']:>9.1f}{row['errors']:>8}"
            )
        print(f"p99 ratio analyze/health: {ratio:.2f} (target <= 2.0)")
        print(
            f"server RSS after the run: {memory['VmRSS']:.1f} MB (target <= 200 MB; peak {memory['VmHWM']:.1f} MB) = "
            f"{memory['RssAnon']:.1f} MB private + {memory['RssFile']:.1f} MB mapped files (dictionary, libraries)"
        )
        print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
