"""Record and remove cooperation links in the data file (via edit: validated, locked, atomic)."""

from __future__ import annotations

import difflib
import os
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import NotFound, UsageError
from ..model import LINK_KINDS, Link, Source
from .edit import edit_data_file


def _ids(data: Any) -> list[str]:
    """Return the institution ids of the round-trip data."""
    return [str(inst.get("id")) for inst in data.get("institutions") or []
            if isinstance(inst, dict)]


def _check_id(value: str, ids: list[str], role: str) -> None:
    """Raise NotFound with a did-you-mean hint unless the id exists."""
    if value in ids:
        return
    close = difflib.get_close_matches(value, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else (
        "; check the id in the data file")
    raise NotFound(f"{role} institution '{value}' does not exist{hint}")


def link_source(reference: str, day: date | None, today: date) -> Source:
    """Return the source a person named for a link: a URL or a document, with its date.

    Without the source's own date, the day of recording stands in, marked as estimated.
    """
    text = reference.strip()
    url = text if text.startswith(("http://", "https://")) else None
    return Source(date=day or today, url=url, file=None if url else text,
                  date_estimated=day is None, supports=("cooperation",),
                  note=None if day else "Datum der Eintragung")


def check_kind(kind: str) -> None:
    """Raise UsageError unless kind is a known link kind."""
    if kind not in LINK_KINDS:
        close = difflib.get_close_matches(kind, list(LINK_KINDS), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(f"unknown link kind '{kind}'; {hint}known kinds: {', '.join(LINK_KINDS)}")


def _same_pair(raw: Any, source_id: str, target_id: str, kind: str | None) -> bool:
    """Return whether a raw link joins the pair (in either order if undirected)."""
    if not isinstance(raw, dict) or (kind is not None and raw.get("kind") != kind):
        return False
    pair = (str(raw.get("from")), str(raw.get("to")))
    if pair == (source_id, target_id):
        return True
    undirected = not LINK_KINDS.get(str(raw.get("kind")), False)
    return undirected and pair == (target_id, source_id)


def add_link(path: str | os.PathLike[str], link: Link, *,
             expected_digest: str | None = None) -> Link:
    """Append a link to the file's `links:`; refuse unknown ids or kinds and duplicates."""
    check_kind(link.kind)
    if link.source_id == link.target_id:
        raise UsageError(f"a link needs two different institutions, not '{link.source_id}' twice")
    if link.since and link.until and link.until < link.since:
        raise UsageError(f"--until {link.until} lies before --since {link.since}")

    def mutate(data: Any) -> Link:
        """Change the round-trip data in place; return what was done."""
        ids = _ids(data)
        _check_id(link.source_id, ids, "FROM")
        _check_id(link.target_id, ids, "TO")
        links = data.get("links")
        if links is None:
            links = CommentedSeq()
            data["links"] = links
        for raw in links:
            if _same_pair(raw, link.source_id, link.target_id, link.kind):
                raise UsageError(f"the link {link.describe()} is already recorded; "
                                 "'wiqnet link remove' first to change it")
        if not link.sources:
            raise UsageError("name the source of this cooperation with --source: a URL or a "
                             "document, e.g. 'Protokoll Netzwerktreffen 2026-11-20'")
        entry = CommentedMap()
        entry["from"] = link.source_id
        entry["to"] = link.target_id
        entry["kind"] = link.kind
        for key, value in (("note", link.note), ("since", link.since), ("until", link.until)):
            if value not in (None, ""):
                entry[key] = value
        entry["sources"] = [  # each date its own object: no YAML anchor
            {**source.as_dict(), "date": date.fromordinal(source.date.toordinal())}
            for source in link.sources]
        entry.fa.set_flow_style()
        links.append(entry)
        return link

    result, _ = edit_data_file(path, mutate, expected_digest=expected_digest)
    return result


def remove_link(path: str | os.PathLike[str], source_id: str, target_id: str,
                kind: str | None = None, *,
                expected_digest: str | None = None) -> list[Link]:
    """Remove the links from → to (every kind, or only `kind`); return what was removed.

    Links of an undirected kind match in either order.
    """
    if kind is not None:
        check_kind(kind)

    def mutate(data: Any) -> list[Link]:
        """Change the round-trip data in place; return what was done."""
        ids = _ids(data)
        _check_id(source_id, ids, "FROM")
        _check_id(target_id, ids, "TO")
        links = data.get("links") or []
        doomed = [i for i, raw in enumerate(links) if _same_pair(raw, source_id, target_id, kind)]
        if not doomed:
            what = f" of kind '{kind}'" if kind else ""
            raise NotFound(f"no link{what} between '{source_id}' and '{target_id}' is recorded")
        removed = [Link(str(links[i]["from"]), str(links[i]["to"]), str(links[i]["kind"]))
                   for i in doomed]
        for i in reversed(doomed):
            del links[i]
        return removed

    result, _ = edit_data_file(path, mutate, expected_digest=expected_digest)
    return result
