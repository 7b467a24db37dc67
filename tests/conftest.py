"""Shared fixtures: a small real directory on disk, the app, its client and the CLI runner."""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PUBLIC_URL = "https://wiq.example.org/"  # what flyers print and encode in their QR code

QUARTERS_GEOJSON = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "hardenbergviertel", "name": "Hardenbergviertel",
  "approximate": true, "source": "test"},
  "geometry": {"type": "Polygon", "coordinates": [[[6.565, 51.325], [6.575, 51.325],
   [6.575, 51.332], [6.565, 51.332], [6.565, 51.325]]]}},
 {"type": "Feature", "properties": {"id": "stephanplatz", "name": "Stephanplatz",
  "approximate": true, "source": "test"},
  "geometry": {"type": "Polygon", "coordinates": [[[6.565, 51.318], [6.575, 51.318],
   [6.575, 51.325], [6.565, 51.325], [6.565, 51.318]]]}}]}
"""

# A minimal valid source entry for test records.
TEST_SOURCE: dict[str, Any] = {"file": "test", "date": "2026-01-10"}


def press_release() -> list[dict[str, Any]]:
    """Return the sources entry of the City of Krefeld press release on WiQ."""
    return [
        {
            "file": "krefeld-facts.md",
            "title": "Pressemitteilung Stadt Krefeld",
            "date": "2021-04-13",
        }
    ]


def open_data(name: str) -> list[dict[str, Any]]:
    """Return the sources entry of one Krefeld open-data file (2017)."""
    return [
        {
            "url": "https://github.com/tursics/map-krefeld",
            "file": f"krefeld-open-data/{name}.json",
            "date": "2017-09-12",
        }
    ]


SMALL: dict[str, Any] = {
    "institutions": [
        {
            "id": "wiq",
            "name": "WiQ – Wir im Quartier",
            "operator": "Stadt Krefeld, Kom.ZFB",
            "address": {"street": "Virchowstraße 130a", "postcode": "47805", "city": "Krefeld"},
            "location": {"lat": 51.322848, "lon": 6.5723},
            "phone": "02151 86 34 72",
            "email": "wiq@krefeld.de",
            "opening_hours": "We 14:00-16:00",
            "sources": press_release(),
            "verified": "2021-04-13",
            "services": [
                {
                    "id": "wiq-fallmanagement",
                    "name": "Fallmanagement für Familien",
                    "description": "Beratung und Begleitung bei Jobsuche, Erziehung, Anträgen und Geldsorgen.",
                    "needs": [
                        "sozialberatung",
                        "arbeit",
                        "aemter",
                        "finanzen",
                        "erziehung",
                        "partnerschaft",
                    ],
                    "cost": "kostenlos",
                    "access": ["open_hours", "phone"],
                    "opening_hours": "We 14:00-16:00",
                }
            ],
        },
        {
            "id": "fabrik-heeder",
            "name": "Fabrik Heeder",
            "operator": "Stadt Krefeld",
            "address": {"street": "Virchowstraße 130a", "postcode": "47805", "city": "Krefeld"},
            "location": {"lat": 51.322848, "lon": 6.5723},
            "sources": open_data("culture"),
            "verified": "2017-09-12",
            "services": [
                {
                    "id": "fabrik-heeder-kultur",
                    "name": "Kulturzentrum",
                    "description": "Theater, Tanz und Veranstaltungen für Familien.",
                    "needs": ["freizeit"],
                }
            ],
        },
        {
            "id": "jobcenter",
            "name": "Jobcenter Krefeld",
            "operator": "Jobcenter Krefeld",
            "address": {"street": "Fütingsweg 34", "postcode": "47805", "city": "Krefeld"},
            "location": {"lat": 51.3290, "lon": 6.5790},
            "sources": open_data("administrationothers"),
            "verified": "2017-09-12",
            "services": [
                {
                    "id": "jobcenter-buergergeld",
                    "name": "Bürgergeld und Arbeitsvermittlung",
                    "description": "Leistungen zur Sicherung des Lebensunterhalts, Vermittlung in Arbeit.",
                    "needs": ["arbeit", "aemter"],
                }
            ],
        },
        {
            "id": "kita-st-stephan",
            "name": "Katholische Kindertageseinrichtung Sankt Stephan",
            "operator": "Katholische Kirchengemeinde",
            "address": {"street": "Philadelphiastraße 50", "postcode": "47799", "city": "Krefeld"},
            "location": {"lat": 51.3200, "lon": 6.5700},
            "opening_hours": "Mo-Th 07:00-16:30; Fr 07:00-15:00",
            "sources": open_data("kindergartens"),
            "verified": "2017-09-12",
            "services": [
                {
                    "id": "kita-st-stephan-betreuung",
                    "name": "Kindertagesbetreuung",
                    "description": "Betreuung für Kinder ab 2 Jahren; Familienzentrum.",
                    "needs": ["kinderbetreuung", "erziehung"],
                }
            ],
        },
        {
            "id": "hilfetelefon-gewalt",
            "name": "Hilfetelefon Gewalt gegen Frauen",
            "phone": "116 016",
            "languages": ["de", "en", "tr", "ar"],
            "opening_hours": "24/7",
            "sources": [
                {
                    "file": "krefeld-facts.md",
                    "title": "Bundesweite Telefondienste",
                    "date": "2026-12-01",
                    "date_estimated": True,
                }
            ],
            "services": [
                {
                    "id": "hilfetelefon-gewalt-beratung",
                    "name": "Beratung am Telefon",
                    "description": "Anonym, kostenlos, Tag und Nacht, in vielen Sprachen.",
                    "needs": ["schutz"],
                    "access": ["phone"],
                    "cost": "kostenlos",
                }
            ],
        },
    ],
    "links": [
        {"from": "wiq", "to": "jobcenter", "kind": "vermittlung", "sources": press_release()},
    ],
}


@pytest.fixture
def small_data() -> dict[str, Any]:
    """Return a fresh copy of the small sample directory as plain data."""
    return copy.deepcopy(SMALL)


@pytest.fixture
def directory_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Return a writer: directory_yaml(data_or_text=SMALL, name=...) -> path of a real YAML file."""

    def write(
        content: dict[str, Any] | str | bytes | None = None,
        name: str = "institutions.yaml",
        quarters: bool = True,
    ) -> Path:
        path = tmp_path / name
        if content is None:
            content = copy.deepcopy(SMALL)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(
                yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
        if quarters:
            (tmp_path / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
        return path

    return write


@pytest.fixture
def data_path(directory_yaml: Callable[..., Path]) -> Path:
    """Return the path of the small sample directory written to a tmp dir."""
    return directory_yaml()


@pytest.fixture
def runner(data_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Return a click runner whose default data file is the small sample."""
    monkeypatch.setenv("WIQNET_DATA", str(data_path))
    monkeypatch.setenv("WIQNET_TILES", "none")
    monkeypatch.setenv("WIQNET_PUBLIC_URL", PUBLIC_URL)
    return CliRunner()


@pytest.fixture
def shared() -> Path:
    """Return ../shared, or skip the test when it is absent (a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def nominatim() -> Any:
    """Return a running fake Nominatim on 127.0.0.1 (tests/fake_nominatim.py); stop it after."""
    from fake_nominatim import FakeNominatim, serve

    fake = FakeNominatim()
    server = serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test's server state (accounts, state database, secret) in its tmp dir."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("WIQNET_INSTANCE_DIR", str(folder))
    return folder


@pytest.fixture
def app(data_path: Path) -> Any:
    """Return the web app on the small sample directory (tiles off, fixed secret)."""
    from wiqnet.web import create_app

    return create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SECRET_KEY": "test",
            "PUBLIC_URL": PUBLIC_URL,
        }
    )


@pytest.fixture(autouse=True)
def network_waits_for_its_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let /netzwerk wait until its background analysis is done, however loaded the machine.

    The page answers 503 after WAIT_SECONDS; on CI's two busy cores that limit can pass
    before a tiny graph is analysed. The 503 page has its own test, which sets a short wait.
    """
    from wiqnet.web import network

    monkeypatch.setattr(network, "WAIT_SECONDS", None)


@pytest.fixture
def client(app: Any) -> Any:
    """Return a Flask test client for the app, sending a same-site Referer like a browser.

    The app's PUBLIC_URL is https, so the test client speaks https, and Flask-WTF then
    checks the Referer of every form post.
    """
    client = app.test_client()
    client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return client


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve a Flask app with a real threaded server on 127.0.0.1; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Make the n-th fsync from now fail as on a full disk (ENOSPC), like the file system would."""
    import errno

    def arm(nth: int) -> None:
        calls = [0]
        real = os.fsync

        def fsync(fd: int) -> None:
            calls[0] += 1
            if calls[0] >= nth:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)

    return arm
