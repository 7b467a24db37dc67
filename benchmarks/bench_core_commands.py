"""Benchmark `wiqnet stats`, `wiqnet export` and geocoder cache hits on generated directories.

Loading is timed by the validation benchmark; here the directory is loaded once and then
each command's core call is timed. GraphML is skipped above --graphml-max services: the
"same operator" cliques of the synthetic data grow quadratically (see the report).

Example: python benchmarks/bench_core_commands.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_directory
from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.export import FORMATS, export_directory
from wiqnet.geocoder import CACHE_FILE, Geocoder
from wiqnet.model import Directory
from wiqnet.stats import compute_stats

TODAY = date(2026, 11, 25)


def _time(call: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _bench(label: str, directory: Directory, graphml_max: int) -> None:
    services = len(directory.services())
    seconds, _ = _time(lambda: compute_stats(directory, TODAY))
    print(f"{label}: {len(directory.institutions)} institutions, {services} services")
    print(f"  stats            {seconds:8.3f} s")
    for fmt in FORMATS:
        if fmt == "graphml" and services > graphml_max:
            print(f"  export {fmt:<9} skipped (> {graphml_max} services)")
            continue
        seconds, content = _time(lambda fmt=fmt: export_directory(directory, fmt))
        size = len(content)  # type: ignore[arg-type]
        print(f"  export {fmt:<9} {seconds:8.3f} s  {size / 1e6:8.2f} MB")


def _bench_geocoder_cache(entries: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = {
            f"Straße {n}, 47805 Krefeld".casefold(): {"lat": 51.3, "lon": 6.5}
            for n in range(entries)
        }
        Path(tmp, CACHE_FILE).write_text(
            json.dumps({"version": 1, "server": "x", "entries": cache}), encoding="utf-8"
        )
        settings = load_settings(
            {"CACHE_DIR": tmp, "GEOCODER_URL": "http://127.0.0.1:9"}, environ={}
        )
        geocoder = Geocoder(settings)
        seconds, _ = _time(
            lambda: [geocoder.locate(f"Straße {n}, 47805 Krefeld") for n in range(entries)]
        )
        assert geocoder.requests == 0
        print(f"geocoder cache: {entries} hits (incl. loading the cache) {seconds:8.3f} s")


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--graphml-max", type=int, default=1000)
    args = parser.parse_args()
    shipped = ROOT / "data" / "institutions.yaml"
    if shipped.exists():
        _bench("shipped data", load_directory(shipped), args.graphml_max * 100)
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = write_directory(Path(tmp, str(size), "institutions.yaml"), size)
            start = time.perf_counter()
            directory = load_directory(path)
            loaded = time.perf_counter() - start
            _bench(f"generated {size} (loaded in {loaded:.1f} s)", directory, args.graphml_max)
    _bench_geocoder_cache(10_000)


if __name__ == "__main__":
    main()
