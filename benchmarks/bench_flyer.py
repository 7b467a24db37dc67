"""Benchmark `wiqnet flyer`: time with a warm tile cache (target <= 5 s) and PDF size (<= 5 MB).

Serves generated tiles from a local tile server on 127.0.0.1 (never the real OSM servers), fills
the cache with one cold run, then times warm runs for the shipped data and a generated city.

Example: python benchmarks/bench_flyer.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_tiles import serve_tiles

from benchmarks.generate import write_directory
from wiqnet.config import Settings, load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.flyer import FlyerOptions, make_flyer
from wiqnet.model import Directory

TIME_TARGET_S = 5.0
SIZE_TARGET = 5 * 1024 * 1024
RUNS = 3


def _measure(directory: Directory, options: FlyerOptions, settings: Settings) -> list[str]:
    """Run one cold and RUNS warm flyers; return report lines."""
    start = time.perf_counter()
    cold = make_flyer(directory, options, settings)
    cold_s = time.perf_counter() - start
    warm = []
    for _ in range(RUNS):
        start = time.perf_counter()
        made = make_flyer(directory, options, settings)
        warm.append(time.perf_counter() - start)
        assert made.tiles_fetched == 0, "warm run downloaded tiles"
    median = statistics.median(warm)
    size = len(made.content)
    verdict = ""
    if options.fmt == "pdf":
        ok = median <= TIME_TARGET_S and size <= SIZE_TARGET
        verdict = "ok" if ok else "OVER TARGET"
    return [
        (
            f"  {options.size} {options.lang} {options.fmt:<3} {len(made.selection.entries):>2} "
            f"places, {made.tiles:>2} tiles: cold {cold_s:5.2f} s ({cold.tiles_fetched} "
            f"downloaded), warm median {median:5.2f} s (min {min(warm):.2f}), "
            f"{size / 1024:7.0f} KB  {verdict}"
        )
    ]


def main() -> int:
    """Run the benchmark and print the numbers."""
    with tempfile.TemporaryDirectory(prefix="wiqnet-bench-flyer-") as tmp, serve_tiles() as fake:
        settings = load_settings({"TILES": fake.template, "CACHE_DIR": tmp}, environ={})
        sets: list[tuple[str, Directory]] = []
        shipped = ROOT / "data" / "institutions.yaml"
        if shipped.exists():
            sets.append((f"shipped data ({shipped.relative_to(ROOT)})", load_directory(shipped)))
        generated = write_directory(Path(tmp) / "city" / "institutions.yaml", 1000)
        sets.append(("generated city (1,000 services)", load_directory(generated)))
        print(
            f"Flyer benchmark (warm tile cache; PDF targets: <= {TIME_TARGET_S:g} s and "
            f"<= {SIZE_TARGET // (1024 * 1024)} MB; PNG/SVG for information); load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        for label, directory in sets:
            print(label)
            for options in (
                FlyerOptions(),
                FlyerOptions(size="A5", lang="ar", bleed=True),
                FlyerOptions(fmt="png"),
                FlyerOptions(fmt="svg"),
            ):
                for line in _measure(directory, options, settings):
                    print(line)
        print("offline (TILES=none), generated city: ", end="")
        offline = load_settings({"TILES": "none", "CACHE_DIR": tmp}, environ={})
        start = time.perf_counter()
        made = make_flyer(sets[-1][1], FlyerOptions(), offline)
        print(f"{time.perf_counter() - start:.2f} s, {len(made.content) / 1024:.0f} KB")
        print(f"tile requests in total: {len(fake.requests)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
