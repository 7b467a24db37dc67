"""Suggestions from the public ("Änderung vorschlagen"), kept until an editor decides.

A suggestion names one institution and carries its proposed changes as a JSON payload
(whatever the web form collected), the sender's contact if they want an answer, and after
review who decided, how, when and why. Suggestions never enter the data file by
themselves: an accepted one is written through the one writer by the reviewer.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from ..errors import WiqnetError
from .db import StateDB

STATUSES = ("open", "accepted", "rejected")
MAX_PAYLOAD = 32_000  # characters of JSON; the web form's own limits are far below
MAX_CONTACT = 200
MAX_REASON = 1000


class SuggestionError(WiqnetError):
    """A suggestion is too big, unknown or already decided."""

    code = "suggestion"
    http_status = 400


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One stored suggestion."""

    id: int
    institution: str
    created: float
    status: str
    payload: dict[str, Any]
    contact: str
    reviewer: str | None
    reason: str | None
    decided: float | None


_COLUMNS = "id, institution, created, status, payload, contact, reviewer, reason, decided"


def _row(row: Any) -> Suggestion:
    """Return the suggestion of a database row."""
    return Suggestion(
        id=int(row[0]),
        institution=str(row[1]),
        created=float(row[2]),
        status=str(row[3]),
        payload=json.loads(row[4]),
        contact=str(row[5]),
        reviewer=row[6],
        reason=row[7],
        decided=row[8],
    )


def add_suggestion(
    db: StateDB,
    institution: str,
    payload: dict[str, Any],
    contact: str = "",
    now: float | None = None,
) -> int:
    """Store an open suggestion; return its number. Raise SuggestionError when too big."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_PAYLOAD or len(contact) > MAX_CONTACT or len(institution) > 200:
        raise SuggestionError(
            f"suggestion too big ({len(text)} characters; at most {MAX_PAYLOAD})",
            code="suggestion.too_big",
            size=len(text),
        )
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO suggestions (institution, created, payload, contact) VALUES (?, ?, ?, ?)",
            (institution, time.time() if now is None else now, text, contact),
        )
        return int(cursor.lastrowid or 0)


def get_suggestion(db: StateDB, number: int) -> Suggestion | None:
    """Return the suggestion with this number, or None."""
    conn = db.connect()
    try:
        row = conn.execute(f"SELECT {_COLUMNS} FROM suggestions WHERE id = ?", (number,)).fetchone()
    finally:
        conn.close()
    return _row(row) if row else None


def list_suggestions(
    db: StateDB, status: str = "open", limit: int = 100, offset: int = 0
) -> tuple[list[Suggestion], int]:
    """Return one page of suggestions with the status (oldest first) and how many there are."""
    if status not in STATUSES:
        raise SuggestionError(f"unknown status {status!r}", code="suggestion.status")
    order = "created, id" if status == "open" else "decided DESC, id DESC"
    conn = db.connect()
    try:
        total = conn.execute(
            "SELECT count(*) FROM suggestions WHERE status = ?", (status,)
        ).fetchone()[0]
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM suggestions WHERE status = ? ORDER BY {order} "
            "LIMIT ? OFFSET ?",
            (status, limit, offset),
        ).fetchall()
    finally:
        conn.close()
    return [_row(r) for r in rows], int(total)


def count_open(db: StateDB, institution: str | None = None) -> int:
    """Return how many suggestions wait for review (for one institution, or all)."""
    conn = db.connect()
    try:
        if institution is None:
            row = conn.execute("SELECT count(*) FROM suggestions WHERE status = 'open'")
        else:
            row = conn.execute(
                "SELECT count(*) FROM suggestions WHERE status = 'open' AND institution = ?",
                (institution,),
            )
        return int(row.fetchone()[0])
    finally:
        conn.close()


def decide(
    db: StateDB,
    number: int,
    status: str,
    reviewer: str,
    reason: str = "",
    now: float | None = None,
) -> bool:
    """Mark an open suggestion accepted or rejected; return False if it was not open."""
    if status not in ("accepted", "rejected"):
        raise SuggestionError(f"cannot decide to {status!r}", code="suggestion.status")
    if len(reason) > MAX_REASON:
        raise SuggestionError("reason too long", code="suggestion.too_big", size=len(reason))
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE suggestions SET status = ?, reviewer = ?, reason = ?, decided = ? "
            "WHERE id = ? AND status = 'open'",
            (status, reviewer, reason, time.time() if now is None else now, number),
        )
        return cursor.rowcount == 1
