"""Bounded fuzzing: every route and parameter of the web app answers without a 5xx.

Hypothesis draws path values and query or form parameters (the app's own names and
unknown ones, with any text) for every rule of the URL map. Deterministic (derandomize)
and bounded (max_examples per route); the flyer is asked with HEAD, which never prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMETERS = (
    "q",
    "need",
    "language",
    "near",
    "open_at",
    "audience",
    "limit",
    "from",
    "lang",
    "id",
    "quarter",
    "size",
    "title",
    "bleed",
    "schritte",
    "weiter",
    "format",
    "von",
    "zu",
    "art",
    "digest",
    "passwort",
    "seit",
    "bis",
    "notiz",
    "quelle",
)
values = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    [
        "",
        "0",
        "-1",
        "99999999999999999999",
        "wiq",
        "kita",
        "de",
        "xx",
        "A5",
        "1",
        "47805",
        "51.3,6.5",
        "Mo-Fr 09:00-12:00",
        "%00",
        "../../etc/passwd",
        "/netzwerk\r\nX: 1",
    ]
)
params = st.lists(st.tuples(st.sampled_from(PARAMETERS) | st.text(max_size=8), values), max_size=6)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Return one app for all examples: the sample data, no tiles, a fake geocoder."""
    import yaml
    from conftest import QUARTERS_GEOJSON, SMALL
    from fake_nominatim import FakeNominatim, serve

    from wiqnet.web import create_app

    fake = FakeNominatim()
    server = serve(fake)
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "institutions.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False), "utf-8")
    (folder / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(path),
            "TILES": "none",
            "SECRET_KEY": "fuzz",
            "CACHE_DIR": str(folder / "cache"),
            "GEOCODER_URL": fake.url,
            "GEOCODER_MIN_INTERVAL": 0.0,
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    for _ in range(100):  # the network analysis runs once in the background (503 meanwhile)
        if client.get("/netzwerk").status_code == 200:
            break
    yield app
    server.shutdown()
    server.server_close()


def rules() -> list[tuple[str, str, tuple[str, ...]]]:
    """Return (method, rule, argument names) for every route of the app."""
    from wiqnet.web import create_app

    app = create_app({"TESTING": True, "DATA": str(Path(__file__).parent / "missing.yaml")})
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, tuple(sorted(rule.arguments))))
    return found


def url_for_rule(rule: str, arguments: dict[str, str]) -> str:
    """Fill the rule's placeholders with the (quoted) drawn values."""
    for name, value in arguments.items():
        rule = re.sub(
            rf"<(?:[^:>]+:)?{name}>", quote(value or "x", safe="").replace("\\", r"\\"), rule
        )
    return rule


@pytest.mark.parametrize(
    ("method", "rule", "names"), rules(), ids=lambda v: v if isinstance(v, str) else None
)
def test_no_route_answers_with_a_server_error(
    fuzz_app: Any, method: str, rule: str, names: tuple[str, ...]
) -> None:
    client = fuzz_app.test_client()

    @settings(
        max_examples=5,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(path=st.tuples(*(values for _ in names)), query=params)
    def check(path: tuple[str, ...], query: list[tuple[str, str]]) -> None:
        url = url_for_rule(rule, dict(zip(sorted(names), path, strict=True)))
        if method == "POST":
            response = client.post(url, data=dict(query))
        elif rule == "/flyer.pdf":
            response = client.head(url + "?" + urlencode(query))
        else:
            response = client.get(url + "?" + urlencode(query))
        assert response.status_code < 500, (url, query, response.status_code)

    check()
