"""Access for blueprints to the live Directory and to caches that live as long as it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g

from ..model import Directory
from ..reload import DirectoryHolder

T = TypeVar("T")


def holder() -> DirectoryHolder:
    """Return the app's DirectoryHolder."""
    found: DirectoryHolder = current_app.extensions["wiqnet"]
    return found


def current_directory() -> Directory:
    """Return the live Directory; the same object for the whole request (reloads if changed)."""
    directory: Directory | None = g.get("wiqnet_directory")
    if directory is None:
        directory = holder().current()
        g.wiqnet_directory = directory
    return directory


def cached(key: str, factory: Callable[[Directory], T]) -> T:
    """Return factory(current_directory()), computed once per loaded Directory."""
    return holder().memo(key, current_directory(), factory)
