"""vCard 3.0 contacts and international phone numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from wiqnet.datafile import load_directory
from wiqnet.discreet import is_sensitive
from wiqnet.phones import dial_string
from wiqnet.vcard import make_vcard


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("02151 86 34 72", "+492151863472"),
        ("0800 111 0 111", "+498001110111"),
        ("116 016", "116016"),
        ("110", "110"),
        ("+49 2151 123", "+492151123"),
        ("0049 2151 123", "+492151123"),
        ("(02151) 86-34-72", "+492151863472"),
    ],
)
def test_dial_string(written: str, dialled: str) -> None:
    assert dial_string(written) == dialled


def test_vcard_parses_back_with_phone_address_and_email(data_path: Path) -> None:
    directory = load_directory(str(data_path))
    inst = directory.institution("wiq")
    assert inst is not None
    card = vobject.readOne(make_vcard(inst, inst.services[0]))
    assert card.version.value == "3.0"
    assert card.fn.value == "Fallmanagement für Familien – WiQ – Wir im Quartier"
    assert card.tel.value == "+492151863472"
    assert card.adr.value.street == "Virchowstraße 130a" and card.adr.value.code == "47805"
    assert card.email.value == "wiq@krefeld.de"


def test_discreet_vcard_names_no_organisation(data_path: Path) -> None:
    directory = load_directory(str(data_path))
    inst = directory.institution("hilfetelefon-gewalt")
    assert inst is not None
    text = make_vcard(inst, inst.services[0], name="Kontakt", discreet=True)
    assert "Gewalt" not in text and "Hilfetelefon" not in text
    assert vobject.readOne(text).tel.value == "116016"


def test_sensitive_topics(data_path: Path) -> None:
    directory = load_directory(str(data_path))
    sensitive = {s.id for i in directory.institutions for s in i.services if is_sensitive(s, i)}
    assert sensitive == {"hilfetelefon-gewalt-beratung", "wiq-fallmanagement"}
