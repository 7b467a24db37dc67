"""Benchmark `wiqnet import krefeld-geojson` on the real Krefeld open data (../shared).

Times three cases on a copy of the shipped data file: reading and mapping all 961 open-data
records (no write), a re-import of every file city-wide into the shipped file (dry run: every
record is matched and compared), and the documented quarter import (nothing changes).

Example: python benchmarks/bench_import.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wiqnet.importers.krefeld import build_record, import_files, read_features

OPEN_DATA = ROOT.parent / "shared" / "krefeld-open-data"
SKIP = ("menu.json", "ALKIS_ADV_SHAPE_Krefeld_VERWALT_EINH.json")


def main() -> None:
    """Print the timings."""
    if not OPEN_DATA.is_dir():
        sys.exit(f"{OPEN_DATA} not found; the benchmark needs ../shared")
    files = [str(p) for p in sorted(OPEN_DATA.glob("*.json")) if p.name not in SKIP]
    start = time.perf_counter()
    features = [f for path in files for f in read_features(path)]
    records = [r for r in map(build_record, features) if r is not None]
    print(
        f"read + map {len(features)} features -> {len(records)} records: "
        f"{time.perf_counter() - start:.3f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "institutions.yaml"
        shutil.copy(ROOT / "data" / "institutions.yaml", data)
        shutil.copy(ROOT / "data" / "quarters.geojson", Path(tmp) / "quarters.geojson")
        start = time.perf_counter()
        report = import_files(data, files, within="city", dry_run=True)
        print(
            f"dry-run import of all files city-wide into the shipped file "
            f"({len(report.added)} new, {len(report.unchanged)} matched): "
            f"{time.perf_counter() - start:.3f} s"
        )
        start = time.perf_counter()
        report = import_files(data, files, within="quarter")
        print(
            f"quarter import into the shipped file ({len(report.unchanged)} unchanged): "
            f"{time.perf_counter() - start:.3f} s"
        )


if __name__ == "__main__":
    main()
