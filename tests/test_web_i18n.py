"""Translations: German by default, English by switch, complete catalogs, slip languages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from wiqnet.web import i18n
from wiqnet.web.i18n import SLIP_LANGUAGES, TRANSLATIONS, compile_catalogs

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(lang: str) -> Any:
    """Read the .po catalog of a language."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def source_msgids() -> set[str]:
    """Extract every msgid from the web code and templates, as babel.cfg says."""
    method_map = [("wiqnet/web/**.py", "python"), ("wiqnet/web/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def translated(message: Any) -> bool:
    """Return whether a catalog entry has a translation (all plural forms for plurals)."""
    if isinstance(message.string, str):
        return bool(message.string)
    return all(message.string)


def test_every_msgid_in_the_code_has_an_english_translation() -> None:
    done = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog("en") if m.id and translated(m)
    }
    missing = sorted(source_msgids() - done)
    assert not missing, (
        f"untranslated or not yet extracted (see readme-parts/web.md, i18n workflow): {missing}"
    )


def test_english_catalog_has_no_fuzzy_or_empty_entries() -> None:
    bad = [m.id for m in catalog("en") if m.id and (m.fuzzy or not translated(m))]
    assert not bad


@pytest.mark.parametrize("lang", ["en", *SLIP_LANGUAGES])
def test_translations_keep_the_placeholders(lang: str) -> None:
    for message in catalog(lang):
        if not message.id or not translated(message):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = sorted(set(PLACEHOLDER.findall(" ".join(ids))))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == expected, message.id


@pytest.mark.parametrize("lang", sorted(SLIP_LANGUAGES))
def test_slip_texts_are_translated_into_every_slip_language(app: Any, lang: str) -> None:
    from flask_babel import force_locale

    from wiqnet.web.display import ACCESS_LABELS
    from wiqnet.web.pages import slip_labels

    with app.test_request_context("/"), force_locale("de"):
        german = list(slip_labels().values()) + [str(v) for v in ACCESS_LABELS.values()]
    translated = {m.id for m in catalog(lang) if m.id and m.string}
    assert sorted(set(german) - translated) == []


def test_german_is_the_default(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Wobei braucht die Familie Hilfe?" in html
    assert '<a href="/?lang=en" lang="en" hreflang="en">English</a>' in html


def test_english_switch_is_remembered_in_a_cookie(client: Any) -> None:
    first = client.get("/?lang=en")
    assert "lang=en" in first.headers["Set-Cookie"]
    html = client.get("/einrichtung/wiq").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<h2 id="angebote">Services</h2>' in html
    assert '<a href="/einrichtung/wiq?lang=de" lang="de" hreflang="de">Deutsch</a>' in html
    back = client.get("/?lang=de")
    assert "lang=de" in back.headers["Set-Cookie"]
    assert "Wobei braucht die Familie Hilfe?" in client.get("/").get_data(as_text=True)


def test_unsupported_language_falls_back_to_german(client: Any) -> None:
    response = client.get("/?lang=fr")
    assert "Set-Cookie" not in response.headers
    assert '<html lang="de">' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/api/search?q=Kita", "/static/wiqnet.css", "/nope"])
def test_every_response_varies_with_the_language_cookie(client: Any, path: str) -> None:
    assert client.get(path).headers.getlist("Vary") == ["Cookie"]


@pytest.mark.parametrize(
    "url, cookie, lang", [("/", None, "de"), ("/?lang=en", None, "en"), ("/", "en", "en")]
)
def test_ui_language_is_the_request_s_unless_forced(
    app: Any, url: str, cookie: str | None, lang: str
) -> None:
    from flask_babel import gettext

    headers = {"Cookie": f"lang={cookie}"} if cookie else {}
    with app.test_request_context(url, headers=headers):
        assert i18n.ui_language() == lang
        with i18n.force_locale("tr"):
            assert (i18n.ui_language(), gettext("Adresse")) == ("tr", "Adres")
        assert i18n.ui_language() == lang
    assert i18n.ui_language() == "de"


def test_english_pages_show_need_labels_and_hours_in_english(client: Any) -> None:
    html = client.get("/anliegen/arbeit?lang=en").get_data(as_text=True)
    assert "<h1>Work and career</h1>" in html
    assert "Wed 14:00–16:00" in html
    assert "Outside the quarters" in html


def test_the_slip_stays_german_when_the_ui_is_english(client: Any) -> None:
    html = client.get("/laufzettel/wiq-fallmanagement?lang=en&lang2=tr").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<article class="slip" lang="de">' in html
    assert ('<h2>Adresse <span class="l2" lang="tr" dir="ltr">Adres</span></h2>') in html


def test_catalogs_are_compiled_when_missing_or_stale(tmp_path: Path) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo", "*.bak"))
    assert compile_catalogs(copy) == copy
    mo = copy / "en" / "LC_MESSAGES" / "messages.mo"
    good = mo.read_bytes()
    assert len(good) > 1000
    before = mo.stat().st_mtime_ns
    compile_catalogs(copy)
    assert mo.stat().st_mtime_ns == before  # unchanged: not rewritten
    mo.write_bytes(b"stale")
    compile_catalogs(copy)
    assert mo.read_bytes() == good


def test_a_read_only_package_compiles_to_a_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo", "*.bak"))

    def refuse(path: object, content: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(i18n, "atomic_write_bytes", refuse)
    target = compile_catalogs(copy)
    assert target != copy
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.mo")) == sorted(
        f"{lang}/LC_MESSAGES/messages.mo" for lang in {"en", *SLIP_LANGUAGES}
    )
