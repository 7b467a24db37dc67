"""Load benchmark of the production server (gunicorn) on 127.0.0.1: req/s, p50, p99, errors.

Starts `wiqnet serve --production`'s exact gunicorn command on an ephemeral port, then drives
/api/institutions, /api/services and /einrichtung/<id> with 1, 10 and 50 concurrent
keep-alive clients (threads with http.client), on the shipped data and on a generated
10,000-service directory. Target: >= 500 req/s with p99 <= 100 ms at 10 clients (shipped data).

Example: python benchmarks/bench_web.py --seconds 3
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_directory
from wiqnet.cli.serve import gunicorn_command
from wiqnet.datafile.load import load_directory

CLIENTS = (1, 10, 50)
TARGET_RPS, TARGET_P99_MS = 500, 100.0


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(data: Path, workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    """Start gunicorn on the data file; return the process and its port once it answers."""
    port = free_port()
    env = {**os.environ, "WIQNET_DATA": str(data), "WIQNET_TILES": "none"}
    process = subprocess.Popen(
        gunicorn_command("127.0.0.1", port, workers, threads),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2):
                return process, port
        except OSError:
            if process.poll() is not None:
                raise SystemExit(
                    process.stderr.read().decode() if process.stderr else "failed"
                ) from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start within 60 s")


def client(
    port: int,
    paths: list[str],
    offset: int,
    until: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    """Send requests over one keep-alive connection until the deadline."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.perf_counter() < until:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    conn.close()


def drive(
    port: int, paths: list[str], clients: int, seconds: float
) -> tuple[float, float, float, int]:
    """Run `clients` concurrent clients for `seconds`; return req/s, p50 ms, p99 ms, errors."""
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    workers = [
        threading.Thread(target=client, args=(port, paths, n, until, latencies, errors))
        for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else 0.0
    return len(latencies) / elapsed, p50, p99, len(errors)


def bench(label: str, data: Path, seconds: float, workers: int, threads: int) -> bool:
    """Benchmark one data file; print a table; return whether the target was met."""
    directory = load_directory(data)
    ids = [i.id for i in directory.institutions]
    endpoints = {
        "/api/institutions": ["/api/institutions"],
        "/api/services": ["/api/services"],
        "/einrichtung/<id>": [f"/einrichtung/{i}" for i in ids],
    }
    process, port = start_server(data, workers, threads)
    met = True
    try:
        print(
            f"\n{label}: {len(ids)} institutions, {len(directory.services())} services; "
            f"gunicorn {workers} workers x {threads} threads"
        )
        print(
            f"{'endpoint':<20} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'errors':>6}"
        )
        for name, paths in endpoints.items():
            drive(port, paths, 2, 0.5)  # warm-up: caches per worker
            for clients in CLIENTS:
                rps, p50, p99, errors = drive(port, paths, clients, seconds)
                print(
                    f"{name:<20} {clients:>7} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {errors:>6}",
                    flush=True,
                )
                if errors:
                    met = False
                if (
                    clients == 10
                    and label == "shipped"
                    and (rps < TARGET_RPS or p99 > TARGET_P99_MS)
                ):
                    met = False
    finally:
        process.terminate()
        process.wait(15)
    return met


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on the shipped data and on a generated 10,000-service directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--services", type=int, default=10_000, help="services in the generated directory"
    )
    args = parser.parse_args(argv)
    print(
        f"CPU cores: {os.cpu_count()}; load generator: threads + http.client keep-alive "
        "in one process on the same machine"
    )
    met = bench(
        "shipped", ROOT / "data" / "institutions.yaml", args.seconds, args.workers, args.threads
    )
    with tempfile.TemporaryDirectory() as tmp:
        generated = write_directory(Path(tmp) / "institutions.yaml", args.services)
        met = (
            bench(f"generated-{args.services}", generated, args.seconds, args.workers, args.threads)
            and met
        )
    verdict = "met" if met else "NOT met"
    print(
        f"\ntarget (>= {TARGET_RPS} req/s, p99 <= {TARGET_P99_MS:.0f} ms at 10 clients on "
        f"shipped data, zero errors): {verdict}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
