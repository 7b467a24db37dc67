"""`wiqnet validate`: every malformed file gives located messages, the right exit code, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet.cli import main
from wiqnet.datafile import store

MALFORMED = Path(__file__).parent / "malformed"
INSTITUTION_FIELDS = (
    "id, name, kind, record, category, operator, address, location, phone, email, website, "
    "languages, accessibility, opening_hours, status, sources, verified, notes, origin, services"
)

# (file in tests/malformed without .yaml, exit code, summary line, messages after "file:")
CASES = [
    ('source-without-reference', 1, '1 error, 0 warnings', [
        '5:15: institutions[0].sources[0]: a source needs a url or a file, e.g. url: https://www.krefeld.de/... or file: krefeld-services.md#E13',
    ]),
    ('source-without-date', 1, '1 error, 0 warnings', [
        "6:9: institutions[0].sources[0]: missing required field 'date'",
    ]),
    ('empty-sources', 1, '1 error, 0 warnings', [
        '5:14: institutions[0].sources: needs at least one source, e.g. - {url: https://..., date: 2024-05-01} or - {file: krefeld-services.md#E13, date: 2024-05-01}',
    ]),
    ('link-without-source', 1, '1 error, 0 warnings', [
        "21:5: links[0]: missing required field 'sources'",
    ]),
    ('member-of-organization', 1, '1 error, 0 warnings', [
        "17:27: links[0].to: a 'mitglied' link must point to an institution of kind network; 'psag' is event (set kind: network on it, or use another link kind)",
    ]),
    ('held-at-unknown', 1, '1 error, 0 warnings', [
        "11:33: institutions[0].services[0].held_at[0].institution: 'familienzentrum-westwal' is not an institution id (did you mean 'familienzentrum-westwall'?)",
    ]),
    ('bad-ages', 1, '3 errors, 0 warnings', [
        '12:22: institutions[0].services[0].maximum_age: maximum_age 6 is below minimum_age 27',
        '17:22: institutions[0].services[1].minimum_age: -1 is not an age; use years from 0 to 120, e.g. 0.33 for 4 months',
        '18:22: institutions[0].services[1].maximum_age: 150 is not an age; use years from 0 to 120, e.g. 0.33 for 4 months',
    ]),
    ('short-description', 0, 'OK: 1 institution, 2 services, 0 links; 2 warnings', [
        '9:22: warning: institutions[0].services[0].description: the description only repeats the name; say what the service does, for whom and how to get in',
        '13:22: warning: institutions[0].services[1].description: the description is shorter than 40 characters; say what the service does, for whom and how to get in',
    ]),
    ('verified-after-sources', 0, 'OK: 1 institution, 1 service, 0 links; 1 warning', [
        '6:15: warning: institutions[0].verified: verified 2024-06-01 is newer than the newest source (2017-09-12); add the check as a source or set verified to 2017-09-12',
    ]),
    ('network-without-services', 1, '1 error, 0 warnings', [
        "7:5: institutions[1]: missing required field 'services'",
    ]),
    ('deep-nesting', 1, '1 error, 0 warnings: the file cannot be read', [
        "1:65: the data is nested more than 50 levels deep; this is not a directory file",
    ]),
    ('impossible-date', 1, '1 error, 0 warnings: the file cannot be read', [
        ("10:15: '2021-02-30' is not a valid date (day is out of range for month); write it as "
        "YYYY-MM-DD, e.g. 2021-04-13"),
    ]),
    ('equals-value', 1, '1 error, 0 warnings: the file cannot be read', [
        "10:13: put '=' in quotes",
    ]),
    ('alias-bomb', 1, '1 error, 0 warnings: the file cannot be read', [
        '2:6: anchors and aliases (&, *) are not supported here; write the value out in full',
    ]),
    ('bad-date', 1, '1 error, 0 warnings', [
        "10:15: institutions[0].verified: '2021-13-45' is not a date; write YYYY-MM-DD, e.g. 2021-04-13",
    ]),
    ('bad-email', 1, '1 error, 0 warnings', [
        "9:12: institutions[0].email: 'jobcenter(at)krefeld.de' is not an e-mail address, e.g. 'name@krefeld.de'",
    ]),
    ('bad-hours', 1, '1 error, 0 warnings', [
        "9:20: institutions[0].opening_hours: cannot read the opening hours 'Mo-Fr 8-16': unexpected '8-16' at character 7; write times with minutes, like 08:00-16:00",
    ]),
    ('bad-id', 1, '1 error, 0 warnings', [
        "15:9: institutions[1].id: 'WiQ Krefeld' is not a valid id; use lowercase letters, digits and hyphens, e.g. 'wiq-krefeld'",
    ]),
    ('bad-indent', 1, '1 error, 0 warnings: the file cannot be read', [
        '9:6: YAML syntax error: check the indentation: the keys of one block start in the same column',
    ]),
    ('bad-language', 1, '1 error, 0 warnings', [
        "10:21: institutions[0].languages[1]: 'deutsch' is not an ISO 639-1 language code; use two lowercase letters, e.g. de, tr",
    ]),
    ('bad-link-kind', 1, '1 error, 0 warnings', [
        "29:38: links[0].kind: 'koop' is not allowed (did you mean 'kooperation'?); use one of: kooperation, netzwerk, sprechstunde_vor_ort, vermittlung, traegerschaft, gemeinsames_angebot, auftrag, mitglied, veranstaltung",
    ]),
    ('bad-need', 1, '1 error, 0 warnings', [
        "14:25: institutions[0].services[0].needs[1]: 'schulden' is not a need category (did you mean 'finanzen'?)",
    ]),
    ('bad-phone', 1, '1 error, 0 warnings', [
        "9:12: institutions[0].phone: 'call us' is not a phone number; use digits, spaces, + / - and parentheses, e.g. '02151 86 34 72'",
    ]),
    ('bad-postcode', 1, '1 error, 0 warnings', [
        '6:17: institutions[0].address.postcode: \'4780\' is not a postcode; use 5 digits in quotes, e.g. "47805"',
    ]),
    ('bad-status', 1, '1 error, 0 warnings', [
        "10:13: institutions[0].status: 'activ' is not allowed (did you mean 'active'?); use one of: active, inactive, temporarily_closed",
    ]),
    ('bad-url', 1, '1 error, 0 warnings', [
        "9:14: institutions[0].website: 'www.jobcenter-krefeld.de' is not a web address; start it with https://, e.g. 'https://www.krefeld.de'",
    ]),
    ('bool-name', 1, '1 error, 0 warnings', [
        '16:11: institutions[1].name: expected text, got true/false; put it in quotes (yes, no, on and off are read as true/false)',
    ]),
    ('colon-in-value', 1, '1 error, 0 warnings: the file cannot be read', [
        "16:14: YAML syntax error: a ':' where none is expected; put a value that contains ': ' in quotes, or check the indentation",
    ]),
    ('comments-only', 1, '1 error, 0 warnings: the file cannot be read', [
        "1:1: the file is empty; it needs at least 'institutions:'",
    ]),
    ('dangling-link', 1, '1 error, 0 warnings', [
        "29:21: links[0].to: 'jobcentre' is not an institution id (did you mean 'jobcenter'?)",
    ]),
    ('duplicate-institution-id', 1, '2 errors, 1 warning', [
        "15:9: institutions[1].id: duplicate institution id 'jobcenter' (first used on line 2); ids must be unique",
        "16:11: warning: institutions[1].name: looks like a duplicate of 'jobcenter' (same name and address); merge the two entries",
        "24:13: institutions[1].services[0].id: duplicate service id 'jobcenter-beratung' (first used on line 11); ids must be unique",
    ]),
    ('duplicate-key', 1, '1 error, 0 warnings: the file cannot be read', [
        "10:5: duplicate key 'name'; each key may appear only once in a block",
    ]),
    ('duplicate-service-id', 1, '1 error, 0 warnings', [
        "24:13: institutions[1].services[0].id: duplicate service id 'jobcenter-beratung' (first used on line 11); ids must be unique",
    ]),
    ('empty-services', 1, '1 error, 0 warnings', [
        '5:15: institutions[0].services: an institution needs at least one service',
    ]),
    ('empty', 1, '1 error, 0 warnings: the file cannot be read', [
        "1:1: the file is empty; it needs at least 'institutions:'",
    ]),
    ('german-hours', 1, '1 error, 0 warnings', [
        "9:20: institutions[0].opening_hours: cannot read the opening hours 'Di 10:00-12:00': unexpected 'Di 10:00-12:' at character 1; use the day abbreviations Mo Tu We Th Fr Sa Su",
    ]),
    ('institutions-mapping', 1, '1 error, 0 warnings', [
        "2:3: institutions: expected a list (lines starting with '- '), got a mapping",
    ]),
    ('institutions-null', 1, '1 error, 0 warnings', [
        "1:14: institutions: expected a list (lines starting with '- '), got nothing (an empty value); list the institutions below it, each starting with '- '",
    ]),
    ('invalid-utf8', 1, '1 error, 0 warnings: the file cannot be read', [
        '5:16: the file is not valid UTF-8 (byte 0xfc); save it as UTF-8 in your editor',
    ]),
    ('likely-duplicate', 0, 'OK: 2 institutions, 2 services, 0 links; 1 warning', [
        "16:11: warning: institutions[1].name: looks like a duplicate of 'jobcenter' (same name and address); merge the two entries",
    ]),
    ('list-document', 1, '1 error, 0 warnings', [
        "1:1: the file must be a mapping that starts with 'institutions:', not a list",
    ]),
    ('many-errors', 1, '5 errors, 0 warnings', [
        '6:17: institutions[0].address.postcode: \'4780\' is not a postcode; use 5 digits in quotes, e.g. "47805"',
        "14:17: institutions[0].services[0].needs[0]: 'wohnung' is not a need category (did you mean 'wohnen'?)",
        "15:5: institutions[1]: missing required field 'name'",
        f"16:5: institutions[1].nam: unknown field 'nam' (did you mean 'name'?); allowed: {INSTITUTION_FIELDS}",
        "29:21: links[0].to: 'nowhere' is not an institution id",
    ]),
    ('missing-services', 1, '1 error, 0 warnings', [
        "2:5: institutions[0]: missing required field 'services'",
    ]),
    ('missing-source', 1, '1 error, 0 warnings', [
        "2:5: institutions[0]: missing required field 'sources'",
    ]),
    ('no-needs', 1, '1 error, 0 warnings', [
        '14:16: institutions[0].services[0].needs: needs at least one entry, e.g. [sozialberatung]',
    ]),
    ('null-name', 1, '1 error, 0 warnings', [
        '16:10: institutions[1].name: expected text, got nothing (an empty value); fill it in or remove the line',
    ]),
    ('outside-city', 0, 'OK: 2 institutions, 2 services, 0 links; 1 warning', [
        '8:15: warning: institutions[0].location: lat 51.2277, lon 6.7735 is outside Krefeld; check the coordinates',
    ]),
    ('outside-germany', 1, '1 error, 0 warnings', [
        '8:15: institutions[0].location: lat 6.579, lon 51.329 is outside Germany; are lat and lon swapped?',
    ]),
    ('postcode-number', 1, '1 error, 0 warnings', [
        '6:17: institutions[0].address.postcode: expected text, got a whole number; put it in quotes: "47805"',
    ]),
    ('scalar-document', 1, '1 error, 0 warnings', [
        "1:1: the file must be a mapping that starts with 'institutions:', not text",
    ]),
    ('self-link', 1, '1 error, 0 warnings', [
        "29:21: links[0].to: a link from 'wiq' to itself; link two different institutions",
    ]),
    ('tabs', 1, '1 error, 0 warnings: the file cannot be read', [
        '3:1: YAML syntax error: found a tab character; indent with spaces, not tabs',
    ]),
    ('two-documents', 1, '1 error, 0 warnings: the file cannot be read', [
        "28:1: YAML syntax error: the file holds more than one document ('---'); keep one",
    ]),
    ('unclosed-quote', 1, '1 error, 0 warnings: the file cannot be read', [
        '19:18: YAML syntax error: the quote opened on line 9 is not closed; add the closing quote',
    ]),
    ('unknown-field', 1, '1 error, 0 warnings', [
        f"4:5: institutions[0].adress: unknown field 'adress' (did you mean 'address'?); allowed: {INSTITUTION_FIELDS}",
    ]),
    ('unknown-german-field', 1, '1 error, 0 warnings', [
        f"10:5: institutions[0].telefon: unknown field 'telefon' (did you mean 'phone'?); allowed: {INSTITUTION_FIELDS}",
    ]),
    ('unknown-top-level', 1, '1 error, 0 warnings', [
        "28:1: institution: unknown field 'institution' (did you mean 'institutions'?); allowed: institutions, links",
    ]),
    ('verified-future', 1, '1 error, 0 warnings', [
        '10:15: institutions[0].verified: verified date 2999-01-01 is in the future',
    ]),
    ('wrong-type-location', 1, '1 error, 0 warnings', [
        '8:21: institutions[0].location.lat: expected a number, got text; write it without quotes and with a decimal point: 51.329',
    ]),
    ('wrong-type-name', 1, '1 error, 0 warnings', [
        '3:11: institutions[0].name: expected text, got a list',
    ]),
]


def run(args: list[str]) -> tuple[int, list[str], str]:
    """Invoke the CLI; return exit code, stdout lines and everything printed."""
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines(), result.output


def test_at_least_thirty_malformed_files() -> None:
    """The malformed corpus stays big and every file has an expectation."""
    files = sorted(p.stem for p in MALFORMED.glob("*.yaml"))
    assert len(files) >= 30
    assert files == sorted(name for name, *_ in CASES)


@pytest.mark.parametrize(("name", "code", "summary", "messages"), CASES,
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("fast", [False, True], ids=["pyyaml", "fast-path"])
def test_malformed_file(name: str, code: int, summary: str, messages: list[str], fast: bool,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each malformed file yields exactly the expected located messages and exit code.

    Run twice: as is, and with the fast parser forced on (it is used for files over 1 MB);
    both paths must say exactly the same.
    """
    monkeypatch.chdir(MALFORMED)
    if fast:
        monkeypatch.setattr(store, "FAST_MIN_BYTES", 0)
    exit_code, lines, _ = run(["validate", f"{name}.yaml"])
    assert lines == [f"{name}.yaml:{m}" for m in messages] + [summary]
    assert exit_code == code


def test_valid_file_says_ok_with_counts(data_path: Path) -> None:
    """A valid file prints the OK summary and exits 0."""
    code, lines, _ = run(["validate", str(data_path)])
    assert lines == ["OK: 5 institutions, 5 services, 1 link"]
    assert code == 0


def test_path_defaults_to_the_data_setting(runner: CliRunner) -> None:
    """Without PATH the command checks --data / WIQNET_DATA."""
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.output.strip() == "OK: 5 institutions, 5 services, 1 link"


def test_global_data_option(data_path: Path) -> None:
    """`wiqnet --data FILE validate` checks FILE."""
    code, lines, _ = run(["--data", str(data_path), "validate"])
    assert code == 0 and lines[-1].startswith("OK: 5 institutions")


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is one located error, not a traceback."""
    code, lines, _ = run(["validate", str(tmp_path / "nope.yaml")])
    assert lines == [f"{tmp_path / 'nope.yaml'}: no such file; check the path or set --data",
                     "1 error, 0 warnings: the file cannot be read"]
    assert code == 1


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """A directory given as PATH is reported clearly."""
    code, lines, _ = run(["validate", str(tmp_path)])
    assert lines[0] == f"{tmp_path}: is a directory, not a YAML file"
    assert code == 1


def test_fifty_megabyte_file_is_reported_not_crashed(tmp_path: Path) -> None:
    """A 50 MB file (one huge value) loads and its problem is located."""
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("institutions:\n  - id: big\n    name: \"")
        handle.write("Verein " * (50 * 1024 * 1024 // 7))
        handle.write("\"\n    services: [{id: s, name: n, description: " + DESCRIPTION
                     + ", needs: [arbeit]}]\n")
    assert path.stat().st_size >= 50 * 1024 * 1024
    code, lines, _ = run(["validate", str(path)])
    assert lines == [f"{path}:2:5: institutions[0]: missing required field 'sources'",
                     "1 error, 0 warnings"]
    assert code == 1


@pytest.mark.parametrize("text", [
    "institutions: " + "[" * 100_000 + "]" * 100_000,
    "institutions:\n" + "".join(" " * i + "- \n" for i in range(0, 3000, 2)),
], ids=["flow", "block"])
def test_pathological_nesting_is_refused_without_a_crash(tmp_path: Path, text: str) -> None:
    """Nesting deep enough to crash libyaml's C composer is refused cleanly."""
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    code, lines, _ = run(["validate", str(path)])
    assert lines == [f"{path}:1:1: the data is nested too deeply; this is not a directory file",
                     "1 error, 0 warnings: the file cannot be read"]
    assert code == 1


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    """A file over the size limit is refused before reading it."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    code, lines, _ = run(["validate", str(path)])
    assert lines[0] == (f"{path}:1:1: the file is 68.2 MB; the limit is 64 MB. "
                        "Split it or remove generated content")
    assert code == 1


DESCRIPTION = "Beratung und Vermittlung für Menschen aus Krefeld"


def test_every_problem_in_one_run_sorted_by_line(tmp_path: Path) -> None:
    """Hundreds of problems are all reported, in line order."""
    body = "".join(
        f"  - id: inst-{i}\n    name: Einrichtung {i}\n"
        f"    sources: [{{file: test, date: 2026-01-10}}]\n"
        f"    services: [{{id: s-{i}, name: n, description: {DESCRIPTION}, needs: [schulden]}}]\n"
        for i in range(300)
    )
    path = tmp_path / "many.yaml"
    path.write_text("institutions:\n" + body, encoding="utf-8")
    code, lines, _ = run(["validate", str(path)])
    assert len(lines) == 301 and lines[-1] == "300 errors, 0 warnings"
    numbers = [int(line.split(":")[1]) for line in lines[:-1]]
    assert numbers == sorted(numbers)
    assert lines[0] == (f"{path}:5:107: institutions[0].services[0].needs[0]: 'schulden' is not "
                        "a need category (did you mean 'finanzen'?)")
    assert code == 1


def test_unreadable_file(tmp_path: Path) -> None:
    """A file without read permission is a clean error (skipped when running as root)."""
    if os.geteuid() == 0:
        pytest.skip("root can read every file")
    path = tmp_path / "secret.yaml"
    path.write_text("institutions: []\n", encoding="utf-8")
    path.chmod(0)
    code, lines, _ = run(["validate", str(path)])
    assert lines[0] == f"{path}: permission denied; check the file's permissions"
    assert code == 1


def test_help_has_an_example() -> None:
    """The command's help text carries an example."""
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert "Example: wiqnet validate data/institutions.yaml" in result.output


def test_validate_also_checks_the_vocabulary_beside_the_data_file(
    data_path: Path, runner: CliRunner
) -> None:
    (data_path.parent / "vocabulary.yaml").write_text(
        "words:\n  schulden:\n    - Mahnung\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["validate", str(data_path)])
    assert result.exit_code == 1
    assert (
        f"{data_path.parent / 'vocabulary.yaml'}:2:3: words.schulden: 'schulden' is not a "
        "need category (did you mean 'finanzen'?)"
    ) in result.output
