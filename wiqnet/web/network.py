"""The coordinator's network pages: diagram, map, tables, ego views, exports, link forms."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from ..datafile import add_link, link_source, logged_links, remove_link
from ..errors import WiqnetError, WriteError
from ..export import for_excel
from ..model import LINK_KINDS, Directory, Link
from ..network import (
    FORMATS,
    MAX_DISTANCE_M,
    PLACEMENTS,
    diagram,
    ego_view,
    explore_data,
    export_network,
    html_to_pdf,
    overview,
    reason,
    render_report,
    to_svg,
)
from ..text import NETWORK, wording
from . import auth
from .display import kind_label
from .i18n import ui_language
from .state import current_directory, fresh_directory, holder

bp = Blueprint("network", __name__)
log = logging.getLogger("wiqnet.web")
MAX_RADIUS = 3
DATALIST_LIMIT = 2000
# A large network's first analysis runs in the background; the page waits this long for it,
# then answers "being computed" and reloads itself after REFRESH_SECONDS.
WAIT_SECONDS = 3.0
REFRESH_SECONDS = 3
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wiqnet-network")
# One Chromium at a time for the report's PDF.
_REPORTING = threading.Lock()
# cytoscape.js, installed from npm by .ci/setup (not committed); without it the page has no
# interactive view and shows the server-side SVG only.
CYTOSCAPE = (
    Path(__file__).resolve().parents[2]
    / "vendor"
    / "node_modules"
    / "cytoscape"
    / "dist"
    / "cytoscape.min.js"
)


def _href() -> str:
    """Return the institution page URL pattern with an {id} slot."""
    return url_for("pages.institution", inst_id="ID").replace("ID", "{id}")


def _svg(directory: Directory, focus: str | None = None, radius: int = 1) -> str:
    """Return the inline SVG of the network (or of an ego network)."""
    drawing = diagram(
        directory,
        date.today(),
        focus=focus,
        radius=radius,
        cache_dir=current_app.config.get("CACHE_DIR"),
    )
    return to_svg(
        drawing,
        href=_href(),
        lang=ui_language(),
        title=_("Netzwerkdiagramm") if focus is None else _("Ego-Netzwerk"),
    )


def _network_map_url() -> str | None:
    """Return the URL of the maps engineer's network map, if it is served."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == "/karte/netzwerk":
            return rule.rule
    return None


def _form_values(directory: Directory) -> dict[str, str]:
    """Return the link form's prefill from the query string (institutions by name)."""
    keys = ("von", "zu", "art", "notiz", "seit", "bis", "quelle")
    values = {k: request.args.get(k, "") for k in keys}
    for key in ("von", "zu"):
        inst = directory.institution(values[key])
        if inst is not None:
            values[key] = inst.name
    return values


def _institution_id(directory: Directory, value: str) -> str:
    """Return the id of the institution named `value`, else `value` itself (maybe an id).

    Raise ValueError when several institutions have that name.
    """
    if directory.institution(value) is not None:
        return value
    folded = " ".join(value.split()).casefold()
    found = [i.id for i in directory.institutions if i.name.casefold() == folded]
    if len(found) > 1:
        raise ValueError(
            _(
                "Mehrere Einrichtungen heißen „%(name)s“; bitte die Kennung angeben: %(ids)s.",
                name=value,
                ids=", ".join(found),
            )
        )
    return found[0] if found else value


def _common(directory: Directory) -> dict[str, Any]:
    """Return the template values every network page uses."""
    small = len(directory.institutions) <= DATALIST_LIMIT
    return {
        "directory": directory,
        "digest": directory.digest,
        "kinds": list(LINK_KINDS),
        "datalist": directory.institutions if small else (),
        "form": _form_values(directory),
        "name": lambda i: (
            directory.institution(i).name  # type: ignore[union-attr]
            if directory.institution(i)
            else i
        ),
        "why": lambda s: reason(s, directory, ui_language()),
        "formats": list(FORMATS),
    }


def _prepare(directory: Directory, cache_dir: str | None) -> None:
    """Compute the overview and the diagram (fills the caches)."""
    overview(directory)
    diagram(directory, date.today(), cache_dir=cache_dir)


def _ready(directory: Directory) -> bool:
    """Compute the overview and diagram in the background; wait at most WAIT_SECONDS."""
    cache_dir = current_app.config.get("CACHE_DIR")
    job: Future[None] = directory.derived(
        ("web", "network.job", date.today()),
        lambda: _executor.submit(_prepare, directory, cache_dir),
    )
    try:
        job.result(timeout=WAIT_SECONDS)
    except FutureTimeout:
        return False
    return True


def _pending() -> tuple[str, int, dict[str, str]]:
    """Return the self-reloading 'being computed' page."""
    return (
        render_template("network/pending.html", seconds=REFRESH_SECONDS),
        503,
        {"Retry-After": str(REFRESH_SECONDS)},
    )


@bp.get("/netzwerk")
def index() -> str | tuple[str, int, dict[str, str]]:
    """Show the network: diagram, map, brokers, isolates, gaps, suggested introductions."""
    directory = current_directory()
    if not _ready(directory):
        return _pending()
    view = overview(directory)
    drawn = diagram(directory, date.today(), cache_dir=current_app.config.get("CACHE_DIR"))
    return render_template(
        "network/index.html",
        view=view,
        svg=_svg(directory),
        map_url=_network_map_url(),
        drawn=drawn,
        partners=_partners(directory),
        isolate_groups=_isolates(directory, view.isolates),
        interactive=CYTOSCAPE.is_file(),
        intro_km=MAX_DISTANCE_M / 1000,
        placements=[
            (k, wording(NETWORK, ui_language())[k])
            for k in PLACEMENTS
            if any(n.placement == k for n in drawn.nodes)
        ],
        **_common(directory),
    )


def _partners(directory: Directory) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return, per linked institution (most partners first), its partners and link kinds."""
    today = date.today()
    found: dict[str, list[tuple[str, str]]] = {}
    for link in directory.links:
        if link.active_on(today):
            found.setdefault(link.source_id, []).append((link.target_id, link.kind))
            found.setdefault(link.target_id, []).append((link.source_id, link.kind))
    return sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _isolates(directory: Directory, ids: list[str]) -> list[tuple[str, list[str]]]:
    """Return the institutions without cooperation grouped by main need, largest group first."""
    groups: dict[str, list[str]] = {}
    for inst_id in ids:
        inst = directory.institution(inst_id)
        groups.setdefault((inst.main_need or "") if inst else "", []).append(inst_id)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


@bp.get("/netzwerk/daten.json")
def explore() -> Response | tuple[str, int, dict[str, str]]:
    """Return the drawn network as JSON for the interactive view."""
    directory = current_directory()
    if not _ready(directory):
        return _pending()
    drawn = diagram(directory, date.today(), cache_dir=current_app.config.get("CACHE_DIR"))
    return jsonify(explore_data(directory, drawn, overview(directory), ui_language()))


@bp.get("/netzwerk/cytoscape.min.js")
def cytoscape() -> Response:
    """Serve cytoscape.js from its npm install (vendor/, see .ci/setup)."""
    if not CYTOSCAPE.is_file():
        abort(404)
    return send_file(CYTOSCAPE, mimetype="text/javascript", max_age=86400)


@bp.get("/netzwerk/<inst_id>")
def ego(inst_id: str) -> str | tuple[str, int, dict[str, str]]:
    """Show one institution's ego network, N steps out (?schritte=1..3)."""
    directory = current_directory()
    inst = directory.institution(inst_id)
    if inst is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    if not _ready(directory):
        return _pending()
    radius = request.args.get("schritte", 1, type=int) or 1
    radius = max(1, min(MAX_RADIUS, radius))
    view = ego_view(directory, inst_id, radius)
    if view is None:
        abort(404, _("Diese Einrichtung ist nicht aktiv und gehört nicht zum Netzwerk."))
    return render_template(
        "network/ego.html",
        inst=inst,
        radius=radius,
        max_radius=MAX_RADIUS,
        members=view.members,
        own=view.links,
        derived=view.derived,
        score=view.centrality,
        intros=view.introductions,
        svg=_svg(directory, focus=inst_id, radius=radius),
        **_common(directory),
    )


@bp.get("/netzwerk/export/<fmt>")
def export(fmt: str) -> Response:
    """Download the network as GraphML, GEXF, JSON, CSV, SVG or PNG."""
    if fmt not in FORMATS:
        abort(404)
    directory = current_directory()
    content = export_network(
        directory,
        fmt,
        on=date.today(),
        href=_href(),
        lang=ui_language(),
        cache_dir=current_app.config.get("CACHE_DIR"),
    )
    spec = FORMATS[fmt]
    name = f"wiqnet-netzwerk-{date.today().isoformat()}.{spec.extension}"
    mimetype = spec.mimetype
    if fmt == "csv" and request.args.get("excel") == "1":
        content, name = for_excel(content), name.replace(".csv", "-excel.csv")
        mimetype = "text/csv"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/netzwerk/bericht.<fmt>")
def report(fmt: str) -> Response:
    """Download the dated report for the funders as HTML or PDF (?vergleich=YYYY-MM-DD)."""
    if fmt not in ("html", "pdf"):
        abort(404)
    raw = request.args.get("vergleich", "").strip()
    try:
        compare_with = date.fromisoformat(raw) if raw else None
    except ValueError:
        abort(400, _("Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2024-03-01."))
    public = str(current_app.config.get("PUBLIC_URL") or "").strip() or request.url_root
    directory = current_directory()
    html = render_report(
        directory,
        date.today(),
        compare_with=compare_with,
        public_url=public,
        cache_dir=current_app.config.get("CACHE_DIR"),
        logged=logged_links(directory.path),
    )
    name = f"wiqnet-netzwerkbericht-{date.today().isoformat()}.{fmt}"
    if fmt == "pdf":
        with _REPORTING:
            return Response(
                html_to_pdf(html),
                mimetype="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
    return Response(
        html,
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _safe_next(target: str | None) -> str:
    """Return target if it is a network page, else /netzwerk (no open redirect, no CR/LF)."""
    if (
        target
        and target.startswith("/netzwerk")
        and "//" not in target
        and target.isprintable()
        and "\\" not in target
    ):
        return target
    return url_for("network.index")


def _back(values: dict[str, str] | None = None) -> BaseResponse:
    """Redirect to the page the form came from, with the form values on failure."""
    target = _safe_next(request.form.get("weiter"))
    if values:
        query = urlencode({k: v for k, v in values.items() if v})
        return redirect(f"{target.split('?')[0]}?{query}#eintragen")
    return redirect(target)


class FieldError(ValueError):
    """A form value that cannot be read; `field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _day(field: str) -> date | None:
    """Return the form field as a date, or None; raise FieldError with a hint."""
    raw = request.form.get(field, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldError(
            field, _("Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2024-03-01.")
        ) from None


def _form_link() -> Link:
    """Return the link the form describes (the rules are checked when it is written)."""
    form, directory = request.form, current_directory()
    since, reference = _day("seit"), form.get("quelle", "").strip()
    sources = (link_source(reference, since, date.today()),) if reference else ()
    return Link(
        _institution_id(directory, form.get("von", "").strip()),
        _institution_id(directory, form.get("zu", "").strip()),
        form.get("art", ""),
        form.get("notiz", "").strip() or None,
        since,
        _day("bis"),
        sources,
    )


# The reader's wording of a refused edit, made from the error's code and parameters.
_REFUSALS: dict[str, Callable[[dict[str, Any]], str]] = {
    "link.unknown_institution": lambda p: _(
        "Die Einrichtung „%(id)s“ gibt es nicht im Verzeichnis.", id=p["id"]
    ),
    "link.same_institution": lambda p: _("Bitte zwei verschiedene Einrichtungen wählen."),
    "link.unknown_kind": lambda p: _("Bitte eine Art der Verbindung wählen."),
    "link.until_before_since": lambda p: _(
        "Nicht gespeichert: das Ende (%(until)s) liegt vor dem Beginn (%(since)s).",
        until=p["until"].isoformat(),
        since=p["since"].isoformat(),
    ),
    "link.duplicate": lambda p: _("Diese Verbindung ist schon eingetragen."),
    "link.no_source": lambda p: _(
        "Bitte die Quelle der Kooperation angeben (Web-Adresse oder "
        "Dokument, z. B. Protokoll mit Datum)."
    ),
    "link.not_recorded": lambda p: _("Diese Verbindung ist nicht (mehr) eingetragen."),
    "conflict": lambda p: _(
        "Die Datei wurde inzwischen geändert – von jemand anderem oder in einem "
        "Editor. Ihre Änderung wurde nicht gespeichert, damit nichts verloren geht. "
        "Die Seite zeigt jetzt den neuen Stand; bitte prüfen und noch einmal "
        "eintragen."
    ),
    "invalid": lambda p: _(
        "Nicht gespeichert: die Datei wäre danach ungültig (%(n)d Fehler).", n=p["errors"]
    ),
    "write": lambda p: _(
        "Nicht gespeichert: die Datei kann nicht geschrieben werden (der "
        "Datenträger ist voll, oder es fehlen Schreibrechte). Nichts wurde "
        "geändert."
    ),
}


def _refusal(exc: WiqnetError) -> str:
    """Return the reader's wording of a refused edit; log what has no wording of its own."""
    wording = _REFUSALS.get(exc.code)
    if wording is not None:
        return wording(exc.params)
    log.warning("edit refused: %s", exc)
    return str(
        _(
            "Nicht gespeichert: die Datei konnte nicht bearbeitet werden. Der Grund steht "
            "im Protokoll des Servers."
        )
    )


# The form field a refused link is about, so the message appears next to it.
_FIELDS = {
    "link.same_institution": "zu",
    "link.unknown_kind": "art",
    "link.until_before_since": "bis",
    "link.duplicate": "zu",
    "link.no_source": "quelle",
}


def _field(exc: WiqnetError) -> str:
    """Return the link form field a refusal is about, or ""."""
    if exc.code == "link.unknown_institution":
        return "zu" if exc.params.get("id") == request.form.get("zu", "").strip() else "von"
    return _FIELDS.get(exc.code, "")


def _write(action: Any, form: bool = False) -> bool:
    """Run a file edit; flash the reader's message on failure (by its field); return success."""
    try:
        action()
    except WiqnetError as exc:
        if isinstance(exc, WriteError):
            log.error("%s", exc)
        field = _field(exc) if form else ""
        flash(_refusal(exc), f"error-{field}" if field else "error")
        return False
    finally:
        holder().refresh()
    return True


@bp.post("/netzwerk/verbindung")
@auth.coordinator_required
def add() -> BaseResponse:
    """Record a link from the form, if the file is still the one the form was made from."""
    digest = request.form.get("digest", "")
    directory = current_directory()
    if directory.digest != digest:  # this process may not have seen the latest file yet
        directory = fresh_directory()
    values = {
        k: request.form.get(k, "") for k in ("von", "zu", "art", "notiz", "seit", "bis", "quelle")
    }
    try:
        record = _form_link()
    except FieldError as exc:
        flash(str(exc), f"error-{exc.field}")
        return _back(values)
    if _write(
        lambda: add_link(directory.path, record, expected_digest=digest, **auth.write_as()),
        form=True,
    ):
        flash(
            _(
                "Verbindung eingetragen: %(a)s – %(b)s (%(kind)s).",
                a=directory.institution(record.source_id).name,  # type: ignore[union-attr]
                b=directory.institution(record.target_id).name,  # type: ignore[union-attr]
                kind=kind_label(record.kind),
            ),
            "ok",
        )
        return _back()
    return _back(values)


@bp.post("/netzwerk/verbindung/entfernen")
@auth.coordinator_required
def remove() -> BaseResponse | str:
    """Ask to confirm, then remove a link, if the file is still the one the form was made from."""
    directory = current_directory()
    a, b, kind = request.form.get("von", ""), request.form.get("zu", ""), request.form.get("art")
    digest = request.form.get("digest", "")
    if request.form.get("bestaetigt") != "1":
        names = [
            directory.institution(i).name if directory.institution(i) else i  # type: ignore[union-attr]
            for i in (a, b)
        ]
        return render_template(
            "network/confirm.html",
            a=a,
            b=b,
            kind=kind or "",
            names=names,
            digest=digest,
            back=_safe_next(request.form.get("weiter")),
        )
    if _write(
        lambda: remove_link(
            directory.path, a, b, kind or None, expected_digest=digest, **auth.write_as()
        )
    ):
        names = [
            directory.institution(i).name if directory.institution(i) else i  # type: ignore[union-attr]
            for i in (a, b)
        ]
        flash(_("Verbindung entfernt: %(a)s – %(b)s.", a=names[0], b=names[1]), "ok")
    return _back()
