"""`wiqnet link add|remove`: safe writes, clear messages, racing writers, hand edits kept."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from wiqnet.cli import main
from wiqnet.datafile import edit as yamledit
from wiqnet.datafile.edit import add_link
from wiqnet.datafile.store import digest_bytes
from wiqnet.errors import ConflictError
from wiqnet.model import Link, Source

SOURCES = (Source(date(2026, 11, 20), file="Protokoll"),)


def links_in(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("links") or []


def test_add_writes_a_flow_style_link_and_keeps_comments(
    runner: CliRunner, data_path: Path
) -> None:
    data_path.write_text(
        "# Kommentar oben\n" + data_path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = runner.invoke(
        main,
        [
            "link",
            "add",
            "wiq",
            "kita-st-stephan",
            "--kind",
            "kooperation",
            "--note",
            "Elterncafé",
            "--since",
            "2022-03-01",
            "--source",
            "Protokoll 2022-03-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == (f"Added link wiq -- kita-st-stephan (kooperation) to {data_path}.\n")
    text = data_path.read_text(encoding="utf-8")
    assert text.startswith("# Kommentar oben\n")
    assert (
        "  - {from: wiq, to: kita-st-stephan, kind: kooperation, note: Elterncafé, "
        "since: 2022-03-01, sources: [{file: Protokoll 2022-03-01, date: 2022-03-01, "
        "supports: [cooperation]}]}\n"
    ) in text
    assert Path(str(data_path) + ".bak").exists()


def test_add_without_source_is_refused(runner: CliRunner, data_path: Path) -> None:
    before = data_path.read_bytes()
    result = runner.invoke(main, ["link", "add", "jobcenter", "wiq", "--kind", "vermittlung"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: name the source of this cooperation with --source: a URL or "
        "a document, e.g. 'Protokoll Netzwerktreffen 2026-11-20'\n"
    )
    assert data_path.read_bytes() == before


def test_add_with_a_url_and_its_date(runner: CliRunner, data_path: Path) -> None:
    result = runner.invoke(
        main,
        [
            "link",
            "add",
            "jobcenter",
            "wiq",
            "--kind",
            "vermittlung",
            "--source",
            "https://www.krefeld.de/wiq",
            "--source-date",
            "2021-04-13",
        ],
    )
    assert result.exit_code == 0, result.output
    assert links_in(data_path)[-1]["sources"] == [
        {
            "url": "https://www.krefeld.de/wiq",
            "date": date(2021, 4, 13),
            "supports": ["cooperation"],
        }
    ]


def test_add_without_a_date_marks_the_recording_day_as_estimated(
    runner: CliRunner, data_path: Path
) -> None:
    result = runner.invoke(
        main, ["link", "add", "jobcenter", "wiq", "--kind", "vermittlung", "--source", "Protokoll"]
    )
    assert result.exit_code == 0, result.output
    assert links_in(data_path)[-1]["sources"] == [
        {
            "file": "Protokoll",
            "date": date.today(),
            "date_estimated": True,
            "supports": ["cooperation"],
            "note": "Datum der Eintragung",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            ["wiq", "kita-st-stefan", "--kind", "kooperation"],
            "Error: TO institution 'kita-st-stefan' does not exist; did you mean 'kita-st-stephan'?",
            2,
        ),
        (
            ["wik", "jobcenter", "--kind", "kooperation"],
            "Error: FROM institution 'wik' does not exist; did you mean 'wiq'?",
            2,
        ),
        (
            ["zzz", "jobcenter", "--kind", "kooperation"],
            "Error: FROM institution 'zzz' does not exist; check the id in the data file",
            2,
        ),
        (
            ["wiq", "jobcenter", "--kind", "kooperaton"],
            (
                "Error: unknown link kind 'kooperaton'; did you mean 'kooperation'? known kinds: "
                "kooperation, netzwerk, sprechstunde_vor_ort, vermittlung, traegerschaft, "
                "gemeinsames_angebot, auftrag, mitglied, veranstaltung"
            ),
            2,
        ),
        (
            ["wiq", "jobcenter", "--kind", "vermittlung"],
            (
                "Error: the link wiq -> jobcenter (vermittlung) is already recorded; "
                "'wiqnet link remove' first to change it"
            ),
            2,
        ),
        (
            ["wiq", "wiq", "--kind", "kooperation"],
            "Error: a link needs two different institutions, not 'wiq' twice",
            2,
        ),
        (
            [
                "wiq",
                "jobcenter",
                "--kind",
                "kooperation",
                "--since",
                "2022-05-01",
                "--until",
                "2022-01-01",
            ],
            "Error: --until 2022-01-01 lies before --since 2022-05-01",
            2,
        ),
    ],
    ids=["typo-to", "typo-from", "unknown", "kind", "duplicate", "self", "until-before"],
)
def test_add_refuses_with_a_clear_message(
    runner: CliRunner, data_path: Path, args: list[str], message: str, code: int
) -> None:
    before = data_path.read_bytes()
    result = runner.invoke(main, ["link", "add", *args])
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == message
    assert data_path.read_bytes() == before


def test_undirected_duplicate_matches_in_either_order(runner: CliRunner) -> None:
    assert (
        runner.invoke(
            main,
            ["link", "add", "wiq", "fabrik-heeder", "--kind", "netzwerk", "--source", "Protokoll"],
        ).exit_code
        == 0
    )
    again = runner.invoke(
        main, ["link", "add", "fabrik-heeder", "wiq", "--kind", "netzwerk", "--source", "Protokoll"]
    )
    assert again.exit_code == 2
    assert "is already recorded" in again.output


def test_bad_date_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["link", "add", "wiq", "jobcenter", "--kind", "kooperation", "--since", "2022-13-01"]
    )
    assert result.exit_code == 2
    assert "'2022-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01" in result.output


def test_remove_by_kind_and_all_kinds(runner: CliRunner, data_path: Path) -> None:
    runner.invoke(
        main, ["link", "add", "wiq", "jobcenter", "--kind", "kooperation", "--source", "Protokoll"]
    )
    result = runner.invoke(main, ["link", "remove", "wiq", "jobcenter", "--kind", "kooperation"])
    assert result.output == f"Removed link wiq -- jobcenter (kooperation) from {data_path}.\n"
    assert [x["kind"] for x in links_in(data_path)] == ["vermittlung"]
    runner.invoke(
        main, ["link", "add", "jobcenter", "wiq", "--kind", "netzwerk", "--source", "Protokoll"]
    )
    result = runner.invoke(main, ["link", "remove", "wiq", "jobcenter"])
    assert result.exit_code == 0
    assert result.output.count("Removed link") == 2
    assert links_in(data_path) == []


def test_remove_what_is_not_there(runner: CliRunner, data_path: Path) -> None:
    result = runner.invoke(main, ["link", "remove", "wiq", "kita-st-stephan"])
    assert result.exit_code == 2
    assert result.output == ("Error: no link between 'wiq' and 'kita-st-stephan' is recorded\n")
    result = runner.invoke(main, ["link", "remove", "jobcenter", "wiq", "--kind", "vermittlung"])
    assert result.exit_code == 2  # directed: the other way round is another link


def test_add_creates_the_links_list(
    runner: CliRunner, directory_yaml: Any, small_data: dict[str, Any]
) -> None:
    del small_data["links"]
    path = directory_yaml(small_data)
    result = runner.invoke(
        main,
        [
            "--data",
            str(path),
            "link",
            "add",
            "wiq",
            "jobcenter",
            "--kind",
            "kooperation",
            "--source",
            "Protokoll",
            "--source-date",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    assert links_in(path) == [
        {
            "from": "wiq",
            "to": "jobcenter",
            "kind": "kooperation",
            "sources": [
                {"file": "Protokoll", "date": date(2026, 11, 20), "supports": ["cooperation"]}
            ],
        }
    ]


def test_help_has_an_example(runner: CliRunner) -> None:
    for args in (["link", "add", "--help"], ["link", "remove", "--help"]):
        assert "Example: wiqnet link" in runner.invoke(main, args).output


def test_two_cli_processes_racing_both_links_land(data_path: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wiqnet",
                "--data",
                str(data_path),
                "link",
                "add",
                "wiq",
                target,
                "--kind",
                "kooperation",
                "--source",
                "Protokoll",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for target in ("kita-st-stephan", "hilfetelefon-gewalt")
    ]
    outcomes = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outcomes
    targets = {x["to"] for x in links_in(data_path)}
    assert {"jobcenter", "kita-st-stephan", "hilfetelefon-gewalt"} <= targets


def _add_with_digest(path: str, target: str, digest: str, start: Any, out: Any) -> None:
    start.wait()
    try:
        add_link(path, Link("wiq", target, "kooperation", sources=SOURCES), expected_digest=digest)
        out.put(("ok", target))
    except ConflictError as exc:
        out.put(("conflict", str(exc)))


def test_two_web_writers_from_the_same_page_one_wins_one_is_told(data_path: Path) -> None:
    digest = digest_bytes(data_path.read_bytes())
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_add_with_digest, args=(str(data_path), t, digest, start, out))
        for t in ("kita-st-stephan", "hilfetelefon-gewalt")
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    results = sorted(out.get(timeout=5) for _ in workers)
    assert [r[0] for r in results] == ["conflict", "ok"]
    assert "was changed by someone else since you opened it" in results[0][1]
    winner = results[1][1]
    assert [x["to"] for x in links_in(data_path)] == ["jobcenter", winner]


def test_a_hand_edit_after_the_page_was_read_is_never_lost(data_path: Path) -> None:
    digest = digest_bytes(data_path.read_bytes())
    with data_path.open("a", encoding="utf-8") as handle:
        handle.write("# von Hand ergänzt\n")
    with pytest.raises(ConflictError, match="reload and make your change again"):
        add_link(
            data_path,
            Link("wiq", "kita-st-stephan", "kooperation", sources=SOURCES),
            expected_digest=digest,
        )
    assert data_path.read_text(encoding="utf-8").endswith("# von Hand ergänzt\n")
    add_link(data_path, Link("wiq", "kita-st-stephan", "kooperation", sources=SOURCES))
    text = data_path.read_text(encoding="utf-8")
    assert "# von Hand ergänzt" in text and "to: kita-st-stephan" in text


def test_a_hand_edit_saved_while_wiqnet_writes_is_never_lost(
    data_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = yamledit.dump_text

    def editor_saves_meanwhile(data: Any) -> str:
        text = original(data)
        with data_path.open("a", encoding="utf-8") as handle:
            handle.write("# im Editor gespeichert\n")
        return text

    monkeypatch.setattr(yamledit, "dump_text", editor_saves_meanwhile)
    with pytest.raises(ConflictError, match="changed in an editor while wiqnet was writing"):
        add_link(data_path, Link("wiq", "kita-st-stephan", "kooperation", sources=SOURCES))
    text = data_path.read_text(encoding="utf-8")
    assert text.endswith("# im Editor gespeichert\n")
    assert "kita-st-stephan, kind" not in text


@pytest.mark.parametrize("nth", [1, 2], ids=["new-file", "backup"])
def test_a_full_disk_is_a_clean_error_without_leftovers(
    runner: CliRunner, data_path: Path, full_disk: Any, nth: int
) -> None:
    before = data_path.read_bytes()
    full_disk(nth)
    result = runner.invoke(
        main,
        ["link", "add", "wiq", "kita-st-stephan", "--kind", "kooperation", "--source", "Protokoll"],
    )
    assert result.exit_code == 1
    assert not isinstance(result.exception, OSError) and "Traceback" not in result.output
    assert result.output.endswith(
        f"Error: {data_path}: cannot be written (the disk is full; "
        "free some space); nothing was changed\n"
    )
    assert data_path.read_bytes() == before
    assert not [p.name for p in data_path.parent.iterdir() if p.name.endswith(".tmp")]
