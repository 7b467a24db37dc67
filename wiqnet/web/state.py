"""Access for blueprints to the live Directory and to caches that live as long as it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from flask import Flask, Request, current_app, g, request
from flask.ctx import _AppCtxGlobals
from werkzeug.local import LocalProxy

from ..config import Settings
from ..datafile import DirectoryHolder
from ..model import Derived, Directory

T = TypeVar("T")
# Rendered bodies kept per Directory; the least recently used go first.
BODIES = 2048
B = TypeVar("B", str, bytes)


# Each attribute read through one of Flask's proxies (`request`, `current_app`, `g`) costs a
# failed lookup and four calls; code run on every request reads the objects themselves.


def current_request() -> Request:
    """Return the request itself (not Flask's `request` proxy)."""
    return cast("LocalProxy[Request]", request)._get_current_object()


def flask_app() -> Flask:
    """Return the app itself (not Flask's `current_app` proxy)."""
    return cast("LocalProxy[Flask]", current_app)._get_current_object()


def holder() -> DirectoryHolder:
    """Return the app's DirectoryHolder."""
    found: DirectoryHolder = flask_app().extensions["wiqnet"]
    return found


def current_settings() -> Settings:
    """Return the app's typed settings (the same values as app.config under their NAMEs)."""
    found: Settings = flask_app().extensions["wiqnet.settings"]
    return found


def current_directory() -> Directory:
    """Return the live Directory; the same object for the whole request (reloads if changed)."""
    store = cast("LocalProxy[_AppCtxGlobals]", g)._get_current_object()
    directory: Directory | None = store.get("wiqnet_directory")
    if directory is None:
        directory = holder().current()
        store.wiqnet_directory = directory
    return directory


def fresh_directory() -> Directory:
    """Return the live Directory after checking the data file now (for writes)."""
    holder().refresh()
    g.wiqnet_directory = holder().current()
    return g.wiqnet_directory  # type: ignore[no-any-return]


def cached(key: str, factory: Callable[[Directory], T]) -> T:
    """Return factory(current_directory()), computed once per loaded Directory."""
    directory = current_directory()
    return directory.derived(("web", key), lambda: factory(directory))


def cached_body(key: str, render: Callable[[], B]) -> B:
    """Return render() cached per Directory under key (only for output the same for everyone)."""
    return cached("state.bodies", lambda _d: Derived(BODIES)).get(key, render)
