"""Situations: a query that names several needs gets the best services for each, labelled."""

from __future__ import annotations

import re

import numpy as np

from ..topics import all_topics, topic_label, topic_order
from .analysis import tokens
from .index import BoolArray, SearchIndex
from .query import Understood
from .rank import Criteria, Scored, rank

# A part of a situation counts when its words give at least half a topic.
PART_SCORE = 0.5
# A situation is told in several words, or joins its parts ("Schulden und Kita").
SITUATION_WORDS = 5
# In one part, the topics of the other parts count this much (relative to the part's own):
# one service for two needs is one way less for the family.
ALSO = 0.5
# The results of one part of a situation, each with the part's label.
Column = list[tuple[Scored, str | None]]
_JOINED = re.compile(r"[,;+/&]|\b(?:und|sowie|auch|and|also|ve|ayrıca|hem)\b|\sو", re.IGNORECASE)


def situation(understood: Understood, index: SearchIndex) -> list[list[str]]:
    """Return the topics of a query that names several needs, one list per need; else [].

    Topics are grouped by their home need, strongest first, and a need's topics split
    into the asks they make (see `_asks`); an ask whose words all belong to an earlier
    part (one word naming two topics) joins that part.
    A situation is told in several words or joins its parts; when one service is
    about every part ("Treffpunkt für Senioren"), the query asks for that one thing.
    """
    topics = all_topics()
    by_need: dict[str, list[str]] = {}
    scores = understood.topic_scores
    order = topic_order()  # ties: the contract's order
    strong = [key for key in scores if scores[key] >= PART_SCORE]
    if len(strong) < 2:  # one topic is one need
        return []
    for key in sorted(strong, key=lambda k: (-scores[k], order[k])):
        by_need.setdefault(topics[key].needs[0], []).append(key)
    parts: list[list[str]] = []
    words: list[set[int]] = []
    for keys in (ask for group in by_need.values() for ask in _asks(group, understood, index)):
        positions = set().union(*(understood.topic_words[k] for k in keys))
        if positions - set().union(*words):
            parts.append(list(keys))
            words.append(positions)
        else:  # the same words name this need too ("aggressiv"): one part asks for both
            parts[next(n for n, own in enumerate(words) if own & positions)] += keys
    if len(parts) < 2:
        return []
    joined = bool(_JOINED.search(understood.text))
    told = joined or len(tokens(understood.text)) >= SITUATION_WORDS
    if not told or (not joined and _one_service_for_all(parts, index)):
        return []
    return parts


def _asks(keys: list[str], understood: Understood, index: SearchIndex) -> list[list[str]]:
    """Split the topics of one need into the asks they make, strongest first.

    Topics ask one thing when their words touch or one service is about both
    ("streiten" and "trennen"); else each is an ask ("Schulessen", "Briefe vom Jobcenter").
    """
    asks: list[list[str]] = []
    for key in keys:
        positions = understood.topic_words[key]
        joins = next(
            (
                ask
                for ask in asks
                if any(positions & understood.topic_words[k] for k in ask)
                or _answered_together(key, ask, index)
            ),
            None,
        )
        if joins is None:
            asks.append([key])
        else:
            joins.append(key)
    return asks


def _primary(index: SearchIndex) -> BoolArray:
    """Return (cached on the index) which topics each service is about (not only mentions)."""
    return index.derived(("primary topics",), lambda: index.features.topics >= 1.0)


def _answered_together(topic: str, keys: list[str], index: SearchIndex) -> bool:
    """Return whether some service is about a topic and about one of some other topics."""
    features = index.features
    primary = _primary(index)
    own = primary[:, features.topic_column[topic]]
    others = primary[:, [features.topic_column[k] for k in keys]].any(axis=1)
    return bool((own & others).any())


def _one_service_for_all(parts: list[list[str]], index: SearchIndex) -> bool:
    """Return whether some service is about (not only mentions) a topic of every part."""
    features = index.features
    primary = _primary(index)
    covered = np.ones(len(index.entries), dtype=np.bool_)
    for keys in parts:
        covered &= primary[:, [features.topic_column[k] for k in keys]].any(axis=1)
    return bool(covered.any())


def _part(understood: Understood, keys: list[str], parts: list[list[str]]) -> Understood:
    """Return one part of a situation; a service also about another part ranks higher in it."""
    part = understood.only(keys)
    best = max(part.topic_scores.values())
    for other in parts:
        if other is not keys:
            for key in other:
                part.topic_scores[key] = ALSO * best
    return part


def _answers(scored: Scored, keys: list[str]) -> bool:
    """Return whether a result answers a part itself: by its topic, else by its need alone.

    A result that only offers another part's topic, or that shares neither topic nor need
    (a word of the story in its text), answers another part or none.
    """
    if scored.topics:
        return bool(set(scored.topics) & set(keys))
    return bool(scored.needs)


def ranked(
    index: SearchIndex,
    understood: Understood,
    criteria: Criteria,
    parts: list[list[str]],
    limit: int,
    lang: str,
) -> tuple[list[tuple[Scored, str | None]], int]:
    """Rank the whole query, or each part of a situation (the best of every part first)."""
    if not parts:
        found, total = rank(index, understood, criteria, limit)
        return [(s, None) for s in found], total
    share = max(1, limit // len(parts))
    columns: list[Column] = []
    total = 0
    seen: set[str] = set()
    for keys in parts:
        found, count = rank(index, _part(understood, keys, parts), criteria, share + len(seen))
        total += count
        label = topic_label(keys[0], lang)
        fresh = [s for s in found if s.entry.service.id not in seen and _answers(s, keys)][:share]
        seen.update(s.entry.service.id for s in fresh)
        columns.append([(s, label) for s in fresh])
    columns = _covering_first(columns, parts)
    ordered = [column[row] for row in range(share) for column in columns if row < len(column)]
    return ordered[:limit], total


def _covering_first(columns: list[Column], parts: list[list[str]]) -> list[Column]:
    """Order the parts' answers: the fewest best answers that serve every part, surest first.

    A best answer also about another part's topic serves that part too (one way less
    for the family), so when not every part fits, the parts still go unanswered last.
    """
    covers = [
        {n for n, keys in enumerate(parts) if column and column[0][0].entry.primary & set(keys)}
        | ({number} if column else set())
        for number, column in enumerate(columns)
    ]

    def surest(number: int) -> float:
        return -columns[number][0][0].score if columns[number] else 0.0

    served: set[int] = set()
    chosen: list[int] = []
    rest = list(range(len(columns)))
    while rest:
        best = max(rest, key=lambda n: (len(covers[n] - served), -surest(n)))
        if not covers[best] - served:
            break
        chosen.append(best)
        served |= covers[best]
        rest.remove(best)
    return [columns[n] for n in sorted(chosen, key=surest) + sorted(rest, key=surest)]
