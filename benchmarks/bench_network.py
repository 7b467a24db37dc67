"""Benchmark the network analysis, the layout and the /netzwerk page.

Sizes: the shipped data (when data/institutions.yaml exists) and generated directories of
1,000 and 10,000 institutions with realistic links: average degree about 4, 70 % to
nearby institutions and 30 % to hubs (preferential attachment), operators shared by
small groups (about 8 sites each).

Targets: analysis and layout <= 2 s at 1,000; the page answers within 5 s at 10,000;
for 1,000 institutions with 3,000 links the diagram (layout, labels, SVG) <= 1 s and the
funders' report (HTML) <= 5 s.

Example: python benchmarks/bench_network.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_directory, write_directory
from wiqnet.datafile.load import load_directory
from wiqnet.model import LINK_KINDS, LINK_TARGET_KINDS, Directory
from wiqnet.network import layout as network_layout
from wiqnet.network.analysis import (
    centrality,
    communities,
    cooperation_network,
    stats,
)
from wiqnet.network.coverage import coverage
from wiqnet.network.draw import to_png, to_svg
from wiqnet.network.introductions import suggest
from wiqnet.network.labels import text_width
from wiqnet.network.layout import diagram
from wiqnet.network.palette import diagram_style

# Kinds that join any two institutions (mitglied/veranstaltung need a network/event node).
PAIR_KINDS = [k for k in LINK_KINDS if k not in LINK_TARGET_KINDS]

TODAY = date(2026, 11, 25)
SERVICES_PER_INSTITUTION = 2.33


def _time(call: Callable[[], Any]) -> tuple[float, Any]:
    """Return the seconds a call took and its result."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def realistic(n: int, seed: int = 7, links_per: int = 2) -> dict[str, Any]:
    """Return a generated data file (as plain data) of about n institutions, degree ~2 × links_per."""
    data = generate_directory(int(n * SERVICES_PER_INSTITUTION), seed=seed)
    institutions = data["institutions"][:n]
    rng = random.Random(seed)
    operators = [f"Träger {i}" for i in range(max(1, n // 8))]
    for inst in institutions:
        inst["operator"] = rng.choice(operators)
    ordered = sorted(institutions, key=lambda i: (i["location"]["lat"], i["location"]["lon"]))
    links = []
    seen: set[tuple[str, str]] = set()
    ends: list[str] = []  # every link end once: picking from it prefers well-linked hubs
    while len(links) < links_per * n:  # 2 links per institution: average degree 4
        i = rng.randrange(len(ordered))
        a = ordered[i]["id"]
        if ends and rng.random() < 0.3:
            b = rng.choice(ends)  # to a hub (Jobcenter, WiQ, Familienzentrum)
        else:
            b = ordered[min(len(ordered) - 1, max(0, i + rng.randint(-40, 40)))]["id"]
        if a == b or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        ends += [a, b]
        link = {
            "from": a,
            "to": b,
            "kind": rng.choice(PAIR_KINDS),
            "sources": [
                {"file": "benchmarks/bench_network.py", "date": "2026-01-10", "note": "synthetisch"}
            ],
        }
        if rng.random() < 0.8:
            link["since"] = date(rng.randint(2015, 2026), rng.randint(1, 12), 1)
        links.append(link)
    return {"institutions": institutions, "links": links}


def write(path: Path, data: dict[str, Any]) -> Path:
    """Write the data file and the quarters beside it."""
    write_directory(path, 2)  # lays quarters.geojson beside it
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(
        yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def analyse(label: str, directory: Directory, cache_dir: Path) -> None:
    """Time each analysis step, the layout (cold, memory, disk) and the drawings."""
    n = len(directory.institutions)
    rows: list[tuple[str, float]] = []
    t, graph = _time(lambda: cooperation_network(directory, TODAY))
    rows.append(("cooperation graph (recorded links)", t))
    rows.append(("stats", _time(lambda: stats(graph, TODAY))[0]))
    t, _ = _time(lambda: centrality(graph))
    rows.append(("centrality" + (" (sampled)" if n > 2000 else " (exact)"), t))
    rows.append(("communities (Louvain)", _time(lambda: communities(graph))[0]))
    rows.append(("coverage", _time(lambda: coverage(directory))[0]))
    t, intros = _time(lambda: suggest(directory, TODAY))
    rows.append((f"introductions ({len(intros)} shown)", t))
    analysis = sum(t for _, t in rows)
    network_layout._memory.clear()
    t_layout, drawn = _time(lambda: diagram(directory, TODAY, cache_dir=cache_dir))
    rows.append((f"layout, cold ({len(drawn.nodes)} nodes, {len(drawn.edges)} edges)", t_layout))
    network_layout._memory.clear()
    nodes = [d.id for d in drawn.nodes]
    rows.append(
        (
            "layout, from disk cache",
            _time(lambda: network_layout.layout(nodes, list(drawn.edges), cache_dir))[0],
        )
    )
    t_svg, svg = _time(lambda: to_svg(drawn))
    rows.append((f"SVG ({len(svg) / 1e6:.2f} MB)", t_svg))
    rows.append(("PNG", _time(lambda: to_png(drawn))[0]))
    print(
        f"\n{label}: {n} institutions, {len(directory.links)} links, "
        f"{graph.number_of_edges()} linked pairs"
    )
    for name, seconds in rows:
        print(f"  {name:<52} {seconds:8.3f} s")
    print(f"  {'analysis total':<52} {analysis:8.3f} s")
    print(f"  {'analysis + cold layout':<52} {analysis + t_layout:8.3f} s")


def _first_use() -> Callable[..., str]:
    """Import the report (with scipy, jinja2), load the palette and font metrics; return it."""
    from wiqnet.network.report import render_report

    diagram_style("arbeit")
    text_width("WiQ", 12.0)
    return render_report


def targets(tmp: Path) -> None:
    """Time the diagram and the report for 1,000 institutions with 3,000 links."""
    path = write(tmp / "targets" / "institutions.yaml", realistic(1000, links_per=3))
    directory = load_directory(path)
    cooperation_network(directory, TODAY)  # the graph is shared; time what comes after
    t_imports, render_report = _time(_first_use)
    network_layout._memory.clear()
    t_diagram, drawn = _time(lambda: to_svg(diagram(directory, TODAY)))
    t_report, html = _time(lambda: render_report(directory, TODAY))
    print(f"\n== targets: {len(directory.institutions)} institutions, {len(directory.links)} links")
    print(f"  {'first use: imports, palette, font (once per process)':<52} {t_imports:8.3f} s")
    print(f"  {'diagram, cold layout (layout, labels, SVG; <= 1 s)':<52} {t_diagram:8.3f} s")
    print(f"  {'report HTML (target <= 5 s)':<52} {t_report:8.3f} s ({len(html) / 1e6:.2f} MB)")


def page(label: str, path: Path, cache_dir: Path) -> None:
    """Time GET /netzwerk: app start with loading, the first answer, when it is complete."""
    from wiqnet.web import create_app

    page_cache = cache_dir / "page"  # not the analysis step's cache: the first run is cold
    for run in ("cold start", "restart, layout on disk"):
        network_layout._memory.clear()
        start = time.perf_counter()
        app = create_app(
            {
                "TESTING": True,
                "DATA": str(path),
                "TILES": "none",
                "SECRET_KEY": "bench",
                "CACHE_DIR": str(page_cache),
            }
        )
        with app.app_context():
            app.extensions["wiqnet"].current()
        t_load = time.perf_counter() - start
        client = app.test_client()
        ego_url = f"/netzwerk/{path_first_id(path)}?schritte=2"
        start = time.perf_counter()
        response = client.get("/netzwerk")
        t_first, status = time.perf_counter() - start, response.status_code
        while response.status_code == 503:  # "being computed": poll like the page's refresh
            time.sleep(0.25)
            response = client.get("/netzwerk")
        t_ready = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        t_next, _ = _time(partial(client.get, "/netzwerk"))
        t_ego, _ = _time(partial(client.get, ego_url))
        print(
            f"  page, {run:<24} app+load {t_load:5.2f} s; first answer {t_first:5.2f} s "
            f"(HTTP {status}); complete page {t_ready:5.2f} s "
            f"({len(response.data) / 1e6:.2f} MB); next {t_next:5.3f} s; ego {t_ego:5.3f} s"
        )


def path_first_id(path: Path) -> str:
    """Return the first institution id of a data file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip("- ").startswith("id: "):
            return line.split("id: ", 1)[1].strip()
    return "wiq"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for the shipped data and each generated size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="Comma-separated numbers of generated institutions."
    )
    parser.add_argument("--no-page", action="store_true", help="Skip the web page timing.")
    parser.add_argument(
        "--targets-only",
        action="store_true",
        help="Only time the diagram and the report at 1,000 / 3,000.",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        targets(Path(tmp))
        if args.targets_only:
            return 0
        shipped = ROOT / "data" / "institutions.yaml"
        cases: list[tuple[str, Path]] = []
        if shipped.is_file():
            cases.append(("shipped data", shipped))
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = write(Path(tmp) / f"gen{size}" / "institutions.yaml", realistic(size))
            cases.append((f"generated {size:,}", path))
        for label, path in cases:
            cache = Path(tmp) / f"cache-{label.replace(' ', '-')}"
            t_load, directory = _time(lambda p=path: load_directory(p))
            print(f"\n== {label}: load + validate {t_load:.2f} s")
            analyse(label, directory, cache)
            if not args.no_page:
                page(label, path, cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
