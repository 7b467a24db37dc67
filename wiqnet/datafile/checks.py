"""Record a check (Prüfung) of an institution through the one writer.

A check says on which day and how someone made sure the record is still true. It moves
`verified` forward (never back) and is logged in the change log as a `check` entry with
its method and note, even when `verified` already had that day.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..errors import UsageError
from ..model import CHECK_METHODS
from .edit import edit_data_file
from .history import Journal
from .records import find_record

MAX_CHECK_NOTE = 500


def _as_date(value: Any) -> date | None:
    """Return a stored `verified` value as a date (None if absent or unreadable)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _set_verified(inst: CommentedMap, day: date) -> None:
    """Set `verified` to day, placing a new key after `sources` like the importer does."""
    if "verified" in inst:
        inst["verified"] = day
        return
    keys = list(inst.keys())
    at = keys.index("sources") + 1 if "sources" in keys else len(keys)
    inst.insert(at, "verified", day)


def _problem(method: str, on: date, note: str, today: date) -> UsageError | None:
    """Return what is wrong with a check (unknown method, future day, long note), or None."""
    if method not in CHECK_METHODS:
        return UsageError(
            f"unknown check method {method!r}; one of {', '.join(CHECK_METHODS)}",
            code="check.method",
            method=method,
        )
    if on > today:  # as `wiqnet validate` sees it
        return UsageError(
            f"the check date {on} lies in the future; give the day it was made",
            code="check.future",
            on=on,
        )
    if len(note) > MAX_CHECK_NOTE:
        return UsageError(
            f"the note has {len(note)} characters; at most {MAX_CHECK_NOTE} are allowed",
            code="check.note_too_long",
            limit=MAX_CHECK_NOTE,
        )
    return None


def record_check(
    path: str | os.PathLike[str],
    inst_id: str,
    *,
    on: date | None = None,
    method: str,
    note: str = "",
    actor: str = "cli",
    git_commit: bool = False,
    expected_digest: str | None = None,
) -> date:
    """Record a check of one institution (default: today); return its `verified` afterwards."""
    today = date.today()
    day = on or today
    problem = _problem(method, day, note.strip(), today)
    if problem is not None:
        raise problem

    def mutate(data: Any) -> date:
        """Move the institution's `verified` forward to the day of the check."""
        inst = find_record(data, inst_id)
        current = _as_date(inst.get("verified"))
        if current is None or day > current:
            _set_verified(inst, day)
            return day
        return current

    journal = Journal(
        "check",
        actor,
        note.strip(),
        details={"method": method, "on": day.isoformat()},
        git_commit=git_commit,
        subject=inst_id,
        log_unchanged=True,
    )
    return edit_data_file(
        path, mutate, expected_digest=expected_digest, journal=journal, only=inst_id
    )[0]
