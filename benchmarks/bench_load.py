"""Time loading plus validating the data file: the shipped data and generated directories.

Each row times (wall clock, and CPU for parse plus validate) the three steps of `load_directory`: parse (YAML with positions), validate
(schema plus cross-record rules) and build (the immutable Directory). Target: 100,000
services load and validate in under 10 s.

Example: python benchmarks/bench_load.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_directory
from wiqnet.datafile.load import QUARTERS_FILE, build_directory, load_quarters
from wiqnet.datafile.store import load_yaml
from wiqnet.datafile.validate import validate_document

TARGET_S = 10.0
TARGET_SERVICES = 100_000


def measure(path: Path) -> dict[str, float]:
    """Return the seconds of each step and the counts for one data file."""
    start, cpu = time.perf_counter(), time.process_time()
    doc = load_yaml(path)
    parsed = time.perf_counter()
    problems = validate_document(doc)
    validated, cpu_used = time.perf_counter(), time.process_time() - cpu
    directory = build_directory(doc, load_quarters(path.with_name(QUARTERS_FILE)))
    built = time.perf_counter()
    errors = sum(p.severity == "error" for p in problems)
    return {
        "mb": path.stat().st_size / 1e6,
        "services": len(directory.services()),
        "institutions": len(directory.institutions),
        "errors": errors,
        "parse": parsed - start,
        "validate": validated - parsed,
        "build": built - validated,
        "cpu": cpu_used,
    }


def row(label: str, m: dict[str, float]) -> str:
    """Format one result line of the table."""
    total = m["parse"] + m["validate"]
    verdict = ""
    if m["services"] >= TARGET_SERVICES:
        verdict = "ok" if total < TARGET_S else f"OVER the {TARGET_S:.0f} s target"
    return (
        f"{label:<20}{m['services']:>9,.0f}{m['mb']:>7.1f}{m['parse']:>9.2f}"
        f"{m['validate']:>11.2f}{total:>9.2f}{m['cpu']:>8.2f}{m['build']:>9.2f}"
        f"{m['errors']:>7.0f}  {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    """Generate the directories, time each and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated numbers of services to generate",
    )
    args = parser.parse_args(argv)
    print(
        f"{'data':<20}{'services':>9}{'MB':>7}{'parse s':>9}{'validate s':>11}"
        f"{'total s':>9}{'cpu s':>8}{'build s':>9}{'errors':>7}"
    )
    shipped = ROOT / "data" / "institutions.yaml"
    if shipped.is_file():
        print(row("shipped data", measure(shipped)), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = write_directory(Path(tmp) / str(size) / "institutions.yaml", size)
            print(row(f"generated {size:,}", measure(path)), flush=True)
    print(
        "total = parse + validate, wall clock (what `wiqnet validate` does); cpu = its CPU "
        "time, steadier on a busy machine; build is extra for the app"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
