"""`wiqnet stats`: the text report, --json, --limit, --as-of and errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet.cli import main


def test_stats_report_shows_every_need_and_the_buckets(runner: CliRunner, data_path: Path) -> None:
    result = runner.invoke(main, ["stats", "--as-of", "2026-11-25", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"""\
{data_path}: 5 institutions, 5 active services, 1 link

By need (active services):
  key              Anliegen                    services  institutions
  sozialberatung   Allgemeine Sozialberatung          1             1
  arbeit           Arbeit und Beruf                   2             2
  aemter           Ämter und Anträge                  2             2
  finanzen         Geld und Schulden                  1             1
  erziehung        Erziehung und Familie              2             2
  partnerschaft    Partnerschaft und Trennung         1             1
  kinderbetreuung  Kinderbetreuung                    1             1
  schule           Schule und Lernen                  0             0  NOT COVERED
  sprache          Sprache                            0             0  NOT COVERED
  migration        Migration und Aufenthalt           0             0  NOT COVERED
  gesundheit       Gesundheit                         0             0  NOT COVERED
  wohnen           Wohnen                             0             0  NOT COVERED
  freizeit         Freizeit und Begegnung             1             1
  schutz           Schutz und Krise                   1             1
  behinderung      Behinderung und Inklusion          0             0  NOT COVERED
  senioren         Alter und Pflege                   0             0  NOT COVERED
  grundversorgung  Essen und Alltag                   0             0  NOT COVERED
Need keys without an active service (8 of 17): schule, sprache, migration, gesundheit, \
wohnen, behinderung, senioren, grundversorgung.

By quarter (institutions):
  Hardenbergviertel               0
  Stephanplatz                    3
  außerhalb der Quartiere         1
  Adresse ohne Koordinaten        0
  ohne Adresse (Telefon, online)  1

By category (institutions):
  (ohne Kategorie)  5

By status (institutions):
  active  5

By link kind:
  kooperation                        0
  netzwerk                           0
  sprechstunde_vor_ort (directed)    0
  vermittlung (directed)             1
  traegerschaft (directed)           0
  gemeinsames_angebot                0
  auftrag (directed)                 0
  mitglied (directed)                0
  veranstaltung (directed)           0
  gleicher_standort (derived pairs)  1
  gleicher_traeger (derived pairs)   0

Checked in the last 12 months: 0 of 5 active institutions (0%)
Not confirmed for over 365 days by a source or a check (as of 2026-11-25): 4 of 5 institutions, oldest first:
  2017-09-12  fabrik-heeder  Fabrik Heeder
  2017-09-12  jobcenter      Jobcenter Krefeld
  ... and 2 more (--limit 0 lists all)
Links not confirmed by a source for over 365 days: 1 of 1
"""
    )


def test_all_needs_covered_is_said_in_one_line(
    small_data: dict, directory_yaml: Callable[..., Path]
) -> None:
    from wiqnet.needs import need_keys

    small_data["institutions"][0]["services"][0]["needs"] = list(need_keys())
    path = directory_yaml(small_data)
    result = CliRunner().invoke(main, ["--data", str(path), "stats"])
    assert result.exit_code == 0, result.output
    assert "\nAll 17 need keys are covered.\n" in result.output
    assert "NOT COVERED" not in result.output


def test_limit_0_lists_all_and_stale_days_is_a_setting(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_STALE_DAYS", "2500")
    result = runner.invoke(main, ["stats", "--as-of", "2026-11-25", "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert (
        "Not confirmed for over 2500 days by a source or a check (as of 2026-11-25): "
        "3 of 5 institutions, oldest first:\n"
    ) in result.output
    assert (
        "  2017-09-12  kita-st-stephan  Katholische Kindertageseinrichtung Sankt Stephan\n"
        in result.output
    )
    assert "more (--limit 0" not in result.output


def test_json_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["stats", "--json", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["by_need"]) == 17
    assert data["by_need"][0] == {
        "key": "sozialberatung",
        "label": "Allgemeine Sozialberatung",
        "services": 1,
        "institutions": 1,
    }
    assert [q["key"] for q in data["by_quarter"]] == [
        "hardenbergviertel",
        "stephanplatz",
        "outside",
        "no_location",
        "no_address",
    ]
    assert data["derived_pairs"] == [
        {"key": "gleicher_standort", "label": "gleicher_standort", "count": 1},
        {"key": "gleicher_traeger", "label": "gleicher_traeger", "count": 0},
    ]
    assert len(data["stale"]) == 4
    assert data["uncovered_needs"][0] == "schule"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "--as-of", "25.11.2026"], "Invalid value for '--as-of'"),
        (["stats", "--limit", "-1"], "Invalid value for '--limit'"),
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output


def test_missing_data_file_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--data", str(tmp_path / "none.yaml"), "stats"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'none.yaml'}: no such file; check the path or set --data\n"
    )


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["stats", "--help"])
    assert "Example: wiqnet stats --limit 10" in result.output


def test_the_newest_source_counts_when_there_is_no_verified_date(
    small_data: dict, directory_yaml: Callable[..., Path]
) -> None:
    for inst in small_data["institutions"]:
        inst.pop("verified", None)
    small_data["institutions"][0]["sources"].append(
        {"url": "https://www.krefeld.de/wiq", "date": "2026-10-01"}
    )
    path = directory_yaml(small_data)
    result = CliRunner().invoke(
        main, ["--data", str(path), "stats", "--as-of", "2026-11-25", "--limit", "0"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "by a source or a check (as of 2026-11-25): 3 of 5 institutions, oldest first:\n"
        "  2017-09-12  fabrik-heeder    Fabrik Heeder\n"
    ) in result.output
    assert "  wiq  " not in result.output
