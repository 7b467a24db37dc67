"""The one writer of the data file: comments kept, validated, locked, clear refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from wiqnet.datafile.edit import add_link, edit_data_file, lock_for
from wiqnet.datafile.load import load_directory
from wiqnet.datafile.store import checked_document, digest_bytes
from wiqnet.errors import ConflictError, DataFileError, ValidationFailed, WiqnetError
from wiqnet.model import Link


def _add_link(data: Any) -> None:
    data["links"].append(
        {
            "from": "wiq",
            "to": "kita-st-stephan",
            "kind": "kooperation",
            "sources": [{"file": "Protokoll", "date": "2026-01-10"}],
        }
    )


def test_an_edit_keeps_comments_and_writes_a_backup(data_path: Path) -> None:
    original = "# Notiz der Koordinatorin\n" + data_path.read_text(encoding="utf-8")
    data_path.write_text(original, encoding="utf-8")
    edit_data_file(data_path, _add_link)
    text = data_path.read_text(encoding="utf-8")
    assert text.startswith("# Notiz der Koordinatorin\n")
    assert "to: kita-st-stephan" in text
    assert data_path.with_name("institutions.yaml.bak").read_text(encoding="utf-8") == original


def test_a_broken_file_is_refused_with_its_location_and_left_alone(data_path: Path) -> None:
    broken = data_path.read_text(encoding="utf-8") + "links: [\n"
    data_path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"institutions\.yaml:\d+:\d+: YAML syntax error"):
        edit_data_file(data_path, _add_link)
    assert data_path.read_text(encoding="utf-8") == broken


def test_an_edit_that_breaks_the_rules_writes_nothing(data_path: Path) -> None:
    before = data_path.read_bytes()

    def dangling(data: Any) -> None:
        data["links"].append(
            {
                "from": "wiq",
                "to": "gibt-es-nicht",
                "kind": "kooperation",
                "sources": [{"file": "Protokoll", "date": "2026-01-10"}],
            }
        )

    with pytest.raises(ValidationFailed):
        edit_data_file(data_path, dangling)
    assert data_path.read_bytes() == before


def test_a_stale_digest_is_refused(data_path: Path) -> None:
    with pytest.raises(ConflictError, match="changed by someone else since you opened it"):
        edit_data_file(data_path, _add_link, expected_digest=digest_bytes(b"old"))


def test_a_held_lock_is_a_clear_conflict(data_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock = lock_for(data_path)
    lock.acquire()
    try:
        monkeypatch.setattr(
            "wiqnet.datafile.edit.lock_for",
            lambda path: type(lock)(str(path) + ".lock", timeout=0.1, is_singleton=False),
        )
        with pytest.raises(ConflictError, match="another wiqnet process is writing the file"):
            edit_data_file(data_path, _add_link)
    finally:
        lock.release()


@pytest.mark.parametrize("text", ["1:0", "yes", "012", "0x1F", "2021-01-01", "~", "1e3", "on"])
def test_text_that_yaml_1_1_would_misread_is_quoted(data_path: Path, text: str) -> None:
    def note(data: Any) -> None:
        data["institutions"][0]["notes"] = text

    edit_data_file(data_path, note)
    assert load_directory(data_path).institutions[0].notes == text


def test_loading_right_after_an_edit_reuses_the_validated_document(data_path: Path) -> None:
    edit_data_file(data_path, _add_link)
    known = checked_document(data_path)
    assert known is not None and known[0].digest == digest_bytes(data_path.read_bytes())
    assert load_directory(data_path).digest == known[0].digest
    data_path.write_text(data_path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert checked_document(data_path) is None  # changed by someone else: read it again


@pytest.mark.parametrize(
    ("link", "code", "params"),
    [
        (Link("wiq", "wiq", "kooperation"), "link.same_institution", {"id": "wiq"}),
        (
            Link("wiq", "jobcenter", "freundschaft"),
            "link.unknown_kind",
            {"kind": "freundschaft", "close": ["traegerschaft"]},
        ),
        (
            Link(
                "wiq", "jobcenter", "kooperation", since=date(2024, 3, 1), until=date(2023, 1, 31)
            ),
            "link.until_before_since",
            {"since": date(2024, 3, 1), "until": date(2023, 1, 31)},
        ),
        (
            Link("wiq", "nirgends", "kooperation"),
            "link.unknown_institution",
            {"role": "TO", "id": "nirgends", "close": []},
        ),
    ],
    ids=["self", "kind", "dates", "unknown"],
)
def test_link_errors_carry_a_code_and_parameters(
    data_path: Path, link: Link, code: str, params: dict[str, Any]
) -> None:
    with pytest.raises(WiqnetError) as caught:
        add_link(data_path, link)
    assert (caught.value.code, caught.value.params) == (code, params)
