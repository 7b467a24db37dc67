"""Edit one institution's record through the one writer: set fields, add, retire.

Changes are given as data paths relative to the institution (`phone`, `address.street`,
`services[0].cost`, `sources[1].date`) mapped to new values; None or "" removes the field.
Everything else in the record, comments and layout included, stays as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import NotFound, UsageError
from .edit import edit_data_file
from .history import Journal

_PART = re.compile(r"([a-z_]+)((?:\[\d+\])*)")
Path_ = list[str | int]


def parse_path(text: str) -> Path_:
    """Split `services[0].cost` into ['services', 0, 'cost']; raise UsageError if malformed."""
    parts: Path_ = []
    for piece in text.split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            raise UsageError(f"not a field path: {text!r}", code="record.path", path=text)
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return parts


def find_record(data: Any, inst_id: str) -> CommentedMap:
    """Return the institution's round-trip mapping, or raise NotFound."""
    for inst in data.get("institutions") or []:
        if isinstance(inst, dict) and str(inst.get("id")) == inst_id:
            return inst  # type: ignore[return-value]
    raise NotFound(f"no institution with id {inst_id!r}", code="record.unknown", id=inst_id)


def _empty(value: Any) -> bool:
    """Return whether a value means "remove the field"."""
    return value is None or value == "" or value == [] or value == {}


def _set(node: Any, path: Path_, value: Any) -> None:
    """Set (or with an empty value remove) the value at path, creating mappings/lists."""
    head, rest = path[0], path[1:]
    if not rest:
        if isinstance(head, int):
            while len(node) <= head:
                node.append(None)
            node[head] = value
        elif _empty(value):
            node.pop(head, None)
        else:
            node[head] = value
        return
    if isinstance(head, int):
        while len(node) <= head:
            node.append(CommentedMap())
        child = node[head]
    else:
        child = node.get(head)
        if child is None:
            if _empty(value):
                return
            child = CommentedSeq() if isinstance(rest[0], int) else CommentedMap()
            node[head] = child
    _set(child, rest, value)
    if isinstance(child, dict) and not child and not isinstance(head, int):
        node.pop(head, None)


def _drop_empty_items(inst: CommentedMap) -> None:
    """Remove list items that became empty mappings (a cleared source row)."""
    for key in ("sources", "services"):
        items = inst.get(key)
        if isinstance(items, list):
            for index in reversed(range(len(items))):
                if isinstance(items[index], dict) and not items[index]:
                    del items[index]


def update_institution(
    path: str | os.PathLike[str],
    inst_id: str,
    changes: Mapping[str, Any],
    *,
    expected_digest: str | None,
    actor: str = "cli",
    reason: str = "",
    git_commit: bool = False,
    action: str = "edit",
) -> str:
    """Apply the changes to one institution; return the file's new text (validated, atomic).

    The action names the write in the change log: "edit", "retire" or "suggestion-accepted".
    """
    parsed = [(parse_path(key), value) for key, value in changes.items()]

    def mutate(data: Any) -> None:
        """Set every changed field of the institution."""
        inst = find_record(data, inst_id)
        for where, value in parsed:
            _set(inst, where, value)
        _drop_empty_items(inst)

    journal = Journal(action, actor, reason, git_commit=git_commit, subject=inst_id)
    return edit_data_file(
        path, mutate, expected_digest=expected_digest, journal=journal, only=inst_id
    )[1]


def add_institution(
    path: str | os.PathLike[str],
    record: Mapping[str, Any],
    *,
    expected_digest: str | None,
    actor: str = "cli",
    reason: str = "",
    git_commit: bool = False,
) -> str:
    """Append a new institution; return the file's new text. Raise UsageError on a taken id."""

    def mutate(data: Any) -> None:
        """Append the record, unless its id is taken."""
        institutions = data.get("institutions")
        if any(str(i.get("id")) == record["id"] for i in institutions or []):
            raise UsageError(
                f"the id {record['id']!r} is taken", code="record.id_taken", id=record["id"]
            )
        new = CommentedMap()
        for key, value in record.items():
            _set(new, [key], value)
        institutions.append(new)

    journal = Journal("add", actor, reason, git_commit=git_commit, subject=str(record["id"]))
    return edit_data_file(path, mutate, expected_digest=expected_digest, journal=journal)[1]


def retire_institution(
    path: str | os.PathLike[str],
    inst_id: str,
    *,
    expected_digest: str | None,
    actor: str = "cli",
    reason: str = "",
    git_commit: bool = False,
) -> str:
    """Mark an institution as no longer active (status: inactive); the record stays."""
    return update_institution(
        path,
        inst_id,
        {"status": "inactive"},
        expected_digest=expected_digest,
        actor=actor,
        reason=reason,
        git_commit=git_commit,
        action="retire",
    )
