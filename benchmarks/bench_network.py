"""Benchmark the network analysis, the layout and the /netzwerk page.

Sizes: the shipped data (when data/institutions.yaml exists) and generated directories of
1,000 and 10,000 institutions with realistic links: average degree about 4, mostly to
nearby institutions, operators shared by small groups (about 8 sites each).

Targets: analysis and layout <= 2 s at 1,000; the page answers within 5 s at 10,000.

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
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_directory, write_directory  # noqa: E402
from wiqnet import network_layout  # noqa: E402
from wiqnet.coverage import coverage  # noqa: E402
from wiqnet.introductions import suggest  # noqa: E402
from wiqnet.loader import load_directory  # noqa: E402
from wiqnet.model import LINK_KINDS, Directory  # noqa: E402
from wiqnet.network import (  # noqa: E402
    centrality,
    communities,
    cooperation_network,
    stats,
)
from wiqnet.network_draw import to_png, to_svg  # noqa: E402
from wiqnet.network_layout import diagram  # noqa: E402

TODAY = date(2026, 11, 25)
SERVICES_PER_INSTITUTION = 2.33


def _time(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def realistic(n: int, seed: int = 7) -> dict[str, Any]:
    """Return a generated data file (as plain data) of about n institutions, degree ~4."""
    data = generate_directory(int(n * SERVICES_PER_INSTITUTION), seed=seed)
    institutions = data["institutions"][:n]
    rng = random.Random(seed)
    operators = [f"Träger {i}" for i in range(max(1, n // 8))]
    for inst in institutions:
        inst["operator"] = rng.choice(operators)
    ordered = sorted(institutions, key=lambda i: (i["location"]["lat"], i["location"]["lon"]))
    links = []
    seen: set[tuple[str, str]] = set()
    while len(links) < 2 * n:  # 2 links per institution: average degree 4
        i = rng.randrange(len(ordered))
        j = min(len(ordered) - 1, max(0, i + rng.randint(-40, 40)))  # mostly nearby
        a, b = ordered[i]["id"], ordered[j]["id"]
        if a == b or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        link = {"from": a, "to": b, "kind": rng.choice(list(LINK_KINDS)),
                "source": "synthetisch: benchmarks/bench_network.py"}
        if rng.random() < 0.8:
            link["since"] = date(rng.randint(2015, 2026), rng.randint(1, 12), 1)
        links.append(link)
    return {"institutions": institutions, "links": links}


def write(path: Path, data: dict[str, Any]) -> Path:
    """Write the data file and the quarters beside it."""
    write_directory(path, 2)  # lays quarters.geojson beside it
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def analyse(label: str, directory: Directory, cache_dir: Path) -> None:
    """Time each analysis step, the layout (cold, memory, disk) and the drawings."""
    n = len(directory.institutions)
    rows: list[tuple[str, float]] = []
    t, graph = _time(lambda: cooperation_network(directory, TODAY))
    rows.append(("graph (links + derived edges)", t))
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
    rows.append(("layout, from disk cache",
                 _time(lambda: network_layout.layout(nodes, list(drawn.edges), cache_dir))[0]))
    t_svg, svg = _time(lambda: to_svg(drawn))
    rows.append((f"SVG ({len(svg) / 1e6:.2f} MB)", t_svg))
    rows.append(("PNG", _time(lambda: to_png(drawn))[0]))
    print(f"\n{label}: {n} institutions, {len(directory.links)} links, "
          f"{graph.number_of_edges()} linked pairs")
    for name, seconds in rows:
        print(f"  {name:<52} {seconds:8.3f} s")
    print(f"  {'analysis total':<52} {analysis:8.3f} s")
    print(f"  {'analysis + cold layout':<52} {analysis + t_layout:8.3f} s")


def page(label: str, path: Path, cache_dir: Path) -> None:
    """Time GET /netzwerk: first request (load + analysis + layout) and the next ones."""
    from wiqnet.web import create_app

    for run in ("cold start", "restart, layout on disk"):
        if run == "cold start":
            network_layout._memory.clear()
        app = create_app({"TESTING": True, "DATA": str(path), "TILES": "none",
                          "SECRET_KEY": "bench", "CACHE_DIR": str(cache_dir)})
        client = app.test_client()
        t_load, _ = _time(lambda: client.get("/status"))
        t_first, response = _time(lambda: client.get("/netzwerk"))
        assert response.status_code == 200, response.status_code
        t_next, _ = _time(lambda: client.get("/netzwerk"))
        t_ego, _ = _time(lambda: client.get(f"/netzwerk/{path_first_id(path)}?schritte=2"))
        print(f"  page, {run:<24} load {t_load:6.2f} s; first /netzwerk {t_first:6.2f} s "
              f"({len(response.data) / 1e6:.2f} MB); next {t_next:6.3f} s; ego {t_ego:6.3f} s")
        network_layout._memory.clear()


def path_first_id(path: Path) -> str:
    """Return the first institution id of a data file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip("- ").startswith("id: "):
            return line.split("id: ", 1)[1].strip()
    return "wiq"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for the shipped data and each generated size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="Comma-separated numbers of generated institutions.")
    parser.add_argument("--no-page", action="store_true", help="Skip the web page timing.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
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
