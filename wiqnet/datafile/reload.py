"""Hot reload: hold the live Directory and swap it atomically when the data file changes.

A cheap `stat` of the data file (and of quarters.geojson beside it) runs at most once
per `interval` seconds per process. When the file changed, the whole Directory is
loaded and validated again; a broken edit keeps the last good Directory live and
records the located problems for `/status` and the log.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..errors import DataFileError, ValidationFailed
from ..model import Directory
from .load import QUARTERS_FILE, load_directory

log = logging.getLogger("wiqnet.reload")
T = TypeVar("T")
Signature = tuple[tuple[int, int, int] | None, ...]


@dataclass(frozen=True, slots=True)
class ReloadState:
    """What `/status` shows: the last good load and the last failed attempt."""

    path: str
    loaded_at: datetime | None
    failed_at: datetime | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    reloads: int


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class DirectoryHolder:
    """Keep the last good Directory of one data file and reload it on change."""

    def __init__(self, path: str | os.PathLike[str], interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """Remember the data file; nothing is read until the first `current()`."""
        self.path = Path(path)
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._directory: Directory | None = None
        self._signature: Signature | None = None
        self._checked_at: float | None = None
        self._loaded_at: datetime | None = None
        self._failed_at: datetime | None = None
        self._errors: tuple[str, ...] = ()
        self._warnings: tuple[str, ...] = ()
        self._reloads = 0

    def _signature_now(self) -> Signature:
        return (_stat(self.path), _stat(self.path.with_name(QUARTERS_FILE)))

    def current(self) -> Directory:
        """Return the live Directory, reloading first if the file changed; raise if none loaded."""
        now = self._clock()
        if self._checked_at is None or now - self._checked_at >= self.interval:
            with self._lock:
                if self._checked_at is None or now - self._checked_at >= self.interval:
                    self._checked_at = now
                    signature = self._signature_now()
                    if signature != self._signature:
                        self._load(signature)
        directory = self._directory
        if directory is None:
            raise DataFileError(self._errors[0] if self._errors else f"{self.path}: not loaded")
        return directory

    def refresh(self) -> None:
        """Check the data file on the next `current()` without waiting for the interval."""
        self._checked_at = None

    def _load(self, signature: Signature) -> None:
        warnings: list[Any] = []
        try:
            directory = load_directory(self.path, warnings=warnings)
        except ValidationFailed as exc:
            self._fail(signature, tuple(str(p) for p in exc.problems if p.severity == "error"))
            return
        except DataFileError as exc:
            self._fail(signature, (str(exc),))
            return
        self._signature = signature
        self._directory = directory
        self._loaded_at = datetime.now(UTC)
        self._errors = ()
        self._warnings = tuple(str(w) for w in warnings)
        self._reloads += 1
        log.info("loaded %s: %d institutions, %d services", self.path,
                 len(directory.institutions), len(directory.services()))

    def _fail(self, signature: Signature, errors: tuple[str, ...]) -> None:
        self._signature = signature
        self._failed_at = datetime.now(UTC)
        self._errors = errors
        kept = "keeping the last good data" if self._directory else "no data loaded"
        log.error("%s: %d error(s), %s", self.path, len(errors), kept)
        for line in errors:
            log.error("%s", line)

    def state(self) -> ReloadState:
        """Return the reload state for `/status`."""
        return ReloadState(str(self.path), self._loaded_at, self._failed_at, self._errors,
                           self._warnings, self._reloads)
