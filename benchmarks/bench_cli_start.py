"""Benchmark how fast the command line answers: `python -c pass`, `wiqnet --help`, a search.

Each command runs as a fresh process (what a user waits for), several rounds, interleaved so
that a busy machine slows all of them alike; the medians of the wall time and of the CPU time
(user + system of the process, steadier when other work shares the machine) are printed. Searches run on the
shipped data and name no place, so no geocoder is asked. --wiqnet points at another
installation to compare, e.g. an older checkout's venv.

Example: python benchmarks/bench_cli_start.py --rounds 7
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "institutions.yaml"


def _commands(python: str, wiqnet: str) -> dict[str, list[str]]:
    """Return the commands to time, by label."""
    return {
        "python -c pass": [python, "-c", "pass"],
        "wiqnet --help": [wiqnet, "--help"],
        "wiqnet search": [wiqnet, "--data", str(DATA), "search", "Mietschulden", "--limit", "3"],
        "wiqnet search --json": [wiqnet, "--data", str(DATA), "search", "Kita Platz", "--json"],
    }


def _cpu() -> float:
    """Return the CPU seconds used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str]) -> tuple[float, float]:
    """Run one command to its end and return its wall time and CPU time in seconds."""
    env = {**os.environ, "WIQNET_TILES": "none"}
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    """Time each command over several rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="Runs per command (default 5).")
    parser.add_argument(
        "--wiqnet",
        default=str(Path(sys.executable).parent / "wiqnet"),
        help="The wiqnet executable (default: the one next to this Python).",
    )
    args = parser.parse_args()
    python = str(Path(args.wiqnet).parent / "python")
    commands = _commands(python, args.wiqnet)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for command in commands.values():
        _run(command)  # warm the file cache and byte-code
    for _ in range(args.rounds):
        for label, command in commands.items():
            times[label].append(_run(command))
    print(f"{args.wiqnet}, {args.rounds} rounds")
    for label, values in times.items():
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        print(
            f"{label:<22} wall median {statistics.median(wall):6.3f} s "
            f"(min {min(wall):.3f})   CPU median {statistics.median(cpu):6.3f} s"
        )


if __name__ == "__main__":
    main()
