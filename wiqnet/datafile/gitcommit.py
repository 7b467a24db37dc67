"""Commit each write of the data file to git, with the editor as author (GIT_COMMIT).

A commit that fails (no git, not a repository, a hook refuses, a timeout) is logged and
never undoes the write: the data file and its change log are already on disk.
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

from .history import HistoryEntry, history_path

log = logging.getLogger("wiqnet.history")
GIT_TIMEOUT = 30.0  # seconds for one git command


def _email(actor: str) -> str:
    """Return a made-up address for the account (git requires one; no mail goes there)."""
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", actor).strip("-.") or "wiqnet"
    return f"{local}@wiqnet.invalid"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one git command in folder; raise CalledProcessError, TimeoutExpired or OSError."""
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def message(entry: HistoryEntry) -> str:
    """Return the commit message of a write: action and institutions, then the reason."""
    ids = ", ".join(entry.ids[:5]) + (" …" if len(entry.ids) > 5 else "")
    head = f"wiqnet {entry.action}: {ids}" if ids else f"wiqnet {entry.action}"
    return f"{head}\n\n{entry.reason}" if entry.reason else head


def commit_write(path: str | Path, entry: HistoryEntry) -> bool:
    """Commit the data file and its change log as entry.actor; return whether it committed."""
    target = Path(path).resolve()
    folder = target.parent
    files = [target.name, history_path(target).name]
    who = f"{entry.actor} <{_email(entry.actor)}>"
    try:
        inside = _git(folder, "rev-parse", "--is-inside-work-tree").stdout.strip()
        if inside != "true":
            log.warning("GIT_COMMIT is on, but %s is not in a git work tree", folder)
            return False
        _git(folder, "add", "--", *files)
        _git(
            folder,
            "-c",
            f"user.name={entry.actor}",
            "-c",
            f"user.email={_email(entry.actor)}",
            "commit",
            "--quiet",
            f"--author={who}",
            "-m",
            message(entry),
            "--",
            *files,
        )
    except subprocess.CalledProcessError as exc:
        log.warning(
            "git commit of %s failed (the write is kept): %s",
            target,
            (exc.stderr or exc.stdout or "").strip() or exc,
        )
        return False
    except (subprocess.TimeoutExpired, OSError) as exc:
        log.warning("git commit of %s failed (the write is kept): %s", target, exc)
        return False
    return True
