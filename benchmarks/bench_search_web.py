"""Search throughput: /api/search under `serve --production` vs a trivial Flask JSON endpoint.

Both run with the same gunicorn command line (`wiqnet serve --production`'s settings) on
127.0.0.1, side by side in one run: the search app with the judged queries (>= 150
distinct, so that no cache helps) and a one-line Flask app returning a small JSON object.
10 keep-alive clients each, in alternating short runs (--rounds) so that both see the same
load from the rest of the machine. Prints req/s, p50 and p99 for both and the ratio.
Target: ratio >= 40 % with p99 <= 50 ms for /api/search.

Example: python benchmarks/bench_search_web.py --seconds 5 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml
from flask import Flask, Response, jsonify

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_web import drive, free_port
from wiqnet.cli.serve import APP_FACTORY, gunicorn_command

JUDGED = ROOT / "tests" / "eval" / "judged-queries.yaml"
CLIENTS = 10
TARGET_RATIO, TARGET_P99_MS = 0.40, 50.0
TRIVIAL_FACTORY = "benchmarks.bench_search_web:trivial_app()"


def trivial_app() -> Flask:
    """Return the baseline: a Flask app with one small JSON endpoint."""
    app = Flask("trivial")

    @app.get("/api/ping")
    def ping() -> Response:
        return jsonify({"ok": True, "results": []})

    return app


def start(
    factory: str, path: str, workers: int, threads: int
) -> tuple[subprocess.Popen[bytes], int]:
    """Start gunicorn with `serve --production`'s settings on `factory`; wait until it answers."""
    port = free_port()
    command = gunicorn_command("127.0.0.1", port, workers, threads)
    command[command.index(APP_FACTORY)] = factory
    env = {
        **os.environ,
        "WIQNET_DATA": str(ROOT / "data" / "institutions.yaml"),
        "WIQNET_TILES": "none",
    }
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return process, port
        except OSError:
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else "failed"
                raise SystemExit(message) from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn ({factory}) did not start within 60 s")


def search_paths() -> list[str]:
    """Return one /api/search URL per distinct judged query."""
    queries = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["queries"]
    texts = list(dict.fromkeys(q["q"] for q in queries))
    return [f"/api/search?{urllib.parse.urlencode({'q': t})}" for t in texts]


def main(argv: list[str] | None = None) -> int:
    """Run both servers, drive each with the same clients, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternating runs of each endpoint (a share each)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = parser.parse_args(argv)
    paths = search_paths()
    print(
        f"CPU cores: {os.cpu_count()}; {len(paths)} distinct queries; {CLIENTS} clients; "
        f"gunicorn {args.workers} workers x {args.threads} threads"
    )
    search, search_port = start(APP_FACTORY, paths[0], args.workers, args.threads)
    trivial, trivial_port = start(TRIVIAL_FACTORY, "/api/ping", args.workers, args.threads)
    try:
        drive(search_port, paths, 2, 1.0)  # warm-up: index and bridges in every worker
        drive(trivial_port, ["/api/ping"], 2, 0.5)
        rows: dict[str, tuple[float, float, float, int]] = {}
        # Alternate short runs so that both see the same load from the rest of the machine.
        part = args.seconds / args.rounds
        for _ in range(args.rounds):
            for name, port, urls in (
                ("/api/search", search_port, paths),
                ("trivial JSON", trivial_port, ["/api/ping"]),
            ):
                rps, p50, p99, errors = drive(port, urls, CLIENTS, part)
                old = rows.get(name, (0.0, 0.0, 0.0, 0))
                rows[name] = (
                    old[0] + rps / args.rounds,
                    max(old[1], p50),
                    max(old[2], p99),
                    old[3] + errors,
                )
    finally:
        for process in (search, trivial):
            process.terminate()
            process.wait(15)
    print(f"{'endpoint':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for name, (rps, p50, p99, errors) in rows.items():
        print(f"{name:<14} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {errors:>6}")
    ratio = rows["/api/search"][0] / rows["trivial JSON"][0]
    met = ratio >= TARGET_RATIO and rows["/api/search"][2] <= TARGET_P99_MS
    print(
        f"ratio {ratio:.0%}; target (>= {TARGET_RATIO:.0%}, p99 <= {TARGET_P99_MS:.0f} ms): "
        f"{'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
