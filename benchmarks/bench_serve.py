"""Benchmark: ``mali-map serve`` under load, on loopback only.

The server runs as ``mali-map serve`` would (its own process, uvicorn, one shared gazetteer); the
clients are 50 concurrent keep-alive HTTP connections from this process (asyncio), each sending its next
request as soon as the last is answered. Two phases, bounded in time (and in requests):

1. ``/api/check`` (one claim) and ``/api/geocode`` (one name), alternating, for 30 s.
   Targets: 0 errors, p95 <= 100 ms.
2. ``/api/article`` on the example report, for 30 s. Target: p95 <= 2 s. The server keeps a small cache
   of recent reports (a desk shares one report; the page re-asks after each correction), so after the
   first answer the same report is served from it.
3. The honest worst case, for half as long: ``/api/article`` where each request's report is the example
   with a unique last line, so every request does the whole work.

Reported: requests per second, p50/p95/p99 latency, errors, and the server's resident memory before
(warmed up) and after the run, so that a leak shows. No peer: no other tool serves these answers.

    .venv/bin/python benchmarks/bench_serve.py [--seconds 30] [--clients 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from recording import figure  # noqa: E402 (benchmarks/ is put on the path first)

REPORT = (ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8")
CLAIMS = [
    "Kati is less than 10 miles from Bamako",
    "Gao is more than 100 km from Bamako",
    "Mopti lies about 600 km north-east of Bamako",
    "Sikasso is less than 50 km from Koutiala",
]
NAMES = ["Kati", "Gao", "Siby, Koulikoro, Mali", "Gao 50km W", "Tombouctou", "Kidal", "Ségou", "Mopti"]
#: at most this many requests a phase, whatever the time
MAX_REQUESTS = 200_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, package_root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    server = subprocess.Popen(
        [sys.executable, "-m", "mali_map", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-500:]}") from None
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


async def load(base: str, requests, seconds: float, clients: int) -> dict[str, list]:
    """``clients`` keep-alive connections, each sending ``requests(n)`` -> (label, path, json) as soon as
    the last answer is in, for ``seconds``; latencies by label, and the errors.

    The client is a few lines of HTTP/1.1 over asyncio streams, so that on a small machine the load
    generator takes as little CPU as it can from the server it measures."""
    host, port = base.rsplit("/", 1)[-1].split(":")
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    sent = 0
    stop = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop and sent < MAX_REQUESTS:
                sent += 1
                label, path, body = requests(sent)
                data = json.dumps(body).encode("utf-8")
                start = time.perf_counter()
                try:
                    writer.write(
                        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(data)}\r\n\r\n".encode("ascii")
                        + data
                    )
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    length = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", head).group(1))
                    await reader.readexactly(length)
                except (OSError, asyncio.IncompleteReadError, AttributeError, ValueError) as error:
                    errors.append(f"{label}: {type(error).__name__}: {error}")
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                elapsed = time.perf_counter() - start
                if status == 200:
                    latencies.setdefault(label, []).append(elapsed)
                else:
                    errors.append(f"{label}: HTTP {status}")
        finally:
            writer.close()

    begun = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.monotonic() - begun
    return {"latencies": latencies, "errors": errors, "wall": [wall]}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(name: str, label: str, result: dict, target_p95_ms: float, clients: int, cpu_s: float) -> None:
    values = [v for vs in result["latencies"].values() for v in vs]
    cpu_ms = cpu_s * 1000 / max(len(values), 1)
    wall = result["wall"][0]
    rate = len(values) / wall if wall else 0.0
    p50, p95, p99 = (percentile(values, q) * 1000 for q in (0.50, 0.95, 0.99))
    errors = len(result["errors"])
    print(
        f"{label}: {len(values):,} answers in {wall:.1f} s = {rate:,.0f} req/s; p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
        f"p99 {p99:.0f} ms; {errors} errors"
        + (f" (e.g. {result['errors'][0]})" if errors else "")
        + f"; the server's CPU time {cpu_ms:.1f} ms a request"
    )
    for endpoint, latencies in sorted(result["latencies"].items()):
        print(
            f"    {endpoint}: {len(latencies):,}, median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
        )
    context = f"{clients} concurrent clients, {wall:.0f} s"
    figure(
        f"serve.{name}.rate",
        f"{label}: requests per second ({context})",
        round(rate, 1),
        "req/s",
        no_peer="no other tool answers these requests",
    )
    figure(
        f"serve.{name}.p95",
        f"{label}: p95 latency ({context})",
        round(p95, 1),
        "ms",
        better="lower",
        target=f"p95 ≤ {target_p95_ms:g} ms",
        goal=("<=", target_p95_ms),
        note=f"p50 {p50:.0f} ms, p99 {p99:.0f} ms; the server's CPU time {cpu_ms:.1f} ms a request",
        no_peer="no other tool answers these requests",
    )
    figure(
        f"serve.{name}.errors",
        f"{label}: errors ({context})",
        errors,
        "errors",
        better="lower",
        target="0 errors",
        goal=("==", 0),
        no_peer="no other tool answers these requests",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--package-root", type=Path, default=ROOT, help="the mali_map to serve")
    args = parser.parse_args(argv)
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        print(f"bench_serve: skipped, {error.name} is not installed (pip install 'mali-map[serve]')")
        return 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.package_root)
    try:

        def quick(n: int):
            if n % 2:
                return "check", "/api/check", {"text": CLAIMS[n % len(CLAIMS)]}
            return "geocode", "/api/geocode", {"query": NAMES[n % len(NAMES)]}

        def article(n: int):
            return "article", "/api/article", {"text": REPORT}

        def unique_article(n: int):
            return "article", "/api/article", {"text": f"{REPORT}\nFiled as request {n}.\n"}

        asyncio.run(load(base, quick, 2.0, 4))  # warm-up: the gazetteer opened, the code paths run once
        asyncio.run(load(base, unique_article, 2.0, 2))
        before = rss_mb(server.pid)
        print(f"server RSS after warm-up: {before:.0f} MB")
        phases = (
            ("check_geocode", "/api/check (one claim) and /api/geocode (one name)", quick, args.seconds, 100),
            ("article", "/api/article (the example report)", article, args.seconds, 2000),
            (
                "article_uncached",
                "/api/article (the example report, a new one each time)",
                unique_article,
                args.seconds / 2,
                2000,
            ),
        )
        for name, label, requests, seconds, target_ms in phases:
            cpu = cpu_seconds(server.pid)
            result = asyncio.run(load(base, requests, seconds, args.clients))
            report(name, label, result, target_ms, args.clients, cpu_seconds(server.pid) - cpu)
        after = rss_mb(server.pid)
        print(f"server RSS after the run: {after:.0f} MB ({after - before:+.0f} MB)")
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        figure(
            "serve.memory_growth",
            "server memory after the load run minus after warm-up",
            round(after - before, 1),
            "MB",
            better="lower",
            note=f"{before:.0f} MB after warm-up, {after:.0f} MB after the three phases",
            no_peer="our own server before and after",
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
