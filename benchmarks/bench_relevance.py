"""Search relevance on the shipped data: wiqnet's search next to an SQLite FTS5 baseline.

Runs the judged set (tests/eval/judged-queries.yaml, or --queries FILE) through
wiqnet's search in-process (core API, HOME_INSTITUTION as configured) and through a
keyword baseline (FTS5 over service name + institution name, description and
institution category; the query's words joined with OR; bm25 ranking) on the same
data. Prints per group and overall: success@3 (every need part has a grade-2 result in
the first three), the lenient variant (grade >= 1), nDCG@3, the rate of "home
institution first" and of "no result". See benchmarks/relevance.py for the definitions.

A need-only file ({q, any} like ../shared/eval/referral-queries.yaml or
tests/heldout_queries.yaml) has no grades and no nDCG: "lenient" is the file's own rule
(a result among the first three carries a wanted need key), "success" the same rule
with results of the home institution not counted (WiQ is no referral for its own
counsellors).

Examples:
  python benchmarks/bench_relevance.py
  python benchmarks/bench_relevance.py --queries tests/heldout_queries.yaml
  python benchmarks/bench_relevance.py --misses                 # list failed queries
  /work/wt/search/.venv/bin/python benchmarks/bench_relevance.py \\
      --root /work/wt/search --data /work/main/data/institutions.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, help="judged or need-only query file")
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "data" / "institutions.yaml",
        help="data file (default: this checkout's data/institutions.yaml)",
    )
    parser.add_argument(
        "--root", type=Path, help="checkout whose wiqnet package to evaluate (default: this one)"
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print wiqnet's first three results for every unsuccessful query",
    )
    parser.add_argument("--group", help="only queries of this group")
    return parser.parse_args()


def _row(name: str, engine: Any, baseline: Any, graded: bool) -> str:
    def cells(s: Any) -> str:
        ndcg = f"{s.ndcg:6.2f}" if graded else "     -"
        return f"{s.success:7.0%} {s.lenient:7.0%} {ndcg} {s.home_first:6.0%} {s.no_result:6.0%}"

    return f"{name:<10} {engine.n:>4} | {cells(engine)} | {cells(baseline)}"


def main() -> None:
    """Print the relevance report."""
    args = _arguments()
    if args.root is not None:
        sys.path.insert(0, str(args.root.resolve()))
        import wiqnet  # noqa: F401  (the other checkout's package, before ours is on the path)
    sys.path.insert(0, str(ROOT))
    import wiqnet as package
    from benchmarks.relevance import (
        JUDGED,
        evaluate,
        fts5_ranker,
        home_institution,
        load_queries,
        summarise,
        unanswerable,
        unknown_ids,
        wiqnet_ranker,
    )
    from wiqnet.config import load_settings

    try:
        from wiqnet.datafile.load import load_directory
    except ImportError:  # a checkout from before the datafile package
        from wiqnet.loader import load_directory  # type: ignore[no-redef]
    queries = load_queries(args.queries or JUDGED)
    if args.group:
        queries = [q for q in queries if q.group == args.group]
    directory = load_directory(args.data)
    settings = load_settings()
    home = home_institution(settings)
    graded = any(q.parts for q in queries)
    print(
        f"wiqnet from {Path(package.__file__).parent.parent}; data {args.data} "
        f"({len(directory.institutions)} institutions); {len(queries)} queries from "
        f"{args.queries or JUDGED}; home institution '{home}'"
    )
    if graded:
        missing = unknown_ids(queries, directory)
        if missing:
            print(
                f"judged keys that match no service of the data ({len(missing)}): {', '.join(missing)}"
            )
        dead = unanswerable(queries, directory)
        if dead:
            print(
                f"queries with a need part no service answers with grade 2 ({len(dead)}): "
                f"{', '.join(dead)}"
            )
    engine = evaluate(queries, wiqnet_ranker(directory, settings), directory, home)
    baseline = evaluate(queries, fts5_ranker(directory), directory, home)
    head = "success lenient nDCG@3  home1st nores "
    print(f"\n{'':<10} {'n':>4} | {'wiqnet':<{len(head)}}| FTS5 keyword baseline")
    print(f"{'group':<10} {'':>4} | {head}| {head}")
    groups = sorted({q.group for q in queries}, key=[q.group for q in queries].index)
    for group in groups:
        pick = [i for i, q in enumerate(queries) if q.group == group]
        print(
            _row(
                group,
                summarise([engine[i] for i in pick]),
                summarise([baseline[i] for i in pick]),
                graded,
            )
        )
    print(_row("overall", summarise(engine), summarise(baseline), graded))
    multi = [o for o in engine if len(o.query.parts) > 1]
    if multi:
        parts = sum(len(o.query.parts) for o in multi)
        served = sum(o.parts_served for o in multi)
        print(
            f"\nwiqnet serves {served} of {parts} need parts of the {len(multi)} "
            f"multi-need queries with a grade-2 result in the first three."
        )
    if args.misses:
        print("\nUnsuccessful queries (wiqnet's first three results, grades per part):")
        for outcome in engine:
            if outcome.success:
                continue
            print(f"- {outcome.query.id} [{outcome.query.group}] {outcome.query.text}")
            for hit, grades in zip(
                outcome.hits, outcome.grades or [[]] * len(outcome.hits), strict=True
            ):
                print(f"    {hit[1]}  {grades}")
            if not outcome.hits:
                print("    (no result)")


if __name__ == "__main__":
    main()
