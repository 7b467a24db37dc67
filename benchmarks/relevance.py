"""Relevance evaluation: judged queries, graded results, success@3, nDCG@3 and baselines.

A judged query has one or more need parts; each part grades institutions (and, refined,
their services) 2 (what a counsellor would refer to), 1 (acceptable) or 0 (unlisted).

Metrics over the first K=3 results of one query:
- success: every part has a result of grade 2 (lenient: of grade >= 1);
- nDCG: for one part, linear gains with a log2 discount, normalised by the best three
  services of the data; for several parts, alpha-nDCG (alpha 0.5): a result gains the
  sum of its part grades, and a part's grade halves with each earlier result that
  already served it, so three results for the first need score below one per need;
- home first: the first result belongs to the home institution; no result: nothing.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from wiqnet.config import load_settings
from wiqnet.errors import WiqnetError
from wiqnet.model import Directory
from wiqnet.search import SearchRequest, search

K = 3
ALPHA = 0.5
NOW = datetime(2026, 11, 25, 10, 0)
JUDGED = Path(__file__).resolve().parents[1] / "tests" / "eval" / "judged-queries.yaml"

# One result as a ranker returns it: (institution id, service id).
Hit = tuple[str, str]
Ranker = Callable[[str], list[Hit]]


@dataclass(frozen=True)
class Part:
    """One need of a query and its grades."""

    need: str
    grades: dict[str, int]
    topic: str = ""

    def grade(self, hit: Hit) -> int:
        """Return the grade of one result: a matching service refinement, else its institution's."""
        institution, service = hit
        slug = service.removeprefix(institution + "-")
        refined = [
            g
            for key, g in self.grades.items()
            if "/" in key
            and key.split("/", 1)[0] == institution
            and fnmatchcase(slug, key.split("/", 1)[1])
        ]
        return max(refined) if refined else self.grades.get(institution, 0)


@dataclass(frozen=True)
class Query:
    """One judged query."""

    id: str
    group: str
    text: str
    parts: tuple[Part, ...]
    # Need keys for files that only say which needs a good answer serves (no grades).
    any_needs: tuple[str, ...] = ()


@dataclass
class Outcome:
    """The scores of one query under one ranker."""

    query: Query
    hits: list[Hit]
    success: bool
    lenient: bool
    ndcg: float
    home_first: bool
    parts_served: int = 0
    grades: list[list[int]] = field(default_factory=list)


def load_queries(path: Path = JUDGED) -> list[Query]:
    """Read a judged set, or a need-only set ({q, any}) like the dev and held-out files."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for number, item in enumerate(data["queries"], 1):
        if "any" in item:
            queries.append(
                Query(
                    id=str(item.get("id", f"q{number:03d}")),
                    group=str(item.get("group", "all")),
                    text=item["q"],
                    parts=(),
                    any_needs=tuple(item["any"]),
                )
            )
            continue
        raw_parts = item.get("parts") or [item]
        parts = tuple(
            Part(
                need=p["need"],
                topic=str(p.get("topic", "")),
                grades={str(k): int(v) for k, v in (p.get("grades") or {}).items()},
            )
            for p in raw_parts
        )
        queries.append(
            Query(id=str(item["id"]), group=str(item["group"]), text=item["q"], parts=parts)
        )
    return queries


def _dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def _gains(parts: tuple[Part, ...], hits: list[Hit]) -> list[float]:
    """Return the gain of each result; with several parts, already served parts count less."""
    if len(parts) == 1:
        return [float(parts[0].grade(h)) for h in hits]
    served = [0] * len(parts)
    gains = []
    for hit in hits:
        gain = 0.0
        for i, part in enumerate(parts):
            grade = part.grade(hit)
            gain += grade * (1 - ALPHA) ** served[i]
            served[i] += grade >= 1
        gains.append(gain)
    return gains


def ideal_dcg(parts: tuple[Part, ...], catalogue: list[Hit]) -> float:
    """Return the best DCG@K any ranking of the catalogue can reach (greedy for several parts)."""
    graded = [h for h in catalogue if any(p.grade(h) for p in parts)]
    if len(parts) == 1:
        return _dcg(sorted((parts[0].grade(h) for h in graded), reverse=True)[:K])
    chosen: list[Hit] = []
    for _ in range(K):
        rest = [h for h in graded if h not in chosen]
        if not rest:
            break
        chosen.append(max(rest, key=lambda h: _gains(parts, chosen + [h])[-1]))
    return _dcg(_gains(parts, chosen))


def score(
    query: Query, hits: list[Hit], catalogue: list[Hit], home_id: str, ideals: dict[str, float]
) -> Outcome:
    """Score the first K results of one query."""
    top = hits[:K]
    home_first = bool(top) and top[0][0] == home_id
    grades = [[p.grade(h) for p in query.parts] for h in top]
    if query.any_needs:
        return Outcome(query, top, False, False, 0.0, home_first)
    best = [max((g[i] for g in grades), default=0) for i in range(len(query.parts))]
    if query.id not in ideals:
        ideals[query.id] = ideal_dcg(query.parts, catalogue)
    ideal = ideals[query.id]
    ndcg = _dcg(_gains(query.parts, top)) / ideal if ideal else 0.0
    return Outcome(
        query,
        top,
        success=all(b >= 2 for b in best),
        lenient=all(b >= 1 for b in best),
        ndcg=ndcg,
        home_first=home_first,
        parts_served=sum(b >= 2 for b in best),
        grades=grades,
    )


def catalogue_of(directory: Directory) -> list[Hit]:
    """Return every service of the directory as (institution id, service id)."""
    return [(i.id, s.id) for i in directory.institutions for s in i.services]


def home_institution(settings: Any) -> str:
    """Return the configured home institution (typed settings, or an older settings dict)."""
    home = getattr(settings, "home_institution", None)
    if home is None and isinstance(settings, dict):
        home = settings.get("HOME_INSTITUTION")
    return str(home or "wiq")


def wiqnet_ranker(directory: Directory, settings: Any = None) -> Ranker:
    """Return a ranker that runs wiqnet's search in-process with the configured settings."""
    config = settings if settings is not None else load_settings()

    def rank(text: str) -> list[Hit]:
        try:
            response = search(directory, SearchRequest(query=text, limit=K), config, now=NOW)
        except WiqnetError:
            return []
        return [(r.institution_id, r.service_id) for r in response.results]

    return rank


def fts5_ranker(directory: Directory) -> Ranker:
    """Return an SQLite FTS5 keyword baseline: tokens joined with OR, ranked by bm25."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE services USING fts5(institution_id UNINDEXED, "
        "service_id UNINDEXED, name, description, category, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    db.executemany(
        "INSERT INTO services VALUES (?, ?, ?, ?, ?)",
        [
            (i.id, s.id, f"{s.name} {i.name}", s.description, i.category or "")
            for i in directory.institutions
            for s in i.services
        ],
    )

    def rank(text: str) -> list[Hit]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = db.execute(
            "SELECT institution_id, service_id FROM services WHERE services "
            "MATCH ? ORDER BY bm25(services) LIMIT ?",
            (match, K),
        ).fetchall()
        return [(str(a), str(b)) for a, b in rows]

    return rank


def need_hit(directory: Directory, query: Query, hits: list[Hit]) -> bool:
    """Return whether a result serves one of a need-only query's needs (the dev-set rule)."""
    services = {s.id: s for i in directory.institutions for s in i.services}
    return any(set(services[s].needs) & set(query.any_needs) for _, s in hits if s in services)


def evaluate(
    queries: list[Query], ranker: Ranker, directory: Directory, home_id: str
) -> list[Outcome]:
    """Run every query through a ranker and score it."""
    catalogue = catalogue_of(directory)
    ideals: dict[str, float] = {}
    outcomes = []
    for query in queries:
        outcome = score(query, ranker(query.text), catalogue, home_id, ideals)
        if query.any_needs:
            outcome.lenient = need_hit(directory, query, outcome.hits)
            outcome.success = need_hit(
                directory, query, [h for h in outcome.hits if h[0] != home_id]
            )
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class Summary:
    """Rates over a set of outcomes."""

    n: int
    success: float
    lenient: float
    ndcg: float
    home_first: float
    no_result: float


def summarise(outcomes: list[Outcome]) -> Summary:
    """Return the mean rates of some outcomes."""
    n = len(outcomes)
    if not n:
        return Summary(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return Summary(
        n=n,
        success=sum(o.success for o in outcomes) / n,
        lenient=sum(o.lenient for o in outcomes) / n,
        ndcg=sum(o.ndcg for o in outcomes) / n,
        home_first=sum(o.home_first for o in outcomes) / n,
        no_result=sum(not o.hits for o in outcomes) / n,
    )


def unknown_ids(queries: list[Query], directory: Directory) -> list[str]:
    """Return judged keys that name no institution or match no service of the data."""
    catalogue = catalogue_of(directory)
    institutions = {i for i, _ in catalogue}
    missing = set()
    for query in queries:
        for part in query.parts:
            for key in part.grades:
                institution, _, glob = key.partition("/")
                if institution not in institutions or (
                    glob
                    and not any(
                        i == institution and fnmatchcase(s.removeprefix(i + "-"), glob)
                        for i, s in catalogue
                    )
                ):
                    missing.add(key)
    return sorted(missing)


def unanswerable(queries: list[Query], directory: Directory) -> list[str]:
    """Return the ids of queries with a part that no service of the data serves with grade 2."""
    catalogue = catalogue_of(directory)
    return [
        q.id
        for q in queries
        if q.parts and not all(any(p.grade(h) >= 2 for h in catalogue) for p in q.parts)
    ]
