"""Instructions per /api/search request, counted by valgrind's callgrind: the same on a busy machine.

Wall-clock throughput (bench_search_web.py) swings with the machine's load; instructions do
not (within about 1 %). Each judged query (>= 150 distinct) goes once through the WSGI app
(middleware, Flask, search, JSON) after one warm-up pass; collection is switched on only for
the measured pass. The trivial Flask JSON endpoint of bench_search_web.py is measured alike.
Needs valgrind (Debian: `apt-get install valgrind`); about a minute.

Example: python benchmarks/bench_search_cost.py
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLLECTED = re.compile(r"Collected : (\d+)")


def measure(which: str) -> None:
    """Run (inside callgrind) the warm-up pass, then the counted pass of one app."""
    import logging

    from werkzeug.test import EnvironBuilder

    from benchmarks.bench_search_web import search_paths, trivial_app

    logging.disable(logging.INFO)
    os.environ["WIQNET_DATA"] = str(ROOT / "data" / "institutions.yaml")
    os.environ["WIQNET_TILES"] = "none"
    if which == "search":
        from wiqnet.web import create_app

        app, paths = create_app(), search_paths()
    else:
        app, paths = trivial_app(), ["/api/ping"] * len(search_paths())
    environs = []
    for path in paths:
        route, _, query = path.partition("?")
        environs.append(EnvironBuilder(path=route, query_string=query).get_environ())

    def start_response(status: str, headers: list[tuple[str, str]], *exc_info: object) -> Any:
        return None

    def one_pass() -> None:
        for environ in environs:
            body = app(dict(environ), start_response)
            for _ in body:
                pass
            body.close()  # type: ignore[attr-defined]

    one_pass()
    subprocess.run(
        ["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True
    )
    one_pass()
    print(len(environs), flush=True)
    os._exit(0)  # no interpreter shutdown in the count


def count(which: str) -> tuple[int, int]:
    """Return the instructions of one counted pass of an app, and its number of requests."""
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={folder}/out",
                sys.executable,
                __file__,
                "--measure",
                which,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    found = COLLECTED.search(result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed for {which}:\n{result.stderr[-2000:]}")
    return int(found.group(1)), int(result.stdout.split()[-1])


def main(argv: list[str] | None = None) -> int:
    """Count both apps' instructions per request and print them with their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", choices=("search", "trivial"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.measure)
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("valgrind is not installed (Debian: apt-get install valgrind)")
        return 2
    print(f"{'endpoint':<14} {'requests':>8} {'instructions/request':>21}")
    costs = {}
    for name, which in (("/api/search", "search"), ("trivial JSON", "trivial")):
        total, requests = count(which)
        costs[name] = total / requests
        print(f"{name:<14} {requests:>8} {costs[name]:>21,.0f}")
    print(
        f"/api/search costs {costs['/api/search'] / costs['trivial JSON']:.1f}x the trivial endpoint"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
