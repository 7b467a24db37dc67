"""Benchmark the maps: generation time and HTML size, and time to first render in Chromium.

Data sets: the shipped data, the whole city (every Krefeld open-data file imported into a
temporary data file with `wiqnet import krefeld-geojson --within city`), and generated
directories of 10,000 and 100,000 places. Targets: city map <= 0.5 s and <= 500 KB (without
the inlined assets); 100,000 places <= 5 s and still usable in the browser.

Example: python benchmarks/bench_maps.py [--skip-100k] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_directory
from wiqnet.datafile.load import build_directory, load_directory, load_quarters
from wiqnet.datafile.store import Document
from wiqnet.errors import WiqnetError
from wiqnet.maps.assets import ASSETS, inline_text
from wiqnet.maps.build import MapOptions, directory_map, page_parts, standalone_html
from wiqnet.maps.layers import WiqMap
from wiqnet.maps.overlay import add_network_overlay
from wiqnet.model import Directory

SHARED = ROOT.parent / "shared" / "krefeld-open-data"
OPTIONS = MapOptions(tiles="none")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Zoom the map by `step` and resolve with the milliseconds until the next frame after the
# marker cluster finished re-clustering (its 'animationend', or 'zoomend' without animation).
ZOOM_JS = """step => new Promise(resolve => {
    const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
    const start = performance.now();
    const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
    map.once('zoomend', () => setTimeout(done, 0));
    map.setZoom(map.getZoom() + step, {animate: false});
})"""
ASSET_BYTES = sum(len(inline_text(a).encode()) for a in ASSETS)


def _page_bytes(fmap: WiqMap) -> int:
    parts = page_parts(fmap, lambda a: f"/static/vendor/{a.package}/{a.filename}", "n")
    return len((parts.head + parts.body + parts.script).encode())


def _time(build: Callable[[], WiqMap], runs: int) -> tuple[float, float, int, int]:
    """Return the median wall and CPU seconds to build and render a page, its bytes, places."""
    walls, cpus, size, places = [], [], 0, 0
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fmap = build()
        size = _page_bytes(fmap)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        places = fmap.place_count
    return statistics.median(walls), statistics.median(cpus), size, places


def measure(
    label: str,
    directory: Directory,
    runs: int,
    network: bool,
    time_target: float | None = None,
    size_target: int | None = None,
) -> None:
    """Print the numbers for one data set."""
    seconds, cpu, size, places = _time(lambda: directory_map(directory, OPTIONS), runs)
    verdict = ""
    if time_target is not None and size_target is not None:
        ok = seconds <= time_target and size <= size_target
        verdict = "ok" if ok else "OVER TARGET"
    print(
        f"{label:<22} {places:>7} places  map {seconds:7.3f} s (cpu {cpu:6.3f} s) "
        f"{size / 1024:8.0f} KB (+{ASSET_BYTES / 1024:.0f} KB assets standalone)  {verdict}"
    )
    if network:

        def with_links() -> WiqMap:
            fmap = directory_map(directory, OPTIONS)
            add_network_overlay(fmap, directory)
            return fmap

        seconds, cpu, size, _ = _time(with_links, runs)
        print(
            f"{'  + network overlay':<22} {'':>7}         {seconds:7.3f} s (cpu {cpu:6.3f} s) "
            f"{size / 1024:8.0f} KB"
        )


def city_directory(tmp: Path) -> tuple[Directory | None, str]:
    """Import every open-data GeoJSON file of the city; return the directory and a note."""
    data = tmp / "city" / "institutions.yaml"
    data.parent.mkdir()
    data.write_text("institutions: []\n", encoding="utf-8")
    quarters = ROOT / "data" / "quarters.geojson"
    if quarters.is_file():
        (data.parent / "quarters.geojson").write_bytes(quarters.read_bytes())
    files = []
    for path in sorted(SHARED.glob("*.json")):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(content, dict) and isinstance(content.get("features"), list):
            files.append(str(path))
    command = [
        sys.executable,
        "-m",
        "wiqnet",
        "--data",
        str(data),
        "import",
        "krefeld-geojson",
        "--within",
        "city",
    ]
    result = subprocess.run(
        [*command, *files], capture_output=True, text=True, cwd=ROOT, check=False
    )
    note = f"{len(files)} files imported at once"
    if result.returncode != 0:
        failed = []
        for path in files:
            one = subprocess.run(
                [*command, path], capture_output=True, text=True, cwd=ROOT, check=False
            )
            if one.returncode != 0:
                failed.append(Path(path).name)
        note = (
            f"the import of all files at once failed ({result.stderr.strip().splitlines()[-1]}); "
            f"imported file by file, refused: {', '.join(failed) or 'none'}"
        )
    try:
        return load_directory(data), note
    except WiqnetError as exc:  # the importer is someone else's; report, do not crash
        return None, f"{note}; cannot load the result: {exc}"


def generated(places: int) -> Directory:
    """Return a generated directory of about `places` institutions (built in memory)."""
    data = generate_directory(round(places * 7 / 3), seed=7)
    quarters = load_quarters(ROOT / "data" / "quarters.geojson")
    return build_directory(Document(path="generated", data=data), quarters)


def first_render(directory: Directory, tmp: Path) -> None:
    """Print the time until markers show in Chromium for a standalone file, and a zoom."""
    from playwright.sync_api import sync_playwright

    path = tmp / f"map-{len(directory.institutions)}.html"
    path.write_text(standalone_html(directory_map(directory, OPTIONS)), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_selector(".marker-cluster, .leaflet-marker-icon.wiq-m", timeout=120_000)
        rendered = time.perf_counter() - start
        page.wait_for_function(
            "() => document.querySelector('.folium-map').getAttribute('data-wiq-loaded')",
            timeout=300_000,
        )
        loaded = time.perf_counter() - start
        zooms = [page.evaluate(ZOOM_JS, step) for step in (1, -1)]
        shown = page.locator(".marker-cluster, .leaflet-marker-icon.wiq-m").count()
        browser.close()
    print(
        f"  Chromium ({path.stat().st_size / 1e6:.1f} MB file): first markers after "
        f"{rendered:.2f} s, all places clustered after {loaded:.2f} s, zoom in/out "
        f"{zooms[0] / 1000:.2f}/{zooms[1] / 1000:.2f} s, {shown} markers/clusters on screen"
        + (f", errors: {errors}" if errors else "")
    )


def main() -> int:
    """Run the benchmark and print the numbers (wall time, and CPU time of this process)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-100k", action="store_true", help="leave out 100,000 places")
    parser.add_argument("--no-browser", action="store_true", help="leave out Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        shipped = ROOT / "data" / "institutions.yaml"
        if shipped.is_file():
            measure("shipped data", load_directory(shipped), 5, network=True)
        if SHARED.is_dir():
            city, note = city_directory(tmp)
            print(f"city: {note}")
            if city is not None:
                measure(
                    "whole city", city, 5, network=True, time_target=0.5, size_target=500 * 1024
                )
        else:
            print("city: ../shared/krefeld-open-data is not present; skipped")
        ten = generated(10_000)
        measure("generated 10,000", ten, 3, network=False)
        if not args.no_browser:
            first_render(ten, tmp)
        if not args.skip_100k:
            hundred = generated(100_000)
            measure(
                "generated 100,000", hundred, 1, network=False, time_target=5.0, size_target=10**12
            )
            if not args.no_browser:
                first_render(hundred, tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
