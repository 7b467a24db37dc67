"""The dated network report for the funders: one self-contained HTML file, and its PDF.

Four A4 pages for the shipped network: key figures and growth; the diagram; coverage with
its gaps, bridge builders and suggestions; an appendix with the full lists. Numbers and
dates in German (Babel); link kinds and needs by their labels, never their keys.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment

from ..datafile.history import LinkKey, LoggedLink
from ..model import Directory, Institution, Link, newest_source_date
from ..needs import need_label
from ..printing import print_pdf
from ..text import link_kind_label as kind_label
from .analysis import compare
from .draw import to_svg
from .introductions import reason
from .layout import diagram
from .overview import overview

LOCALE = "de"
TEMPLATE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Netzwerkbericht WiQ – Stand {{ day(o.on) }}</title>
<style>
@page{size:A4;margin:14mm 12mm}
body{font-family:"DejaVu Sans",sans-serif;margin:1em auto;max-width:60em;color:#111;line-height:1.35;font-size:10pt}
h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12.5pt;margin:1em 0 .3em;border-bottom:1px solid #999}
h3{font-size:10.5pt;margin:.7em 0 .2em}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
table{border-collapse:collapse;margin:.3em 0;break-inside:avoid}th,td{border:1px solid #bbb;
padding:0 .4em;text-align:left;vertical-align:top}td.n{text-align:right}
td.gap{background:#fde0dc;font-weight:bold}.small{font-size:8.5pt;color:#333}
figure{margin:0;break-inside:avoid}svg{width:100%;height:auto;max-height:118mm;border:1px solid #ddd}
table.cov{font-size:8pt}
section{break-inside:avoid}.page{break-before:page}
.cols{columns:3;column-gap:1.2em;font-family:"DejaVu Sans Condensed","DejaVu Sans",sans-serif;
font-size:6.5pt;line-height:1.2}.cols p{margin:0 0 .15em;break-inside:avoid}.cols p.split{break-inside:auto}
.figures{display:grid;grid-template-columns:repeat(3,1fr);gap:.4em;margin:.4em 0}
.figures div{border:1px solid #bbb;padding:.3em .5em}.figures b{display:block;font-size:15pt}
@media print{body{margin:0;max-width:none}}
</style></head><body>
<h1>Netzwerkbericht WiQ – Wir im Quartier</h1>
<p class="small">Stand: <strong>{{ day(o.on) }}</strong>. Grundlage: {{ source }}; nur eingetragene
Kooperationen mit Quelle.</p>
<section><h2>Kennzahlen</h2>
<div class="figures">
<div><b>{{ num(o.stats.institutions) }}</b>aktive Einrichtungen</div>
<div><b>{{ num(linked) }}</b>davon mit Kooperation</div>
<div><b>{{ num(o.stats.links) }}</b>kooperierende Paare</div>
<div><b>{{ num(o.stats.largest_component) }}</b>im größten zusammenhängenden Teil</div>
<div><b>{{ num(o.stats.components) }}</b>getrennte Teile (ab zwei Einrichtungen)</div>
<div><b>{{ pct(o.stats.density) }}</b>Dichte (Anteil aller möglichen Paare)</div>
</div></section>
<section><h2>Entwicklung vom {{ day(g.start) }} bis {{ day(g.end) }}</h2>
<table><tbody>
<tr><th>Neue Verbindungen</th><td class="n">{{ num(g.new_links|length) }}</td></tr>
<tr><th>Neu aufgenommene Einrichtungen</th><td class="n">{{ num(g.new_institutions|length) }}</td></tr>
<tr><th>Geprüfte Einträge (Quelle oder Prüfung im Zeitraum)</th><td class="n">{{ num(g.checked) }}</td></tr>
<tr><th>Beendete Verbindungen</th><td class="n">{{ num(g.ended|length) }}</td></tr>
<tr><th>Kooperierende Paare am {{ day(g.start) }} / {{ day(g.end) }}</th>
<td class="n">{{ num(g.links_before) }} / {{ num(g.links_after) }}</td></tr>
</tbody></table>
{% if g.new_links %}<p class="small">Die neuen Verbindungen sind im Anhang mit „neu“ markiert.</p>{% endif %}
</section>
<section><h2>Brückenbauer</h2>
<p class="small">Einrichtungen, die andere verbinden (Anteil der kürzesten Wege, die über sie laufen).</p>
{% if o.brokers %}<table><thead><tr><th>Einrichtung</th><th>Partner</th><th>Brückenwert</th></tr>
</thead><tbody>{% for c in o.brokers[:5] %}<tr><td>{{ name(c.institution_id) }}</td>
<td class="n">{{ num(c.degree) }}</td><td class="n">{{ dec(c.betweenness) }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p>Noch keine.</p>{% endif %}</section>
<section><h2>Vorgeschlagene Kontakte</h2>
<p class="small">Paare ohne Kooperation, die sich für Familien im Quartier ergänzen; die besten zuerst.</p>
{% if o.introductions %}<ol class="small">{% for s in o.introductions[:4] %}<li>{{ why(s) }}</li>{% endfor %}</ol>
{% else %}<p>Keine.</p>{% endif %}</section>
<section class="page"><h2>Netzwerkdiagramm</h2>
<figure>{{ svg|safe }}
<figcaption class="small">Gezeigt sind die Einrichtungen mit mindestens einer eingetragenen
Kooperation sowie Netzwerke und Veranstaltungen, in Spalten nach Lage. Größe: Zahl der Partner;
Farbe und Form: Hauptanliegen; Linienart: Art der Verbindung; blass: seit über {{ o_stale }} Tagen
nicht bestätigt.</figcaption></figure></section>
<section><h2>Versorgung nach Anliegen und Quartier</h2>
<p class="small">Zahl der aktiven Angebote; markiert: kein Angebot im Quartier (Lücke).</p>
<table class="cov"><thead><tr><th>Anliegen</th>{% for c in cov.columns %}<th>{{ cov.labels[c] }}</th>
{% endfor %}</tr></thead><tbody>{% for n in cov.needs %}<tr><th>{{ need(n) }}</th>
{% for c in cov.columns %}{% set k = cov.count(n, c) %}<td class="n{% if k == 0 and c in
quarters %} gap{% endif %}">{{ num(k) }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<h3>Lücken</h3>
{% for q, needs in gaps %}<p><strong>{{ q }}:</strong> {{ needs|join(", ") }}.</p>{% else %}<p>Keine.</p>{% endfor %}
</section>
<h2 class="page">Anhang: vollständige Listen</h2>
<h3>Eingetragene Verbindungen ({{ num(links|length) }}; in Klammern Art und Jahr der neuesten Quelle)</h3>
<div class="cols">{% for l in links %}<p>{% if l in new %}<b>neu:</b> {% endif %}{{ name(l.source_id) }} {{ "→" if l.directed else "–" }} {{ name(l.target_id) }} ({{ kind(l.kind) }}{% if l.confirmed_until %}, {{ l.confirmed_until.year }}{% endif %})</p>{% endfor %}</div>
<h3>Einrichtungen ohne eingetragene Kooperation ({{ num(o.isolates|length) }}), nach Hauptanliegen</h3>
<div class="cols">{% for label, names in isolates %}<p class="split"><strong>{{ label }} ({{ num(names|length) }}):</strong>
{{ names|join(", ") }}</p>{% endfor %}</div>
</body></html>
"""


@dataclass(frozen=True)
class Period:
    """What changed between two days: links, new institutions, checked entries."""

    start: date
    end: date
    new_links: tuple[Link, ...]
    ended: tuple[Link, ...]
    new_institutions: tuple[Institution, ...]
    checked: int
    links_before: int
    links_after: int


def _first_source(sources: tuple[object, ...]) -> date | None:
    """Return the date of the oldest source."""
    return min((s.date for s in sources), default=None)  # type: ignore[attr-defined]


def _began(link: Link, logged: Mapping[LinkKey, LoggedLink]) -> date | None:
    """Return when an undated link began: the day the change log saw it added, else its
    first source."""
    seen = logged.get((link.source_id, link.target_id, link.kind))
    return seen.added if seen and seen.added else _first_source(link.sources)


def period(
    directory: Directory,
    start: date,
    end: date,
    logged: Mapping[LinkKey, LoggedLink] | None = None,
) -> Period:
    """Return the growth between two days.

    A link without `since` counts from the day the change log (`logged`) saw it added, else
    from its first source; a link removed from the file without an `until` counts as ended
    on the day the change log saw it removed.
    """
    logged = logged or {}
    growth = compare(directory, start, end)
    undated = tuple(
        link
        for link in directory.links
        if link.since is None
        and (first := _began(link, logged)) is not None
        and start < first <= end
    )
    current = {(link.source_id, link.target_id, link.kind) for link in directory.links}
    removed = tuple(
        seen.link
        for key, seen in logged.items()
        if key not in current
        and seen.link.until is None
        and seen.removed is not None
        and start < seen.removed <= end
    )
    new_institutions = tuple(
        i
        for i in directory.institutions
        if (first := _first_source(i.sources)) is not None and start < first <= end
    )
    checked = sum(
        1
        for i in directory.institutions
        if (day := max((d for d in (newest_source_date(i.sources), i.verified) if d), default=None))
        is not None
        and start < day <= end
    )
    return Period(
        start,
        end,
        growth.added + undated,
        growth.ended + removed,
        new_institutions,
        checked,
        growth.before.links,
        growth.after.links,
    )


def render_report(
    directory: Directory,
    on: date | None = None,
    *,
    compare_with: date | None = None,
    public_url: str = "",
    cache_dir: str | os.PathLike[str] | None = None,
    logged: Mapping[LinkKey, LoggedLink] | None = None,
) -> str:
    """Return the network report on a day (default today) as one self-contained HTML page.

    The growth section covers `compare_with` (default: one year earlier) to the day; the
    change log's `logged` links date the links that lack since/until (see `period`).
    """
    view = overview(directory, on, introductions_limit=15)
    start = compare_with or view.on - timedelta(days=365)
    href = public_url.rstrip("/") + "/einrichtung/{id}" if public_url else None
    drawn = diagram(directory, view.on, cache_dir=cache_dir)
    cov = view.coverage
    names = {i.id: i.name for i in directory.institutions}
    by_need: dict[str, list[str]] = {}
    for inst_id in view.isolates:
        inst = directory.institution(inst_id)
        main = inst.main_need if inst else None
        by_need.setdefault(need_label(main, LOCALE) if main else "ohne Angebot", []).append(
            names.get(inst_id, inst_id)
        )
    gaps: dict[str, list[str]] = {}
    for need, quarter in cov.gaps():
        gaps.setdefault(cov.labels[quarter], []).append(need_label(need, LOCALE))
    active = {link for link in directory.links if link.active_on(view.on)}
    template = Environment(autoescape=True).from_string(TEMPLATE)
    growth = period(directory, start, view.on, logged)
    return template.render(
        o=view,
        g=growth,
        new=set(growth.new_links),
        svg=to_svg(drawn, href=href),
        o_stale=drawn.stale_days,
        cov=cov,
        quarters=set(cov.quarters()),
        gaps=sorted(gaps.items()),
        isolates=sorted(by_need.items(), key=lambda kv: -len(kv[1])),
        links=sorted(active, key=lambda link: (names.get(link.source_id, ""), link.target_id)),
        linked=view.stats.institutions - view.stats.isolates,
        source=os.path.basename(directory.path) or "Verzeichnis",
        day=lambda d: format_date(d, format="medium", locale=LOCALE) if d else "",
        num=lambda n: format_decimal(n, locale=LOCALE),
        dec=lambda x: format_decimal(x, format="0.000", locale=LOCALE),
        pct=lambda x: format_percent(x, format="#,##0.0 %", locale=LOCALE),
        name=lambda i: names.get(i, i),
        need=lambda k: need_label(k, LOCALE),
        kind=lambda k: kind_label(k, LOCALE),
        why=lambda s: reason(s, directory),
    )


def html_to_pdf(html: str) -> bytes:
    """Print the report to A4 PDF with the system Chromium."""
    return print_pdf(html, {"format": "A4", "prefer_css_page_size": True}, what="the report")
