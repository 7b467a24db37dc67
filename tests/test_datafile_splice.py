"""Editing one institution's block only: the same file as a whole-file edit, or a fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiqnet.datafile import edit as edit_module
from wiqnet.datafile import update_institution
from wiqnet.datafile.splice import cut

COMMENTED = """\
# a file with comments everywhere
institutions:
  # --- first section
  - id: wiq   # WiQ itself
    name: WiQ – Wir im Quartier
    phone: 02151 86 34 72
    sources: [{url: "https://www.krefeld.de/", date: 2021-04-13}]
    services:
      - id: wiq-beratung
        name: Beratung
        description: Offene Sprechstunde.   # keep me
        needs: [sozialberatung]
  # --- second section
  - name: Fabrik Heeder
    id: 'fabrik-heeder'
    sources: [{url: "https://www.krefeld.de/", date: 2021-04-13}]
    services:
      - id: fabrik-kultur
        name: Kultur
        description: Theater.
        needs: [freizeit]
# closing comment
links: []
"""


def whole_file_edit(path: Path, inst_id: str, changes: dict[str, Any]) -> str:
    """Return the text a whole-file edit of the same changes writes (the reference)."""
    reference = path.with_name("reference.yaml")
    reference.write_bytes(path.read_bytes())
    original = edit_module.cut
    try:
        edit_module.cut = lambda text, inst: None  # type: ignore[assignment]
        update_institution(reference, inst_id, changes, expected_digest=None)
    finally:
        edit_module.cut = original
    return reference.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("inst_id", "changes"),
    [
        ("wiq", {"phone": "0800 111"}),
        ("wiq", {"services[0].description": "Neu.", "email": "a@b.de"}),
        ("fabrik-heeder", {"phone": "0800 222", "services[1].id": "fabrik-neu"}),
        ("fabrik-heeder", {"status": "inactive"}),
    ],
)
def test_a_block_edit_writes_what_a_whole_file_edit_writes(
    tmp_path: Path, inst_id: str, changes: dict[str, Any]
) -> None:
    if "services[1].id" in changes:
        changes = {**changes, "services[1].name": "Neu", "services[1].description": "x"}
        changes["services[1].needs"] = ["freizeit"]
    path = tmp_path / "institutions.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert cut(COMMENTED, inst_id) is not None
    expected = whole_file_edit(path, inst_id, changes)
    update_institution(path, inst_id, changes, expected_digest=None)
    assert path.read_text(encoding="utf-8") == expected
    assert "# keep me" in expected and "# closing comment" in expected


def test_the_block_is_the_item_with_its_trailing_comments() -> None:
    block = cut(COMMENTED, "wiq")
    assert block is not None
    assert block.text.startswith("  - id: wiq   # WiQ itself\n")
    assert block.text.endswith("  # --- second section\n")
    assert block.ids == ("wiq", "fabrik-heeder")
    assert block.join(block.document) == COMMENTED
    second = cut(COMMENTED, "fabrik-heeder")
    assert second is not None
    assert second.text.endswith("# closing comment\n")
    assert second.after == "links: []\n"


@pytest.mark.parametrize(
    "text",
    [
        COMMENTED.replace("\n", "\r\n"),
        COMMENTED.replace("'fabrik-heeder'", "wiq"),
        COMMENTED.replace("    id: 'fabrik-heeder'\n", ""),
        "institutions: []\n",
        "links: []\n",
    ],
    ids=["crlf", "duplicate-id", "id-not-readable", "flow-list", "no-institutions"],
)
def test_unsure_cases_are_left_to_the_whole_file_edit(text: str) -> None:
    assert cut(text, "wiq") is None


@settings(max_examples=25, deadline=None)
@given(value=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_value_gives_the_same_file(
    tmp_path_factory: pytest.TempPathFactory, value: str
) -> None:
    path = tmp_path_factory.mktemp("splice") / "institutions.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    expected = whole_file_edit(path, "wiq", {"notes": value})
    update_institution(path, "wiq", {"notes": value}, expected_digest=None)
    assert path.read_text(encoding="utf-8") == expected
