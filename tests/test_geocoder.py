"""The real geopy client against a fake Nominatim on 127.0.0.1: answers, failures, cache, pace."""

from __future__ import annotations

import json
import threading
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fake_nominatim import FakeNominatim
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.config import Settings, load_settings
from wiqnet.errors import GeocodingError, UsageError
from wiqnet.geocoder import Geocoder, place_query, resolve_place, search_geocoder
from wiqnet.model import Location

AGENT = "wiqnet-test/1.0 (tests; wiq@example.org)"
QUERY = "Virchowstraße 130a, 47805 Krefeld"


def settings(fake: FakeNominatim, cache: Path, **extra: Any) -> Settings:
    """Return settings that point the geocoder at the fake server, with no pause by default."""
    values = {
        "GEOCODER_URL": fake.url,
        "CACHE_DIR": str(cache),
        "USER_AGENT": AGENT,
        "GEOCODER_MIN_INTERVAL": 0.0,
        "GEOCODER_TIMEOUT": 2.0,
    }
    values.update(extra)
    return load_settings(values, environ={})


def test_locate_sends_the_user_agent_and_a_nominatim_search(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.answers[QUERY] = ("ok", 51.3228480, 6.5723)
    found = Geocoder(settings(nominatim, tmp_path)).locate(QUERY)
    assert found == Location(51.322848, 6.5723)
    [request] = nominatim.requests
    assert request.path == "/search"
    assert request.user_agent == AGENT
    assert request.query["q"] == QUERY
    assert request.query["format"] == "json"
    assert request.query["countrycodes"] == "de"


def test_a_server_below_a_path_is_asked_there(nominatim: FakeNominatim, tmp_path: Path) -> None:
    nominatim.default = ("ok", 51.3, 6.5)
    values = settings(nominatim, tmp_path, GEOCODER_URL=f"{nominatim.url}/nominatim/")
    assert Geocoder(values).locate(QUERY) == Location(51.3, 6.5)
    assert nominatim.requests[0].path == "/nominatim/search"


def test_cache_persists_across_instances_and_the_second_run_makes_no_request(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.answers[QUERY] = ("ok", 51.32, 6.57)
    first = Geocoder(settings(nominatim, tmp_path))
    assert first.locate(QUERY) == Location(51.32, 6.57)
    assert first.locate("Nirgendwo 1, Krefeld") is None
    assert len(nominatim.requests) == 2

    second = Geocoder(settings(nominatim, tmp_path))
    assert second.is_cached(f"  {QUERY.upper()} ")
    assert second.locate(QUERY) == Location(51.32, 6.57)
    assert second.locate("Nirgendwo 1, Krefeld") is None
    assert len(nominatim.requests) == 2
    assert second.requests == 0
    cache = json.loads((tmp_path / "geocoder.json").read_text(encoding="utf-8"))
    assert cache["version"] == 1
    assert cache["entries"]["nirgendwo 1, krefeld"] is None
    assert cache["entries"][QUERY.casefold()]["lat"] == 51.32


def test_cache_hits_need_no_server_at_all(nominatim: FakeNominatim, tmp_path: Path) -> None:
    nominatim.answers[QUERY] = ("ok", 51.32, 6.57)
    Geocoder(settings(nominatim, tmp_path)).locate(QUERY)
    nominatim.answers[QUERY] = "500"  # the server is broken now; the cache still answers
    assert Geocoder(settings(nominatim, tmp_path)).locate(QUERY) == Location(51.32, 6.57)
    assert len(nominatim.queries()) == 1


def test_answers_of_another_geocoder_are_not_reused(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.answers[QUERY] = ("ok", 51.32, 6.57)
    Geocoder(settings(nominatim, tmp_path)).locate(QUERY)
    other = settings(nominatim, tmp_path, GEOCODER_URL="http://127.0.0.1:9")
    with pytest.raises(GeocodingError, match="cannot reach the geocoder"):
        Geocoder(other).locate(QUERY)


def test_search_lookups_are_never_written_to_disk(nominatim: FakeNominatim, tmp_path: Path) -> None:
    nominatim.answers[QUERY] = ("ok", 51.32, 6.57)
    geocoder = search_geocoder(settings(nominatim, tmp_path))
    assert geocoder.locate(QUERY) == Location(51.32, 6.57)
    assert geocoder.locate(QUERY) == Location(51.32, 6.57)
    assert len(nominatim.queries()) == 1
    assert not (tmp_path / "geocoder.json").exists()
    assert search_geocoder(settings(nominatim, tmp_path)) is geocoder


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "429",
            (
                "refused the request: too many requests (HTTP 429); wait a while, "
                "then run the command again"
            ),
        ),
        ("500", "answered with an error (HTTP 500); try again later"),
        (
            "garbage",
            (
                "answered with something that is not JSON; check that GEOCODER_URL "
                "points to a Nominatim server"
            ),
        ),
        (
            "no-coordinates",
            (
                "answered without usable coordinates; check that GEOCODER_URL "
                "points to a Nominatim server"
            ),
        ),
    ],
)
def test_server_failures_are_clear_errors_and_not_cached(
    nominatim: FakeNominatim, tmp_path: Path, answer: str, message: str
) -> None:
    nominatim.default = answer
    geocoder = Geocoder(settings(nominatim, tmp_path))
    with pytest.raises(GeocodingError) as caught:
        geocoder.locate(QUERY)
    assert str(caught.value) == f"the geocoder at {nominatim.url} {message}"
    assert not (tmp_path / "geocoder.json").exists()
    nominatim.default = ("ok", 51.3, 6.5)
    assert Geocoder(settings(nominatim, tmp_path)).locate(QUERY) == Location(51.3, 6.5)
    assert len(nominatim.requests) == 2


def test_timeout_is_a_clear_error_and_not_cached(nominatim: FakeNominatim, tmp_path: Path) -> None:
    nominatim.default = ("sleep", 1.0)
    geocoder = Geocoder(settings(nominatim, tmp_path, GEOCODER_TIMEOUT=0.2))
    with pytest.raises(GeocodingError) as caught:
        geocoder.locate(QUERY)
    assert str(caught.value) == (
        f"the geocoder at {nominatim.url} did not answer within 0.2 s; "
        "try again later or raise GEOCODER_TIMEOUT"
    )
    assert not geocoder.is_cached(QUERY)
    assert not (tmp_path / "geocoder.json").exists()
    assert len(nominatim.requests) == 1  # no hidden retries


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    values = load_settings(
        {"GEOCODER_URL": "http://127.0.0.1:9", "CACHE_DIR": str(tmp_path), "GEOCODER_TIMEOUT": 1.0},
        environ={},
    )
    with pytest.raises(GeocodingError, match=r"^cannot reach the geocoder at http://127.0.0.1:9 "):
        Geocoder(values).locate(QUERY)


def test_default_pace_is_at_most_one_request_per_second(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    values = dict(settings(nominatim, tmp_path))
    del values["GEOCODER_MIN_INTERVAL"]
    values = load_settings(values, environ={})
    geocoder = Geocoder(values)
    assert geocoder.min_interval == 1.0
    geocoder.locate("Erste Straße 1, Krefeld")
    geocoder.locate("Zweite Straße 2, Krefeld")
    geocoder.locate("Erste Straße 1, Krefeld")  # cached: no request, no wait
    first, second = nominatim.requests
    assert second.at - first.at >= 1.0


def test_threads_sharing_a_geocoder_keep_the_pace_and_ask_once(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.default = ("ok", 51.3, 6.5)
    geocoder = Geocoder(settings(nominatim, tmp_path, GEOCODER_MIN_INTERVAL=0.2))
    queries = ["A-Straße 1", "B-Straße 2", "C-Straße 3", "A-Straße 1"]
    threads = [threading.Thread(target=geocoder.locate, args=(q,)) for q in queries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(r.at for r in nominatim.requests)
    assert len(times) == 3
    assert all(b - a >= 0.2 for a, b in pairwise(times))
    assert len(json.loads((tmp_path / "geocoder.json").read_text())["entries"]) == 3


def test_public_nominatim_is_never_asked_faster_than_once_a_second(tmp_path: Path) -> None:
    values = load_settings({"GEOCODER_MIN_INTERVAL": 0, "CACHE_DIR": str(tmp_path)}, environ={})
    assert Geocoder(values).min_interval == 1.0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"GEOCODER_URL": "nominatim.example.org"},
            (
                "setting GEOCODER_URL must be an http(s) URL such as https://nominatim.openstreetmap.org, "
                "not 'nominatim.example.org'"
            ),
        ),
        ({"GEOCODER_TIMEOUT": "soon"}, "setting GEOCODER_TIMEOUT must be a number, not 'soon'"),
        (
            {"GEOCODER_MIN_INTERVAL": -1},
            "setting GEOCODER_MIN_INTERVAL must not be negative, not -1",
        ),
    ],
)
def test_bad_settings_are_usage_errors(
    tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        Geocoder(load_settings({"CACHE_DIR": str(tmp_path), **overrides}, environ={}))
    assert str(caught.value) == message


def test_env_setting_for_the_interval_is_read_as_a_number() -> None:
    values = load_settings(environ={"WIQNET_GEOCODER_MIN_INTERVAL": "0.25"})
    assert values["GEOCODER_MIN_INTERVAL"] == 0.25


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"version": 1, "entries": [1]}',
        '{"version": 99, "entries": {}}',
        "[]",
        '{"version": 1, "entries": {"x": {"lat": 1}}}',
    ],
)
def test_damaged_cache_is_reported_with_its_path(
    nominatim: FakeNominatim, tmp_path: Path, content: str
) -> None:
    (tmp_path / "geocoder.json").write_text(content, encoding="utf-8")
    with pytest.raises(GeocodingError) as caught:
        Geocoder(settings(nominatim, tmp_path)).locate(QUERY)
    assert str(caught.value).startswith(f"{tmp_path / 'geocoder.json'}: the geocoder cache ")
    assert str(caught.value).endswith("; delete the file to start a new cache")
    assert nominatim.requests == []


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("47805", "47805 Krefeld, Deutschland"),
        ("Virchowstraße 130a", "Virchowstraße 130a, Krefeld"),
        ("  Virchowstraße   130a ", "Virchowstraße 130a, Krefeld"),
        ("Virchowstraße 130a, 47805", "Virchowstraße 130a, 47805 Krefeld"),
        ("Virchowstraße 130a, 47805 Krefeld", "Virchowstraße 130a, 47805 Krefeld"),
        ("virchowstraße 130a krefeld", "virchowstraße 130a krefeld"),
        ("Königsallee 1, Düsseldorf", "Königsallee 1, Düsseldorf"),
        ("Königsallee 1, 40212 Düsseldorf", "Königsallee 1, 40212 Düsseldorf"),
        ("Fabrik Heeder, Virchowstraße 130a", "Fabrik Heeder, Virchowstraße 130a, Krefeld"),
    ],
)
def test_place_query_adds_krefeld_only_when_no_city_is_given(text: str, query: str) -> None:
    assert place_query(text) == query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51.3228,6.5723", Location(51.3228, 6.5723)),
        (" 51.3228 , 6.5723 ", Location(51.3228, 6.5723)),
        ("51.3228;6.5723", Location(51.3228, 6.5723)),
        ("-33.9,151", Location(-33.9, 151.0)),
    ],
)
def test_resolve_place_takes_lat_lon_without_asking(
    nominatim: FakeNominatim, tmp_path: Path, text: str, expected: Location
) -> None:
    assert resolve_place(text, Geocoder(settings(nominatim, tmp_path))) == expected
    assert nominatim.requests == []


def test_resolve_place_geocodes_postcodes_and_addresses(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.answers["47805 Krefeld, Deutschland"] = ("ok", 51.32, 6.58)
    nominatim.answers["Virchowstraße 130a, Krefeld"] = ("ok", 51.3228, 6.5723)
    geocoder = Geocoder(settings(nominatim, tmp_path))
    assert resolve_place("47805", geocoder) == Location(51.32, 6.58)
    assert resolve_place("Virchowstraße 130a", geocoder) == Location(51.3228, 6.5723)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            (
                "the place is empty; give 'lat,lon' (51.3228,6.5723), a postcode (47805) "
                "or an address (Virchowstraße 130a)"
            ),
        ),
        (
            "91.5,6.5",
            (
                "'91.5,6.5' is not a valid position: latitude goes from -90 to 90 and "
                "longitude from -180 to 180, for example '51.3228,6.5723'"
            ),
        ),
        (
            "Gibtsnicht 99",
            (
                "no place found for 'Gibtsnicht 99' (searched for 'Gibtsnicht 99, "
                "Krefeld'); check the spelling, or give 'lat,lon'"
            ),
        ),
    ],
)
def test_resolve_place_rejects_what_it_cannot_place(
    nominatim: FakeNominatim, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_place(text, Geocoder(settings(nominatim, tmp_path)))
    assert str(caught.value) == message


def test_resolve_place_reports_geocoder_failures(nominatim: FakeNominatim, tmp_path: Path) -> None:
    nominatim.default = "500"
    with pytest.raises(GeocodingError):
        resolve_place("47805", Geocoder(settings(nominatim, tmp_path)))


@given(st.text(max_size=60))
def test_place_query_never_fails_and_always_mentions_a_place(text: str) -> None:
    query = place_query(text)
    assert query == " ".join(query.split())
    assert "," in query or "krefeld" in query.casefold()


def search_settings(fake: FakeNominatim, cache: Path, **extra: Any) -> dict[str, Any]:
    """Return settings for the search geocoder (a fresh one per test: its own cache dir)."""
    return settings(fake, cache, **{"GEOCODER_SEARCH_WAIT": 1.0, **extra})


def test_search_lookups_never_queue_behind_the_pace(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.default = ("ok", 51.3, 6.5)
    geocoder = search_geocoder(search_settings(nominatim, tmp_path, GEOCODER_MIN_INTERVAL=60.0))
    assert geocoder.locate("Erste Straße 1, Krefeld") == Location(51.3, 6.5)
    # The next free slot is a minute away, far beyond the search's wait: no queueing.
    with pytest.raises(GeocodingError, match="is busy with other places; try again in a minute"):
        geocoder.locate("Zweite Straße 2, Krefeld")
    assert len(nominatim.requests) == 1
    assert geocoder.locate("Erste Straße 1, Krefeld") == Location(51.3, 6.5)  # cached


def test_a_slow_geocoder_holds_a_search_only_for_the_search_wait(
    nominatim: FakeNominatim, tmp_path: Path
) -> None:
    nominatim.default = ("sleep", 5.0)
    geocoder = search_geocoder(search_settings(nominatim, tmp_path, GEOCODER_SEARCH_WAIT=0.3))
    with pytest.raises(GeocodingError, match="did not answer within 0.3 s"):
        geocoder.locate(QUERY)


@pytest.mark.parametrize("answer", ["empty", "500"])
def test_search_misses_and_failures_are_remembered(
    nominatim: FakeNominatim, tmp_path: Path, answer: str
) -> None:
    nominatim.default = answer
    geocoder = search_geocoder(search_settings(nominatim, tmp_path))
    for _ in range(3):
        try:
            assert geocoder.locate("Nirgendwo 1, Krefeld") is None
        except GeocodingError:
            assert answer == "500"
    assert len(nominatim.requests) == 1
    assert not (tmp_path / "geocoder.json").exists()
