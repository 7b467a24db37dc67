"""Translations: German by default, English by switch (`?lang=en`, kept in a cookie).

Catalogs live in wiqnet/translations/<lang>/LC_MESSAGES/messages.po; the app compiles every
`.po` at start (about 25 ms) and rewrites its `.mo` when that differs, so a fresh clone works
and a stale `.mo` is never used. Switch the language of a block with this module's
`force_locale` (not Flask-Babel's): `ui_language()` then answers it too.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import flask_babel
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, Request, Response, has_request_context
from flask_babel import Babel

from .. import text
from ..datafile import atomic_write_bytes
from .state import current_request

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
UI_LANGUAGES = ("de", "en")
# Second languages of the referral slip; "rtl" marks right-to-left scripts.
SLIP_LANGUAGES = {"en": "ltr", "tr": "ltr", "ar": "rtl"}
COOKIE = "lang"
log = logging.getLogger("wiqnet.web")


def _compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parts[-3])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_catalogs(source: Path = TRANSLATIONS) -> Path:
    """Compile each `.po`, rewrite its `.mo` if different; return the folder of the `.mo`s."""
    compiled = {po: _compiled(po) for po in sorted(source.glob("*/LC_MESSAGES/*.po"))}
    try:
        for po, content in compiled.items():
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != content:
                atomic_write_bytes(mo, content)
        return source
    except OSError as exc:
        target = Path(tempfile.mkdtemp(prefix="wiqnet-translations-"))
        log.warning("cannot write %s (%s); compiling translations to %s", source, exc, target)
        for po, content in compiled.items():
            out = target / po.relative_to(source).with_suffix(".mo")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
        return target


# One Locale per UI language: Flask-Babel takes it as it is instead of parsing a code.
_LOCALES = {code: Locale.parse(code) for code in UI_LANGUAGES}


# The language code `force_locale` sets for the block it runs.
_FORCED: ContextVar[str | None] = ContextVar("wiqnet_forced_language", default=None)


def _asked(req: Request) -> str | None:
    """Return `?lang=` (a missing key costs werkzeug an exception in `args.get`)."""
    args = req.args
    return args["lang"] if "lang" in args else None  # noqa: SIM401


def _kept(req: Request) -> str | None:
    """Return the language cookie's value, or None (without a Cookie header, parse none)."""
    if "HTTP_COOKIE" not in req.environ:
        return None
    cookies = req.cookies
    return cookies[COOKIE] if COOKIE in cookies else None  # noqa: SIM401


def _selected() -> str:
    """Return the request's UI language code: `?lang=`, else the cookie, else German."""
    req = current_request()
    asked = _asked(req) or _kept(req)
    return asked if asked in UI_LANGUAGES else "de"


def select_locale() -> Locale:
    """Return the UI language: `?lang=`, else the cookie, else German."""
    return _LOCALES[_selected()]


def ui_language() -> str:
    """Return the current UI language code: the forced one, else the request's (German outside).

    Answered here, not through Flask-Babel's `get_locale()`: that cost a search request
    87 000 instructions (3 % of its time).
    """
    forced = _FORCED.get()
    if forced is not None:
        return forced
    return _selected() if has_request_context() else "de"


@contextmanager
def force_locale(code: str) -> Iterator[None]:
    """Translate (gettext and `ui_language()`) into the language `code` inside the block."""
    token = _FORCED.set(code)
    try:
        with flask_babel.force_locale(code):
            yield
    finally:
        _FORCED.reset(token)


def language_name(code: str, in_language: str | None = None) -> str:
    """Return the name of a language (ISO 639-1) in the UI language, e.g. 'tr' -> 'Türkisch'."""
    return text.language_name(code, in_language or ui_language())


def _remember_language(response: Response) -> Response:
    req = current_request()
    asked = _asked(req)
    if asked in UI_LANGUAGES and _kept(req) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    """Set up Flask-Babel with the package's catalogs and the language switch."""
    folder = compile_catalogs()
    Babel(
        app,
        locale_selector=select_locale,
        default_locale="de",
        default_translation_directories=str(folder),
    )
    app.after_request(_remember_language)
    app.jinja_env.globals.update(
        ui_language=ui_language, language_name=language_name, UI_LANGUAGES=UI_LANGUAGES
    )
