"""The dated network report for the funders: one self-contained HTML file, and its PDF."""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date

from jinja2 import Environment

from ..model import Directory
from ..needs import need_label
from ..printing import print_pdf
from .analysis import Growth, compare, growth_series, yearly_days
from .coverage import Coverage
from .draw import to_svg
from .introductions import reason
from .layout import diagram
from .overview import overview

TEMPLATE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Netzwerkbericht WiQ – Stand {{ day(o.on) }}</title>
<style>
body{font-family:"DejaVu Sans",sans-serif;margin:2em auto;max-width:60em;color:#111;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.2em .5em;
text-align:left;vertical-align:top}td.n{text-align:right}td.gap{background:#fde0dc;font-weight:bold}
svg{width:100%;height:auto;border:1px solid #ddd}.small{font-size:.85em;color:#444}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
</style></head><body>
<h1>Netzwerkbericht WiQ – Wir im Quartier</h1>
<p>Stand: <strong>{{ day(o.on) }}</strong>. Grundlage: {{ source }} ({{ o.stats.institutions }}
aktive Einrichtungen; eingetragene Kooperationen mit Quelle).</p>
<h2>Kennzahlen</h2>
<table><tbody>
<tr><th>Aktive Einrichtungen</th><td class="n">{{ o.stats.institutions }}</td></tr>
<tr><th>Kooperierende Paare</th><td class="n">{{ o.stats.links }}</td></tr>
<tr><th>Dichte (Anteil aller möglichen Paare)</th><td class="n">{{ pct(o.stats.density) }}</td></tr>
<tr><th>Teilnetze (mind. zwei Einrichtungen)</th><td class="n">{{ o.stats.components }}</td></tr>
<tr><th>Größtes Teilnetz</th><td class="n">{{ o.stats.largest_component }}</td></tr>
<tr><th>Einrichtungen ohne Kooperation</th><td class="n">{{ o.stats.isolates }}</td></tr>
<tr><th>Modularität der Gruppen</th><td class="n">{{ "%.2f"|format(o.modularity) }}</td></tr>
</tbody></table>
{% if growth %}
<h2>Entwicklung seit {{ day(growth.before.on) }}</h2>
<table><thead><tr><th></th><th>{{ day(growth.before.on) }}</th><th>{{ day(growth.after.on) }}</th>
<th>Veränderung</th></tr></thead><tbody>
{% for label, attr in rows %}<tr><th>{{ label }}</th>
<td class="n">{{ growth.before[attr] }}</td><td class="n">{{ growth.after[attr] }}</td>
<td class="n">{{ "%+d"|format(growth.after[attr] - growth.before[attr]) }}</td></tr>{% endfor %}
</tbody></table>
<p>Neu eingetragen: {{ growth.added|length }}; beendet: {{ growth.ended|length }}.</p>
{% if growth.added %}<ul>{% for l in growth.added %}<li>{{ name(l.source_id) }} – {{ name(l.target_id) }}
({{ l.kind }}{% if l.since %}, seit {{ day(l.since) }}{% endif %})</li>{% endfor %}</ul>{% endif %}
{% if growth.ended %}<p>Beendet:</p><ul>{% for l in growth.ended %}<li>{{ name(l.source_id) }} –
{{ name(l.target_id) }} ({{ l.kind }}, bis {{ day(l.until) }})</li>{% endfor %}</ul>{% endif %}
{% endif %}
{% if series|length > 1 %}
<h2>Wachstum</h2>
<table><thead><tr><th>Stichtag</th><th>Kooperierende Paare</th><th>Ohne Kooperation</th>
<th>Größtes Teilnetz</th></tr></thead><tbody>
{% for s in series %}<tr><td>{{ day(s.on) }}</td><td class="n">{{ s.links }}</td>
<td class="n">{{ s.isolates }}</td><td class="n">{{ s.largest_component }}</td></tr>{% endfor %}
</tbody></table>
<p class="small">Kooperationen ohne Beginn-Datum zählen an jedem Stichtag mit.</p>
{% endif %}
<h2>Netzwerkdiagramm</h2>
{{ svg|safe }}
<p class="small">Punktgröße: Zahl der Partner; Farbe: Hauptanliegen; gestrichelt: gleicher
Standort oder Träger (abgeleitet, keine eingetragene Kooperation).</p>
<h2>Brückenbauer</h2>
<p class="small">Einrichtungen, die andere verbinden (Betweenness-Zentralität).</p>
{% if o.brokers %}<table><thead><tr><th>Einrichtung</th><th>Partner</th><th>Betweenness</th></tr>
</thead><tbody>{% for c in o.brokers %}<tr><td>{{ name(c.institution_id) }}</td>
<td class="n">{{ c.degree }}</td><td class="n">{{ "%.4f"|format(c.betweenness) }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p>Noch keine.</p>{% endif %}
<h2>Gruppen</h2>
{% if o.communities %}<ol>{% for g in o.communities %}<li>{{ g|map("inst_name")|join(", ") }}</li>
{% endfor %}</ol>{% else %}<p>Noch keine.</p>{% endif %}
<h2>Ohne Kooperation ({{ o.isolates|length }})</h2>
<p>{{ o.isolates|map("inst_name")|join(", ") or "Keine." }}</p>
<h2>Versorgung nach Anliegen und Quartier</h2>
<p class="small">Zahl der aktiven Angebote; rot: kein Angebot im Quartier (Lücke).</p>
<table><thead><tr><th>Anliegen</th>{% for c in cov.columns %}<th>{{ cov.labels[c] }}</th>
{% endfor %}</tr></thead><tbody>{% for n in cov.needs %}<tr><th>{{ need(n) }}</th>
{% for c in cov.columns %}{% set k = cov.count(n, c) %}<td class="n{% if k == 0 and c in
quarters %} gap{% endif %}">{{ k }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<h2>Vorgeschlagene Kontakte</h2>
<p class="small">Paare ohne Kooperation, die einander ergänzende Anliegen für dieselbe Zielgruppe
abdecken und nah beieinander liegen; die besten zuerst.</p>
{% if o.introductions %}<ol>{% for s in o.introductions[:15] %}<li><strong>{{ name(s.a) }} und
{{ name(s.b) }}</strong>: {{ why(s) }}</li>{% endfor %}</ol>{% else %}<p>Keine.</p>{% endif %}
</body></html>
"""
GROWTH_ROWS = [("Aktive Einrichtungen", "institutions"), ("Kooperierende Paare", "links"),
               ("Teilnetze", "components"), ("Größtes Teilnetz", "largest_component"),
               ("Ohne Kooperation", "isolates")]


def _day(value: date | None) -> str:
    """Return a date as DD.MM.YYYY."""
    return value.strftime("%d.%m.%Y") if value else ""


def render_report(directory: Directory, on: date | None = None, *,
                  compare_with: date | None = None, public_url: str = "",
                  cache_dir: str | os.PathLike[str] | None = None) -> str:
    """Return the network report on a day (default today) as one self-contained HTML page."""
    view = overview(directory, on, introductions_limit=15)
    growth: Growth | None = compare(directory, compare_with, view.on) if compare_with else None
    series = growth_series(directory, yearly_days(directory, view.on))
    href = public_url.rstrip("/") + "/einrichtung/{id}" if public_url else None
    svg = to_svg(diagram(directory, view.on, cache_dir=cache_dir), href=href)
    cov: Coverage = view.coverage

    def name(institution_id: str) -> str:
        """Return an institution's name, or the id when it is unknown."""
        inst = directory.institution(institution_id)
        return inst.name if inst else institution_id

    env = Environment(autoescape=True)
    env.filters["inst_name"] = name
    template = env.from_string(TEMPLATE)
    return template.render(
        o=view, growth=_as_dicts(growth), series=series, svg=svg, cov=cov,
        quarters=set(cov.quarters()), rows=GROWTH_ROWS, source=os.path.basename(directory.path)
        or "Verzeichnis", day=_day, pct=lambda x: f"{x * 100:.2f} %".replace(".", ","),
        name=name, need=need_label, why=lambda s: reason(s, directory),
    )


def _as_dicts(growth: Growth | None) -> dict[str, object] | None:
    """Return the growth with its figures as dicts for the template."""
    if growth is None:
        return None
    return {"before": asdict(growth.before), "after": asdict(growth.after),
            "added": growth.added, "ended": growth.ended}


def html_to_pdf(html: str) -> bytes:
    """Print the report to A4 PDF with the system Chromium."""
    return print_pdf(html, {"format": "A4", "margin": {"top": "15mm", "bottom": "15mm",
                                                       "left": "12mm", "right": "12mm"}},
                     what="the report")
