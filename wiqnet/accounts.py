"""Named accounts with roles and hashed passwords, kept in `accounts.json` in the instance folder.

Roles: "editor" (institutions, services, checks) and "coordinator" (everything, including
links and accounts). Passwords are stored as scrypt hashes in werkzeug's format
(`scrypt:N:r:p$salt$hex`); pbkdf2 hashes in werkzeug's format are read too.

Migration: when the old ADMIN_PASSWORD_HASH setting is set and no account named
"koordination" exists, that hash is the password of a coordinator account "koordination".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from .datafile.store import atomic_write_bytes
from .errors import NotFound, UsageError, WiqnetError

ACCOUNTS_NAME = "accounts.json"
ROLES = ("editor", "coordinator")
LEGACY_ACCOUNT = "koordination"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}\Z")
_SCRYPT = (2**15, 8, 1)


class AccountsFileError(WiqnetError):
    """The accounts file cannot be read."""

    code = "accounts_file"


@dataclass(frozen=True, slots=True)
class Account:
    """One account: its name, role and password hash."""

    name: str
    role: str
    password_hash: str
    created: str = ""

    def can(self, role: str) -> bool:
        """Return whether this account has at least the given role."""
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_password(password: str) -> str:
    """Return an scrypt hash of the password (werkzeug's format)."""
    n, r, p = _SCRYPT
    salt = secrets.token_urlsafe(12)
    digest = hashlib.scrypt(
        password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p, dklen=64
    )
    return f"scrypt:{n}:{r}:{p}${salt}${digest.hex()}"


def verify_password(stored: str, password: str) -> bool:
    """Return whether the password matches a stored scrypt or pbkdf2 hash."""
    try:
        method, salt, expected = stored.split("$", 2)
        kind, *args = method.split(":")
        raw = password.encode("utf-8", "replace")
        if kind == "scrypt":
            n, r, p = (int(a) for a in args)
            digest = hashlib.scrypt(
                raw, salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p, dklen=64
            ).hex()
        elif kind == "pbkdf2":
            name, rounds = args[0], int(args[1])
            digest = hashlib.pbkdf2_hmac(name, raw, salt.encode(), rounds).hex()
        else:
            return False
    except (ValueError, IndexError):
        return False
    return hmac.compare_digest(digest, expected)


def check_name(name: str) -> str:
    """Return the account name, or raise UsageError saying what a name may contain."""
    if not NAME_PATTERN.match(name):
        raise UsageError(
            f"invalid account name {name!r}: use 2-32 characters a-z, 0-9, '.', "
            "'_' or '-', starting with a letter or digit",
            code="account.name",
        )
    return name


def check_password(password: str) -> str:
    """Return the password, or raise UsageError when it is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"use at least {MIN_PASSWORD} characters", code="account.short_password")
    if len(password) > MAX_PASSWORD:
        raise UsageError(f"use at most {MAX_PASSWORD} characters", code="account.long_password")
    return password


class Accounts:
    """The accounts file of an instance folder (plus the legacy coordinator hash)."""

    def __init__(self, instance_dir: str | os.PathLike[str], legacy_hash: str = "") -> None:
        """Remember where the file is; nothing is read yet."""
        self.path = Path(instance_dir) / ACCOUNTS_NAME
        self.legacy_hash = legacy_hash
        self._cache: tuple[tuple[int, int, int], dict[str, Account]] | None = None

    def _read(self) -> dict[str, Account]:
        """Return the accounts in the file (re-read only when the file changed)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if self._cache is not None and self._cache[0] == stamp:
            return self._cache[1]
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
            found = {
                a["name"]: Account(a["name"], a["role"], a["password_hash"], a.get("created", ""))
                for a in raw["accounts"]
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AccountsFileError(
                f"{self.path}: not a valid accounts file ({exc}); restore it "
                f"from {self.path.name}.bak"
            ) from None
        self._cache = (stamp, found)
        return found

    def all(self) -> list[Account]:
        """Return every account, the legacy coordinator included, by name."""
        found = dict(self._read())
        if self.legacy_hash and LEGACY_ACCOUNT not in found:
            found[LEGACY_ACCOUNT] = Account(
                LEGACY_ACCOUNT, "coordinator", self.legacy_hash, "ADMIN_PASSWORD_HASH"
            )
        return sorted(found.values(), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        """Return the account of that name, or None."""
        return next((a for a in self.all() if a.name == name), None)

    def authenticate(self, name: str, password: str) -> Account | None:
        """Return the account when the password is right, else None."""
        account = self.get(name.strip())
        if account is None or not password or len(password) > MAX_PASSWORD:
            return None
        return account if verify_password(account.password_hash, password) else None

    def _write(self, accounts: dict[str, Account]) -> None:
        """Write the file atomically (mode 0600, previous version kept as .bak)."""
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            self.path.write_text('{"accounts": []}\n', encoding="utf-8")
        body = {"accounts": [asdict(a) for a in sorted(accounts.values(), key=lambda a: a.name)]}
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        atomic_write_bytes(self.path, text.encode("utf-8"))
        self._cache = None

    def _lock(self) -> FileLock:
        """Return the lock that serialises writers of the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=10)

    def add(self, name: str, role: str, password: str) -> Account:
        """Create an account; raise UsageError if the name exists or a value is invalid."""
        if role not in ROLES:
            raise UsageError(
                f"unknown role {role!r}: use one of {', '.join(ROLES)}", code="account.role"
            )
        check_name(name)
        check_password(password)
        with self._lock():
            accounts = dict(self._read())
            if name in accounts:
                raise UsageError(
                    f"account {name!r} exists already; use 'wiqnet user passwd'",
                    code="account.exists",
                )
            created = datetime.now(UTC).isoformat(timespec="seconds")
            accounts[name] = Account(name, role, hash_password(password), created)
            self._write(accounts)
        return accounts[name]

    def remove(self, name: str) -> None:
        """Delete an account; raise NotFound if there is none of that name in the file."""
        with self._lock():
            accounts = dict(self._read())
            if name not in accounts:
                raise NotFound(f"no account {name!r} in {self.path}", code="account.unknown")
            del accounts[name]
            self._write(accounts)

    def set_password(self, name: str, password: str) -> None:
        """Give an account a new password (the legacy account becomes a real one)."""
        check_password(password)
        with self._lock():
            accounts = dict(self._read())
            old = accounts.get(name) or (self.get(name) if name == LEGACY_ACCOUNT else None)
            if old is None:
                raise NotFound(f"no account {name!r} in {self.path}", code="account.unknown")
            created = (
                old.created if name in accounts else datetime.now(UTC).isoformat(timespec="seconds")
            )
            accounts[name] = Account(name, old.role, hash_password(password), created)
            self._write(accounts)
