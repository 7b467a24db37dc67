"""Server hooks of `wiqnet serve --production`: gunicorn reads this module (--config python:...)."""

from __future__ import annotations

import gc
from typing import Any


def when_ready(server: Any) -> None:
    """Freeze the preloaded app's objects before the workers fork."""
    # The garbage collector then never walks the loaded directory, search index and
    # catalogues again: no pause of tens of milliseconds in a worker, and the workers
    # keep sharing those memory pages with the master (no copy-on-write by the GC).
    gc.freeze()
