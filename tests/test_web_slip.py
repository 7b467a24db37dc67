"""The referral slip and the .vcf download (Flask test client)."""

from __future__ import annotations

from typing import Any


def test_institution_page_offers_a_vcf_download(client: Any) -> None:
    html = client.get("/einrichtung/wiq").get_data(as_text=True)
    assert '<a href="/einrichtung/wiq/kontakt.vcf" download>' in html
    response = client.get("/einrichtung/wiq/kontakt.vcf")
    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert response.headers["Content-Disposition"] == 'attachment; filename="wiq.vcf"'
    assert "TEL;TYPE=WORK:+492151863472" in response.get_data(as_text=True)


def test_vcf_of_an_unknown_institution_is_404(client: Any) -> None:
    assert client.get("/einrichtung/nix/kontakt.vcf").status_code == 404


def test_slip_shows_no_internal_source_notes(client: Any) -> None:
    html = client.get("/laufzettel/wiq-fallmanagement").get_data(as_text=True)
    assert "Pressemitteilung" not in html and "Stand: 13.04.2021" in html
    assert "Skizze ohne Straßen" in html  # tiles are off in the test app


def test_sensitive_service_offers_the_discreet_slip(client: Any) -> None:
    html = client.get("/laufzettel/hilfetelefon-gewalt-beratung?lang2=tr").get_data(as_text=True)
    assert "Sensibles Thema" in html
    assert 'href="/laufzettel/hilfetelefon-gewalt-beratung?diskret=1&amp;lang2=tr"' in html
    discreet = client.get("/laufzettel/hilfetelefon-gewalt-beratung?diskret=1&lang2=tr")
    text = discreet.get_data(as_text=True)
    assert "<title>Notiz – wiqnet</title>" in text
    assert "Hilfetelefon" not in text.split("<article", 1)[1]
    assert "İletişim" in text  # the second language's heading is neutral too
    plain = client.get("/laufzettel/jobcenter-buergergeld").get_data(as_text=True)
    assert "Sensibles Thema" not in plain
