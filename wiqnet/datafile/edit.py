"""The one place that edits the data file: comment-preserving, validated, locked and atomic.

Also the rules for recording and removing a cooperation link, once for the CLI and the web:
their errors carry a code and parameters (see errors.py) so each reader gets its own wording.
"""

from __future__ import annotations

import difflib
import io
import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from filelock import FileLock, Timeout
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from ..errors import (
    ConflictError,
    DataFileError,
    NotFound,
    UsageError,
    ValidationFailed,
)
from ..model import LINK_KINDS, Link, Source
from .gitcommit import commit_write
from .history import FieldChange, Journal, append_entry, diff, make_entry, snapshot
from .splice import Block, cut
from .store import (
    atomic_write_bytes,
    digest_bytes,
    parse_yaml,
    read_regular,
    remember_checked,
)

T = TypeVar("T")
log = logging.getLogger("wiqnet.history")


def round_trip_yaml() -> YAML:
    """Return a ruamel YAML instance configured for the data file's layout."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


_RESOLVE: Any = yaml.SafeLoader("").resolve  # how PyYAML (YAML 1.1) reads a plain scalar
_STR_TAG = "tag:yaml.org,2002:str"


def _quote_ambiguous(node: Any) -> None:
    """Quote strings that PyYAML would read as something else (e.g. '1:0' as 60, 'yes')."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, (dict, list)):
            _quote_ambiguous(value)
        elif (
            isinstance(value, str)
            and not isinstance(value, ScalarString)
            and _RESOLVE(yaml.ScalarNode, value, (True, False)) != _STR_TAG
        ):
            node[key] = SingleQuotedScalarString(value)


def dump_text(data: Any) -> str:
    """Serialise round-trip data to YAML text that PyYAML reads back the same."""
    _quote_ambiguous(data)
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()


def lock_for(path: str | os.PathLike[str]) -> FileLock:
    """Return the inter-process lock that guards writes to the file."""
    return FileLock(str(path) + ".lock", timeout=10)


def edit_data_file(
    path: str | os.PathLike[str],
    mutate: Callable[[Any], T],
    *,
    expected_digest: str | None = None,
    dry_run: bool = False,
    journal: Journal | None = None,
    only: str | None = None,
) -> tuple[T, str]:
    """Apply mutate() to the file's round-trip data, validate, and write it atomically.

    Returns mutate's result and the new text. Raises ConflictError when the file's
    digest is not expected_digest, or when it changes while we edit it. Each write is
    appended to the change log (see history.py) as the journal says (default: an edit
    from the command line), and committed to git when the journal asks for it.
    With `only` (an institution id; mutate touches nothing else) just that institution's
    block is round-tripped (see splice.py), which is much faster on a big file.
    """
    target = Path(path)
    try:
        with lock_for(target):
            return _edit(target, mutate, expected_digest, dry_run, journal or Journal("edit"), only)
    except Timeout:
        raise ConflictError(
            f"{target}: another wiqnet process is writing the file; try again in a moment"
        ) from None


def _edit(
    target: Path,
    mutate: Callable[[Any], T],
    expected_digest: str | None,
    dry_run: bool,
    journal: Journal,
    only: str | None = None,
) -> tuple[T, str]:
    """Do the edit under the lock (see edit_data_file)."""
    from .validate import validate_document

    raw = read_regular(target, str(target))
    before = digest_bytes(raw)
    if expected_digest is not None and before != expected_digest:
        raise ConflictError(
            f"{target}: the file was changed by someone else since you opened it; "
            "reload and make your change again"
        )
    block, data = _block(raw, only) if only is not None else (None, None)
    if data is None:
        try:
            data = round_trip_yaml().load(raw.decode("utf-8"))
        except (YAMLError, UnicodeDecodeError):
            parse_yaml(raw, str(target))  # raises the located DataFileError
            raise DataFileError(f"{target}: the file cannot be read for editing") from None
    before_data = snapshot(data)
    result = mutate(data)
    text = dump_text(data)
    if block is not None:
        joined = block.join(text)
        if joined is None:
            return _edit(target, mutate, expected_digest, dry_run, journal)
        text = joined
    doc = parse_yaml(text.encode("utf-8"), str(target))
    if block is not None and _institution_ids(doc.data) != list(block.ids):
        return _edit(target, mutate, expected_digest, dry_run, journal)
    problems = validate_document(doc)
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    unchanged = text.encode("utf-8") == raw
    if dry_run or (unchanged and not journal.log_unchanged):
        return result, text
    if digest_bytes(read_regular(target, str(target))) != before:
        raise ConflictError(
            f"{target}: the file was changed in an editor while wiqnet was writing; "
            "nothing was written, run the command again"
        )
    if not unchanged:
        atomic_write_bytes(target, text.encode("utf-8"))
        remember_checked(target, doc, problems)
    changes = diff(before_data, snapshot(data))
    if changes or journal.log_unchanged:
        _record(target, journal, changes)
    return result, text


def _block(raw: bytes, inst_id: str) -> tuple[Block | None, Any]:
    """Return the institution's block and its round-trip data, or (None, None) if unsure."""
    try:
        block = cut(raw.decode("utf-8"), inst_id)
        if block is None:
            return None, None
        data = round_trip_yaml().load(block.document)
        if dump_text(data) != block.document:
            return None, None
    except (YAMLError, UnicodeDecodeError):
        return None, None
    return block, data


def _institution_ids(data: Any) -> list[str]:
    """Return the ids of the plain data's institutions in file order."""
    items = data.get("institutions") if isinstance(data, dict) else None
    return [str(i.get("id")) for i in items or [] if isinstance(i, dict)]


def _record(target: Path, journal: Journal, changes: list[FieldChange]) -> None:
    """Append the write to the change log and, if asked, commit it; never undo the write."""
    entry = make_entry(journal, changes)
    try:
        append_entry(target, entry)
    except OSError as exc:
        log.error(
            "%s: the change was saved, but the change log could not be written: %s", target, exc
        )
    if journal.git_commit:
        commit_write(target, entry)


def _ids(data: Any) -> list[str]:
    """Return the institution ids of the round-trip data."""
    return [
        str(inst.get("id")) for inst in data.get("institutions") or [] if isinstance(inst, dict)
    ]


def _check_id(value: str, ids: list[str], role: str) -> None:
    """Raise NotFound with a did-you-mean hint unless the id exists."""
    if value in ids:
        return
    close = difflib.get_close_matches(value, ids, n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(repr(c) for c in close)}?"
        if close
        else ("; check the id in the data file")
    )
    raise NotFound(
        f"{role} institution '{value}' does not exist{hint}",
        code="link.unknown_institution",
        role=role,
        id=value,
        close=close,
    )


def check_kind(kind: str) -> None:
    """Raise UsageError unless kind is a known link kind."""
    if kind not in LINK_KINDS:
        close = difflib.get_close_matches(kind, list(LINK_KINDS), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(
            f"unknown link kind '{kind}'; {hint}known kinds: {', '.join(LINK_KINDS)}",
            code="link.unknown_kind",
            kind=kind,
            close=close,
        )


def check_link(link: Link) -> None:
    """Raise UsageError unless the link itself is sound: known kind, two ends, dates in order."""
    check_kind(link.kind)
    if link.source_id == link.target_id:
        raise UsageError(
            f"a link needs two different institutions, not '{link.source_id}' twice",
            code="link.same_institution",
            id=link.source_id,
        )
    if link.since and link.until and link.until < link.since:
        raise UsageError(
            f"--until {link.until} lies before --since {link.since}",
            code="link.until_before_since",
            since=link.since,
            until=link.until,
        )


def link_source(reference: str, day: date | None, today: date) -> Source:
    """Return the source a person named for a link: a URL or a document, with its date.

    Without the source's own date, the day of recording stands in, marked as estimated.
    """
    text = reference.strip()
    url = text if text.startswith(("http://", "https://")) else None
    return Source(
        date=day or today,
        url=url,
        file=None if url else text,
        date_estimated=day is None,
        supports=("cooperation",),
        note=None if day else "Datum der Eintragung",
    )


def _same_pair(raw: Any, source_id: str, target_id: str, kind: str | None) -> bool:
    """Return whether a raw link joins the pair (in either order if undirected)."""
    if not isinstance(raw, dict) or (kind is not None and raw.get("kind") != kind):
        return False
    pair = (str(raw.get("from")), str(raw.get("to")))
    if pair == (source_id, target_id):
        return True
    undirected = not LINK_KINDS.get(str(raw.get("kind")), False)
    return undirected and pair == (target_id, source_id)


def add_link(
    path: str | os.PathLike[str],
    link: Link,
    *,
    expected_digest: str | None = None,
    actor: str = "cli",
    reason: str = "",
    git_commit: bool = False,
) -> Link:
    """Append a link to the file's `links:`; refuse unknown ids or kinds and duplicates."""
    check_link(link)

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
                raise UsageError(
                    f"the link {link.describe()} is already recorded; "
                    "'wiqnet link remove' first to change it",
                    code="link.duplicate",
                    link=link.describe(),
                )
        if not link.sources:
            raise UsageError(
                "name the source of this cooperation with --source: a URL or a "
                "document, e.g. 'Protokoll Netzwerktreffen 2026-11-20'",
                code="link.no_source",
            )
        entry = CommentedMap()
        entry["from"] = link.source_id
        entry["to"] = link.target_id
        entry["kind"] = link.kind
        for key, value in (("note", link.note), ("since", link.since), ("until", link.until)):
            if value not in (None, ""):
                entry[key] = value
        entry["sources"] = [  # each date its own object: no YAML anchor
            {**source.as_dict(), "date": date.fromordinal(source.date.toordinal())}
            for source in link.sources
        ]
        entry.fa.set_flow_style()
        links.append(entry)
        return link

    journal = Journal("link-add", actor, reason, git_commit=git_commit)
    result, _ = edit_data_file(path, mutate, expected_digest=expected_digest, journal=journal)
    return result


def remove_link(
    path: str | os.PathLike[str],
    source_id: str,
    target_id: str,
    kind: str | None = None,
    *,
    expected_digest: str | None = None,
    actor: str = "cli",
    reason: str = "",
    git_commit: bool = False,
) -> list[Link]:
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
            raise NotFound(
                f"no link{what} between '{source_id}' and '{target_id}' is recorded",
                code="link.not_recorded",
                source=source_id,
                target=target_id,
                kind=kind,
            )
        removed = [
            Link(str(links[i]["from"]), str(links[i]["to"]), str(links[i]["kind"])) for i in doomed
        ]
        for i in reversed(doomed):
            del links[i]
        return removed

    journal = Journal("link-remove", actor, reason, git_commit=git_commit)
    result, _ = edit_data_file(path, mutate, expected_digest=expected_digest, journal=journal)
    return result
