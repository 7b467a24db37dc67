"""The change log: one JSON line per write of the data file, appended, never rewritten.

The log lives next to the data file as `<data file name>.history.jsonl`. Each line says
when, who (an account name, or "cli", "import", "geocoder"), which action, the
institutions concerned, every changed field before and after (dotted paths such as
`address.street` or `services[0].cost`; links as whole records under the field `links`)
and why. The writer (`edit.edit_data_file`) computes the changes itself, so every
caller is logged. With `git_commit` a write is also committed when the data folder is a
git repository (see `gitcommit`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model import Link

log = logging.getLogger("wiqnet.history")

ACTIONS = (
    "edit",
    "add",
    "retire",
    "check",
    "link-add",
    "link-remove",
    "suggestion-accepted",
    "import",
    "geocode",
)
LINKS = "links"  # the field name of a link change
LinkKey = tuple[str, str, str]  # (from, to, kind)
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class Journal:
    """Who makes a write and why: what the writer records in the change log."""

    action: str
    actor: str = "cli"
    reason: str = ""
    details: Mapping[str, str] = field(default_factory=dict)
    git_commit: bool = False
    subject: str = ""  # the institution a write is about, named even when nothing changed
    log_unchanged: bool = False  # a check is logged even when `verified` stays the same

    def __post_init__(self) -> None:
        """Refuse an unknown action, an empty actor or an overlong reason."""
        if self.action not in ACTIONS:
            raise UsageError(f"unknown history action {self.action!r}; one of {ACTIONS}")
        if not self.actor.strip():
            raise UsageError("a write needs an actor: an account name or 'cli'")
        if len(self.reason) > MAX_REASON:
            raise UsageError(f"the reason is longer than {MAX_REASON} characters; shorten it")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed field of one institution (or one link, under the field `links`)."""

    inst_id: str
    field: str
    before: Any
    after: Any

    def concerns(self, inst_id: str) -> bool:
        """Return whether the change is about the institution (a link: either end)."""
        if self.inst_id == inst_id:
            return True
        if self.field != LINKS:
            return False
        ends = [(v or {}).get(k) for v in (self.before, self.after) for k in ("from", "to")]
        return inst_id in ends


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One write of the data file as the change log holds it."""

    time: datetime
    actor: str
    action: str
    ids: tuple[str, ...]
    changes: tuple[FieldChange, ...]
    reason: str = ""
    details: Mapping[str, str] = field(default_factory=dict)

    def changes_for(self, inst_id: str) -> tuple[FieldChange, ...]:
        """Return the changes that concern one institution."""
        return tuple(c for c in self.changes if c.concerns(inst_id))

    def as_dict(self) -> dict[str, Any]:
        """Return the entry as one JSON-ready mapping (a line of the log)."""
        return {
            "time": self.time.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "actor": self.actor,
            "action": self.action,
            "ids": list(self.ids),
            "changes": [
                {"id": c.inst_id, "field": c.field, "before": c.before, "after": c.after}
                for c in self.changes
            ],
            "reason": self.reason,
            "details": dict(self.details),
        }


def history_path(path: str | os.PathLike[str]) -> Path:
    """Return the change log's path: `<data file name>.history.jsonl` beside the data file."""
    target = Path(path)
    return target.with_name(target.name + ".history.jsonl")


def plain(value: Any) -> Any:
    """Return round-trip YAML data as plain JSON values (dates as ISO text)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def snapshot(data: Any) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    """Return the institutions by id and the links by (from, to, kind), as plain data."""
    institutions = {
        str(inst.get("id")): plain(inst)
        for inst in data.get("institutions") or []
        if isinstance(inst, Mapping)
    }
    links = {
        (str(raw.get("from")), str(raw.get("to")), str(raw.get("kind"))): plain(raw)
        for raw in data.get("links") or []
        if isinstance(raw, Mapping)
    }
    return institutions, links


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted path, leaf value); lists of mappings are entered with [i]."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def diff(
    before: tuple[dict[str, Any], dict[tuple[str, str, str], Any]],
    after: tuple[dict[str, Any], dict[tuple[str, str, str], Any]],
) -> list[FieldChange]:
    """Return every changed field of every institution, and every added/removed/changed link."""
    changes: list[FieldChange] = []
    old_inst, old_links = before
    new_inst, new_links = after
    for inst_id in dict.fromkeys([*old_inst, *new_inst]):
        old = dict(_flatten(old_inst.get(inst_id, {})))
        new = dict(_flatten(new_inst.get(inst_id, {})))
        old.pop("", None)
        new.pop("", None)
        for name in dict.fromkeys([*old, *new]):
            if old.get(name) != new.get(name):
                changes.append(FieldChange(inst_id, name, old.get(name), new.get(name)))
    for key in dict.fromkeys([*old_links, *new_links]):
        if old_links.get(key) != new_links.get(key):
            changes.append(FieldChange(key[0], LINKS, old_links.get(key), new_links.get(key)))
    return changes


def _ids(changes: list[FieldChange]) -> tuple[str, ...]:
    """Return the institutions the changes concern (both ends of a link), in order."""
    ids: dict[str, None] = {}
    for change in changes:
        ids[change.inst_id] = None
        if change.field == LINKS:
            for value in (change.before, change.after):
                if value:
                    ids[str(value.get("from"))] = None
                    ids[str(value.get("to"))] = None
    return tuple(ids)


def make_entry(journal: Journal, changes: list[FieldChange]) -> HistoryEntry:
    """Return the log entry for a write made now."""
    ids = _ids(changes) or ((journal.subject,) if journal.subject else ())
    return HistoryEntry(
        time=datetime.now(UTC).replace(microsecond=0),
        actor=journal.actor,
        action=journal.action,
        ids=ids,
        changes=tuple(changes),
        reason=journal.reason,
        details=dict(journal.details),
    )


def append_entry(path: str | os.PathLike[str], entry: HistoryEntry) -> None:
    """Append one entry to the data file's change log, flushed and synced to disk."""
    line = json.dumps(entry.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
    with history_path(path).open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _entry(raw: Any) -> HistoryEntry:
    """Return an entry read from one line of the log; raise KeyError/ValueError if malformed."""
    return HistoryEntry(
        time=datetime.fromisoformat(str(raw["time"]).replace("Z", "+00:00")),
        actor=str(raw["actor"]),
        action=str(raw["action"]),
        ids=tuple(str(i) for i in raw["ids"]),
        changes=tuple(
            FieldChange(str(c["id"]), str(c["field"]), c.get("before"), c.get("after"))
            for c in raw.get("changes") or []
        ),
        reason=str(raw.get("reason") or ""),
        details={str(k): str(v) for k, v in (raw.get("details") or {}).items()},
    )


def history(path: str | os.PathLike[str], inst_id: str | None = None) -> list[HistoryEntry]:
    """Return the change log of the data file (or of one institution), oldest first.

    A damaged line (a write cut off by a crash) is skipped with a warning in the log.
    """
    target = history_path(path)
    try:
        handle = target.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    entries: list[HistoryEntry] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = _entry(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("%s:%d: damaged history line skipped", target, number)
                continue
            if inst_id is None or inst_id in entry.ids:
                entries.append(entry)
    return entries


@dataclass(frozen=True, slots=True)
class LoggedLink:
    """A link as the change log saw it: when it was added and when removed (if it was)."""

    link: Link
    added: date | None = None
    removed: date | None = None


def logged_links(path: str | os.PathLike[str]) -> dict[LinkKey, LoggedLink]:
    """Return every link the change log saw added or removed, by (from, to, kind).

    A link added again after its removal counts from the new day.
    """
    from .load import link_from_raw

    found: dict[LinkKey, LoggedLink] = {}
    for entry in history(path):
        day = entry.time.date()
        for change in entry.changes:
            raw = change.after or change.before
            if change.field != LINKS or not isinstance(raw, dict):
                continue
            key = (str(raw.get("from")), str(raw.get("to")), str(raw.get("kind")))
            if change.before is None:
                found[key] = LoggedLink(link_from_raw(raw), added=day)
            elif change.after is None:
                old = found.get(key)
                found[key] = LoggedLink(link_from_raw(raw), old.added if old else None, day)
    return found
