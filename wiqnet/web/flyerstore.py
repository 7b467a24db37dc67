"""Printed flyers on disk and the one printer of the machine, shared by every server process.

Both live in the instance folder under `flyers/`: the PDFs of one data file (by its digest) in
a folder of their own, and `print.lock`, which one process at a time holds (`fcntl.flock`)
while it prints. The kernel releases the lock when the print ends or its process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from ..datafile import atomic_write_bytes

LOCK_NAME = "print.lock"


class FlyerStore:
    """The flyers printed for one data file, at most limit of them (the oldest go first)."""

    def __init__(self, root: Path, digest: str, limit: int) -> None:
        """Keep the flyers under root/<digest>/."""
        self.root = root
        self.folder = root / (digest[:16] or "undated")
        self.limit = limit

    def path(self, key: str) -> Path:
        """Return the file for the flyer cached under key."""
        return self.folder / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".pdf")

    def has(self, key: str) -> bool:
        """Tell whether a flyer is cached under key."""
        return self.path(key).is_file()

    def read(self, key: str) -> bytes | None:
        """Return the flyer cached under key, or None."""
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None  # not printed yet, or removed by another process meanwhile

    def write(self, key: str, content: bytes) -> None:
        """Cache a flyer under key, making room and removing the flyers of older data files."""
        for other in self.root.iterdir() if self.root.is_dir() else ():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        kept = sorted(self.folder.glob("*.pdf"), key=_mtime) if self.folder.is_dir() else []
        for old in kept[: max(0, len(kept) - self.limit + 1)]:
            old.unlink(missing_ok=True)
        atomic_write_bytes(self.path(key), content)


def _mtime(path: Path) -> float:
    """Return when path was written (0 when it is gone)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@contextlib.contextmanager
def printer(root: Path) -> Iterator[bool]:
    """Hold the machine's one printer while inside, if no process holds it; yield whether so."""
    root.mkdir(parents=True, exist_ok=True)
    # Not inherited (PEP 446): neither the print process nor Chromium keeps the lock alive.
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
