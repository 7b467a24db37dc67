"""Open the state database (WAL mode, busy timeout) and keep its schema up to date."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import WiqnetError

DB_NAME = "wiqnet-state.sqlite3"
SECRET_NAME = "secret_key"
BUSY_TIMEOUT = 10.0
# Schema steps in order; PRAGMA user_version counts the ones applied. Append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL NOT NULL
    );
    CREATE INDEX sessions_account ON sessions (account);
    CREATE TABLE login_attempts (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        address TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_attempts_key ON login_attempts (account, address, at);
    CREATE INDEX login_attempts_at ON login_attempts (at);
    """,
    """
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        institution TEXT NOT NULL,
        created REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'accepted', 'rejected')),
        payload TEXT NOT NULL,
        contact TEXT NOT NULL DEFAULT '',
        reviewer TEXT,
        reason TEXT,
        decided REAL
    );
    CREATE INDEX suggestions_status ON suggestions (status, created);
    """,
)


class StateError(WiqnetError):
    """The state database cannot be opened or written."""

    code = "state"
    http_status = 503


class StateDB:
    """The state database file; each use opens a short-lived connection (fork- and thread-safe)."""

    def __init__(self, instance_dir: str | os.PathLike[str]) -> None:
        """Create the instance folder and the database if needed; apply schema steps."""
        folder = Path(instance_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"{folder}: cannot create the instance folder: {exc.strerror}", path=str(folder)
            ) from None
        self.path = folder / DB_NAME
        conn = self.connect()
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            raise StateError(
                f"{self.path}: cannot open the state database: {exc}", path=str(self.path)
            ) from None
        finally:
            conn.close()
        with self.transaction() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    def connect(self) -> sqlite3.Connection:
        """Open a connection in autocommit mode with the busy timeout."""
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(
                f"{self.path}: cannot open the state database: {exc}", path=str(self.path)
            ) from None
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection inside BEGIN IMMEDIATE; commit on success, roll back on error."""
        db = self.connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StateError(
                f"{self.path}: state database error: {exc}", path=str(self.path)
            ) from None
        finally:
            db.close()


def instance_secret(instance_dir: str | os.PathLike[str]) -> str:
    """Return the instance's persistent secret key, creating it (mode 0600) on first use."""
    path = Path(instance_dir) / SECRET_NAME
    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text(encoding="ascii").strip()
        if len(secret) >= 32:
            return secret
        raise StateError(
            f"{path}: the secret key is too short; delete the file to make a new one",
            path=str(path),
        ) from None
    secret = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret
