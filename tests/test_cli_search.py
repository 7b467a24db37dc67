"""`wiqnet search`: text output, the JSON contract, and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet.cli import main


def test_search_prints_results_with_why_and_path(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["search", "Begleitung zum Jobcenter", "--open-at", "Mi 15:00", "--include-home"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "Topics: antragshilfe, buergergeld",
        "Needs: aemter",
        "2 matching service(s); the best 2:",
    ]
    job = next(n for n, line in enumerate(lines) if "[jobcenter-buergergeld, score " in line)
    assert lines[job].endswith(
        "Bürgergeld und Arbeitsvermittlung – Jobcenter Krefeld  "
        f"[jobcenter-buergergeld, score {lines[job].split()[-1]}"
    )
    assert lines[job + 1].startswith(
        "    Thema: Bürgergeld und Jobcenter · Anliegen: Ämter und Anträge"
    )
    assert lines[job + 2] == "    path: wiq -> jobcenter"
    wiq = next(n for n, line in enumerate(lines) if "[wiq-fallmanagement, score " in line)
    assert "im Quartier Stephanplatz · Mi 15:00 geöffnet" in lines[wiq + 1]


def test_home_institution_is_the_bridge_not_a_result(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "Begleitung zum Jobcenter"])
    assert result.exit_code == 0, result.output
    assert "wiq-fallmanagement" not in result.output
    assert "direkter Kontakt von WiQ – Wir im Quartier" in result.output
    assert "wiq-fallmanagement" in runner.invoke(main, ["search", "WiQ"]).output


def test_turkish_query_says_its_language(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "kreş arıyorum"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["Query language: Turkish", "Topics: kita-platz"]
    assert "kita-st-stephan-betreuung" in result.output


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (["--near", "91,6"], "Note: The search does not know the place “91,6” in “Near”"),
        (
            ["--open-at", "someday"],
            "Note: “someday” in “Open at” could not be read and was ignored.",
        ),
    ],
)
def test_unreadable_filters_are_noted_and_ignored(
    runner: CliRunner, args: list[str], note: str
) -> None:
    result = runner.invoke(main, ["search", "Kita", *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(note)
    assert "kita-st-stephan-betreuung" in result.output


def test_search_json_is_the_contract(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        [
            "search",
            "Mietschulden",
            "--json",
            "--near",
            "51.322848,6.5723",
            "--limit",
            "1",
            "--include-home",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["query"] == "Mietschulden"
    assert set(body["needs"]) == {"finanzen", "wohnen"}
    assert (body["topics"], body["language"]) == (["raeumungsschutz"], "de")
    [first] = body["results"]
    assert first["service_id"] == "wiq-fallmanagement"
    assert first["distance_m"] == 0
    assert first["path"] == ["wiq"]
    assert first["why"][0] == "Anliegen: Geld und Schulden"


def test_no_match_points_to_the_open_consultation(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "🙂"])
    assert result.exit_code == 0
    assert "Keine passenden Angebote für „🙂“ gefunden." in result.output
    assert "Mi 14:00–16:00" in result.output
    assert "Try a need category: sozialberatung (Allgemeine Sozialberatung)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search"], "Error: type what the family needs"),
        (["search", "x" * 10_000], "Error: the query has 10000 characters; the limit is 500"),
        (["search", "x", "--need", "schuldn"], "Error: 'schuldn' is not a need category"),
        (["search", "x", "--from", "nobody"], "Error: no institution with id 'nobody'"),
        (
            ["search", "x", "--limit", "1000"],
            "Error: the limit must be between 1 and 100, not 1000",
        ),
    ],
)
def test_bad_input_is_a_clean_error(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert "Traceback" not in result.output


def test_bad_vocabulary_is_reported_with_its_position(runner: CliRunner, data_path: Path) -> None:
    data_path.with_name("vocabulary.yaml").write_text(
        "# local words\nwords:\n  finanzen:\n    - Moos\n  wohnenn:\n    - Bude\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["search", "Moos"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {data_path.with_name('vocabulary.yaml')}:5:3: words.wohnenn: 'wohnenn' is not a "
        "need category (did you mean 'wohnen'?)"
    )


def test_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "--help"])
    assert 'Example: wiqnet search "Mietschulden"' in result.output


def test_near_a_place_the_directory_knows_needs_no_geocoder(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_GEOCODER_URL", "http://127.0.0.1:9")  # nothing listens there
    result = runner.invoke(main, ["search", "Kita", "--near", "Fabrik Heeder", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["results"][0]
    assert first["service_id"] == "kita-st-stephan-betreuung"
    assert first["distance_m"] == pytest.approx(355, abs=5)


def test_an_unknown_need_gets_the_same_suggestion_as_in_validation(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "Hilfe", "--need", "schulden"])
    assert result.exit_code == 2
    assert "'schulden' is not a need category; did you mean 'finanzen'?" in result.output


def test_a_situation_lists_each_need_under_its_label_numbered_by_rank(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "Kita-Platz gesucht und häusliche Gewalt"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "The query names 2 needs; the best for each:" in lines
    headers = [n for n, line in enumerate(lines) if line.startswith("-- ")]
    assert [lines[n] for n in headers] == ["-- Kita-Platz --", "-- Schutz vor Gewalt --"] or [
        lines[n] for n in headers
    ] == ["-- Schutz vor Gewalt --", "-- Kita-Platz --"]
    kita = lines.index("-- Kita-Platz --")
    assert "[kita-st-stephan-betreuung, score " in lines[kita + 1]
    violence = lines.index("-- Schutz vor Gewalt --")
    assert "[hilfetelefon-gewalt-beratung, score " in lines[violence + 1]
    numbers = sorted(int(lines[n + 1].split(".")[0]) for n in headers)
    assert numbers == [1, 2]
