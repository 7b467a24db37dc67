"""GET /flyer.pdf: the same flyer as the CLI, from the web app (tiles off)."""

from __future__ import annotations

import contextlib
import fcntl
import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PUBLIC_URL


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """Return the text of a PDF given as bytes."""
    path = tmp_path / "flyer.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


@pytest.mark.browser
def test_flyer_pdf_for_a_need(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?need=kinderbetreuung&lang=tr")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="flyer-kinderbetreuung.pdf"'
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "Mahallenizdeki başvuru noktaları" in text and "02151 86 34 72" in text
    assert "Jobcenter Krefeld" not in text


@pytest.mark.browser
def test_flyer_pdf_for_listed_places_keeps_their_order(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?id=jobcenter&id=fabrik-heeder&size=a5")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert text.index("Jobcenter Krefeld") < text.index("Fabrik Heeder")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("need=kita", 400, "unknown need &#39;kita&#39;"),
        ("quarter=mitte", 400, "unknown quarter &#39;mitte&#39;"),
        ("lang=fr", 400, "unknown flyer language &#39;fr&#39;; choose one of de, en, tr, ar"),
        ("size=A3", 400, "unknown paper size &#39;A3&#39;; choose A4 or A5"),
        ("id=nirgendwo", 404, "no institution with id &#39;nirgendwo&#39;"),
        ("need=schutz", 404, "no active place with a location"),
    ],
)
def test_flyer_pdf_bad_input_is_an_error_page(
    client: Any, query: str, status: int, message: str
) -> None:
    response = client.get(f"/flyer.pdf?{query}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_need_page_has_the_flyer_button(client: Any) -> None:
    page = client.get("/anliegen/kinderbetreuung").get_data(as_text=True)
    assert (
        '<a class="button" href="/flyer.pdf?need=kinderbetreuung">Flyer drucken (PDF)</a>' in page
    )
    english = client.get("/anliegen/kinderbetreuung?lang=en").get_data(as_text=True)
    assert ">Print flyer (PDF)</a>" in english


@pytest.mark.browser
def test_search_page_button_prints_the_results(client: Any, tmp_path: Path) -> None:
    page = client.get("/suche?q=Kita").get_data(as_text=True)
    found = re.search(
        r'<a class="button" href="(/flyer\.pdf\?[^"]+)">Flyer drucken \(PDF\)</a>', page
    )
    assert found, page
    link = html.unescape(found.group(1))
    assert "id=kita-st-stephan" in link
    response = client.get(link)
    assert response.status_code == 200
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in pdf_text(response.data, tmp_path)


@pytest.mark.browser
def test_flyer_pdf_for_a_search_query(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?q=Kita&lang=en")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "Your points of contact in the neighbourhood" in text


@pytest.mark.browser
def test_an_unreachable_tile_server_still_gives_a_flyer_without_basemap(
    data_path: Path, tmp_path: Path
) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "SECRET_KEY": "test",
            "TILES": "http://127.0.0.1:9/{z}/{x}/{y}.png",
            "CACHE_DIR": str(tmp_path / "cache"),
            "PUBLIC_URL": PUBLIC_URL,
        }
    )
    response = app.test_client().get("/flyer.pdf?need=kinderbetreuung")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "02151 86 34 72" in text


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every flyer that is actually rendered (the rendering itself stays real)."""
    from wiqnet.web import flyer as web_flyer

    calls: list[str] = []
    real = web_flyer.render

    def spy(job: Any, directory: Any, settings: Any, options: Any) -> bytes:
        calls.append(",".join(options.ids or options.needs))
        return real(job, directory, settings, options)

    monkeypatch.setattr(web_flyer, "render", spy)
    return calls


def test_head_answers_without_rendering(client: Any, printed: list[str]) -> None:
    response = client.head("/flyer.pdf?need=kinderbetreuung")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert printed == []


@pytest.mark.browser
def test_flyers_are_cached_per_parameters_and_rate_limited(
    data_path: Path, printed: list[str]
) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SECRET_KEY": "test",
            "FLYER_RATE_LIMIT": "1 per minute",
            "PUBLIC_URL": "https://wiq.example.org/",
        }
    )
    client = app.test_client()
    first = client.get("/flyer.pdf?id=jobcenter")
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"]
    assert "X-RateLimit-Limit" not in client.get("/api/search?q=Kita").headers
    again = client.get("/flyer.pdf?id=jobcenter")
    assert again.status_code == 200 and again.data == first.data
    other = client.get("/flyer.pdf?id=fabrik-heeder")
    assert other.status_code == 429
    assert "Zu viele Anfragen in kurzer Zeit" in other.get_data(as_text=True)
    assert int(other.headers["Retry-After"]) > 0
    assert printed == ["jobcenter"]


@contextlib.contextmanager
def printer_held_elsewhere(instance_dir: Path) -> Iterator[None]:
    """Hold the machine's print lock like another server process that is printing."""
    folder = instance_dir / "flyers"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "print.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.mark.parametrize("path", ["/flyer.pdf?id=jobcenter", "/wegweiser.pdf"])
def test_a_busy_printer_answers_503_at_once_instead_of_queueing(
    client: Any, printed: list[str], path: str, instance_dir: Path
) -> None:
    from wiqnet.web import flyer as web_flyer

    with printer_held_elsewhere(instance_dir):
        response = client.get(path)
    assert response.status_code == 503
    # at least ours; the rate limiter moves it to its window's end when that is later
    assert int(response.headers["Retry-After"]) >= web_flyer.BUSY_RETRY_SECONDS
    assert "Gerade wird ein anderer Flyer gedruckt" in response.get_data(as_text=True)
    assert printed == []


@pytest.mark.browser
def test_the_printer_is_free_again_when_the_printing_process_dies(
    client: Any, printed: list[str], instance_dir: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_PRINTER, str(instance_dir / "flyers")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        assert client.get("/flyer.pdf?id=jobcenter").status_code == 503
    finally:
        holder.kill()
        holder.wait()
    assert client.get("/flyer.pdf?id=jobcenter").status_code == 200
    assert printed == ["jobcenter"]


# Another server process in the middle of a print: holds the lock until it is killed.
HOLD_THE_PRINTER = """
import sys
from pathlib import Path
from wiqnet.web.flyerstore import printer
with printer(Path(sys.argv[1])) as mine:
    print("holding" if mine else "busy", flush=True)
    sys.stdin.read()
"""


@pytest.mark.browser
def test_every_server_process_serves_a_flyer_printed_by_another(
    data_path: Path, printed: list[str]
) -> None:
    from wiqnet.web import create_app

    config = {"TESTING": True, "DATA": str(data_path), "TILES": "none", "SECRET_KEY": "test"}
    config |= {"PUBLIC_URL": PUBLIC_URL, "FLYER_RATE_LIMIT": "1 per minute"}
    one, other = create_app(config).test_client(), create_app(config).test_client()
    first = one.get("/flyer.pdf?id=jobcenter")
    assert first.status_code == 200
    for client in (other, other, one):  # cached ones are not rate-limited either
        again = client.get("/flyer.pdf?id=jobcenter")
        assert again.status_code == 200 and again.data == first.data
    assert printed == ["jobcenter"]


def test_the_flyer_store_keeps_the_newest_flyers_of_the_current_data(tmp_path: Path) -> None:
    from wiqnet.web.flyerstore import FlyerStore

    old = FlyerStore(tmp_path, "a" * 64, limit=2)
    old.write("old", b"%PDF old")
    store = FlyerStore(tmp_path, "b" * 64, limit=2)
    for n in range(3):
        store.write(f"key{n}", f"%PDF {n}".encode())
        os.utime(store.path(f"key{n}"), (n, n))  # written in this order
    assert not old.has("old") and old.read("old") is None
    assert [store.read(f"key{n}") for n in range(3)] == [None, b"%PDF 1", b"%PDF 2"]


def niceness(directory: Any, settings: Any, options: Any) -> bytes:
    """Tell the niceness of the process it runs in (a print job for the test below)."""
    return str(os.getpriority(os.PRIO_PROCESS, 0)).encode()


def test_flyers_print_in_their_own_process_at_low_cpu_priority(data_path: Path) -> None:
    from wiqnet.config import Settings
    from wiqnet.datafile import load_directory
    from wiqnet.flyer import FlyerOptions
    from wiqnet.web import flyer as web_flyer

    ours = os.getpriority(os.PRIO_PROCESS, 0)
    got = web_flyer.render(niceness, load_directory(data_path), Settings(), FlyerOptions())
    assert int(got) == min(ours + web_flyer.PRINT_NICENESS, 19)
    assert os.getpriority(os.PRIO_PROCESS, 0) == ours


def browser_session_niceness(directory: Any, settings: Any, options: Any) -> bytes:
    """Print a tiny page and tell the nice values of the browser's sessions (a print job)."""
    from wiqnet.printing import _descendants, print_pdf

    seen: list[str] = []

    def look(_page: Any) -> None:
        for pid in _descendants():
            if os.getsid(pid) == pid:
                seen.append(Path(f"/proc/{pid}/autogroup").read_text(encoding="ascii").split()[-1])

    print_pdf("<p>Test</p>", {}, what="a test page", prepare=look)
    return ",".join(seen).encode()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/proc/self/autogroup").exists(), reason="no autogroups here")
def test_the_browser_keeps_the_low_priority_in_its_own_session(data_path: Path) -> None:
    from wiqnet.config import Settings
    from wiqnet.datafile import load_directory
    from wiqnet.flyer import FlyerOptions
    from wiqnet.web import flyer as web_flyer

    ours = os.getpriority(os.PRIO_PROCESS, 0)
    got = web_flyer.render(
        browser_session_niceness, load_directory(data_path), Settings(), FlyerOptions()
    )
    # Playwright starts Chromium in a session of its own; Linux weighs a session by its value
    assert got and set(got.decode().split(",")) == {str(min(ours + web_flyer.PRINT_NICENESS, 19))}
