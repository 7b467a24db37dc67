"""Search latency (p50/p95, in-process), index build time and index memory.

Each benchmark query runs once cold (on the first directory: its words never seen), then
`--rounds` times. Three lines per directory: cold timings, all timings, and each query's
best round (less disturbed by other work on a busy machine).

Three directories: the shipped data, the whole city (every file of
../shared/krefeld-open-data imported into a temporary data file) and a generated
directory of 100,000 services. Targets: p95 <= 2 ms on the shipped data (cold queries
included), <= 5 ms on the city, <= 50 ms at
100,000 services; index build <= 10 s at 100,000.

Example: python benchmarks/bench_search.py [--services 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_directory
from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.errors import WiqnetError
from wiqnet.model import Directory, Location
from wiqnet.search import SearchRequest, search
from wiqnet.search.index import build_index
from wiqnet.search.vocabulary import load_vocabulary, path_for

SHARED = ROOT.parent / "shared"
OPEN_DATA = SHARED / "krefeld-open-data"
NOW = datetime(2026, 11, 25, 10, 0)
NEAR = Location(51.3228, 6.5723)


def queries() -> list[SearchRequest]:
    """Return the benchmark requests: the dev and held-out queries, some with filters."""
    texts: list[str] = []
    for path in (
        SHARED / "eval" / "referral-queries.yaml",
        ROOT / "tests" / "heldout_queries.yaml",
    ):
        if path.is_file():
            texts += [q["q"] for q in yaml.safe_load(path.read_text("utf-8"))["queries"]]
    requests = [SearchRequest(query=text) for text in texts]
    requests += [
        SearchRequest(query=text, near="here", open_at="Mi 15:00", language="tr")
        for text in texts[::4]
    ]
    return requests


def city(tmp: Path) -> Path:
    """Import every Krefeld open-data file into a fresh data file; return its path."""
    from wiqnet.importers.krefeld import import_files

    data = tmp / "city" / "institutions.yaml"
    data.parent.mkdir()
    data.write_text("institutions: []\n", encoding="utf-8")
    (data.parent / "quarters.geojson").write_bytes(
        (ROOT / "data" / "quarters.geojson").read_bytes()
    )
    files = [
        str(p)
        for p in sorted(OPEN_DATA.glob("*.json"))
        if p.name not in ("menu.json",) and not p.name.startswith("ALKIS")
    ]
    try:
        import_files(str(data), files, within="city")
    except WiqnetError as exc:  # some files do not import yet: take the others one by one
        print(f"(importing all files at once failed: {exc}; importing them one by one)")
        for name in files:
            try:
                import_files(str(data), [name], within="city")
            except WiqnetError as one:
                print(f"(skipped {Path(name).name}: {one})")
    return data


def measure(name: str, directory: Directory, rounds: int) -> None:
    """Print build time, index memory and search latency for one directory."""
    vocabulary = load_vocabulary(path_for(directory.path))
    services = sum(len(i.services) for i in directory.institutions)
    gc.collect()
    start = time.perf_counter()
    build_index(directory, vocabulary)
    build_s = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    index = build_index(directory, vocabulary)
    memory_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del index
    settings = load_settings()
    requests = queries()
    search(
        directory, SearchRequest(query="Kita"), settings, now=NOW, locate=lambda _text: NEAR
    )  # build the index and the bridges
    cold: list[float] = []
    for request in requests:  # cold: the first time each query's words are seen
        start = time.perf_counter()
        search(directory, request, settings, now=NOW, locate=lambda _text: NEAR)
        cold.append((time.perf_counter() - start) * 1000)
    timings: list[float] = []
    best: list[float] = []
    for request in requests:
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            search(directory, request, settings, now=NOW, locate=lambda _text: NEAR)
            runs.append((time.perf_counter() - start) * 1000)
        timings += runs
        best.append(min(runs))
    print(f"{name:<10} {services:>7} services  index build {build_s:6.2f} s, {memory_mb:6.1f} MB")
    print(f"{'':<10} cold {len(cold)} searches: {_percentiles(cold)}")
    print(f"{'':<10} all {len(timings)} searches: {_percentiles(timings)}")
    print(f"{'':<10} best of {rounds} per query:  {_percentiles(best)}")


def _percentiles(values: list[float]) -> str:
    """Render p50/p95/max of timings in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):7.2f} ms  p95 {p95:7.2f} ms  max {ordered[-1]:7.2f} ms"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on the three directories."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    measure("shipped", load_directory(ROOT / "data" / "institutions.yaml"), args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if OPEN_DATA.is_dir():
            measure("city", load_directory(city(tmp)), args.rounds)
        else:
            print("city: ../shared/krefeld-open-data is not there; skipped")
        generated = write_directory(tmp / "generated" / "institutions.yaml", args.services)
        start = time.perf_counter()
        directory = load_directory(generated)
        print(f"(loading the generated file took {time.perf_counter() - start:.1f} s)")
        measure("generated", directory, max(1, args.rounds // 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
