"""Real Chromium: the shipped network's diagram has no overlapping labels; the report fits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from wiqnet.datafile.load import load_directory
from wiqnet.model import LINK_KINDS
from wiqnet.needs import need_keys
from wiqnet.network import export_network, html_to_pdf, render_report
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "institutions.yaml"
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('svg text')].map(t => {
    const r = t.getBBox(); return [r.x, r.y, r.x + r.width, r.y + r.height, t.textContent];
  });
  const found = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) found.push([a[4], b[4]]);
  }
  return [boxes.length, found];
}"""


def test_exported_svg_of_the_shipped_network_has_no_overlapping_labels() -> None:
    directory = load_directory(SHIPPED)
    svg = export_network(directory, "svg", on=date(2026, 12, 1)).decode("utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.set_content(f"<!doctype html><html><body style='margin:0'>{svg}</body></html>")
            count, overlaps = page.evaluate(OVERLAPS)
        finally:
            browser.close()
    assert overlaps == []
    assert count > 60  # labels, column headings and legend


def test_report_of_the_shipped_network_prints_to_four_pages_without_raw_keys() -> None:
    import pypdfium2

    directory = load_directory(SHIPPED)
    pdf = pypdfium2.PdfDocument(html_to_pdf(render_report(directory, date(2026, 12, 1))))
    assert len(pdf) <= 4
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Netzwerkbericht WiQ" in text and "Anhang: vollständige Listen" in text
    keys = [*LINK_KINDS, *need_keys()]
    raw = [k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)]
    assert raw == []
    assert re.search(r"\d,\d %", text)  # German percent (Babel)
