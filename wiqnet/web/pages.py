"""Pages for counsellors: start, institution, need, referral slip, about/privacy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Response, abort, current_app, render_template, request, session
from flask_babel import gettext as _

from ..discreet import is_sensitive
from ..flyer import qr_svg
from ..geo import NO_LOCATION, OUTSIDE
from ..maps import slip_map
from ..model import Directory, Institution, Service, age_range_text
from ..needs import all_needs
from ..network import derived_groups, recorded_partners
from ..stats import need_counts, offers_by_need
from ..vcard import contact_of, make_vcard
from . import display, slipmap
from .display import access_label
from .i18n import SLIP_LANGUAGES, force_locale, ui_language
from .state import cached, cached_body, current_directory, current_settings

bp = Blueprint("pages", __name__)
DERIVED_SHOWN = 12  # derived partners listed per kind; the rest are counted


@dataclass(frozen=True, slots=True)
class Derived:
    """Institutions sharing a location or an operator with one institution (derived)."""

    kind: str
    shown: list[Institution]
    more: int


def shared_page(view: Callable[..., str]) -> Callable[..., str]:
    """Cache a page that is the same for everyone, per URL, language and minute.

    Visitors with a session (a logged-in coordinator, pending flash messages) get a fresh page.
    """

    @wraps(view)
    def wrapper(**kwargs: str) -> str:
        if session:
            return view(**kwargs)
        key = f"{request.full_path}|{ui_language()}|{display.local_now():%Y-%m-%d %H:%M}"
        return cached_body(key, lambda: view(**kwargs))

    return wrapper


def home(directory: Directory) -> Institution | None:
    """Return WiQ's own record (setting HOME_INSTITUTION), or None."""
    return directory.institution(current_settings().home_institution)


def _groups(directory: Directory) -> dict[str, dict[str, list[str]]]:
    """Map each derived kind to institution id -> its (shared) group of ids."""
    return {
        kind: {member: group for group in groups for member in group}
        for kind, groups in derived_groups(directory).items()
    }


def _derived(directory: Directory, inst_id: str) -> list[Derived]:
    result = []
    for kind, by_id in cached("pages.groups", _groups).items():
        others = [
            i
            for other in by_id.get(inst_id, ())
            if other != inst_id and (i := directory.institution(other)) is not None
        ]
        if others:
            others.sort(key=lambda i: i.name.casefold())
            result.append(
                Derived(kind, others[:DERIVED_SHOWN], max(0, len(others) - DERIVED_SHOWN))
            )
    return result


@bp.get("/")
@shared_page
def index() -> str:
    """Show the start page: search box, need quick links, WiQ's contact box."""
    directory = current_directory()
    return render_template(
        "pages/index.html",
        needs=all_needs(),
        counts=cached("pages.need_counts", need_counts),
        home=home(directory),
    )


@bp.get("/einrichtung/<inst_id>")
@shared_page
def institution(inst_id: str) -> str:
    """Show one institution with services, hours, contact, source and partners."""
    directory = current_directory()
    inst = directory.institution(inst_id)
    if inst is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    quarter = directory.quarter(inst.quarter) if inst.quarter else None
    partners = cached("pages.recorded", recorded_partners).get(inst.id, [])
    return render_template(
        "pages/institution.html",
        inst=inst,
        quarter=quarter,
        partners=partners,
        derived=_derived(directory, inst.id),
        places=held_places(directory, inst.services),
    )


@bp.get("/einrichtung/<inst_id>/kontakt.vcf")
def vcard(inst_id: str) -> Response:
    """Return the institution's contact as a vCard 3.0 file to save on a phone."""
    inst = current_directory().institution(inst_id)
    if inst is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    return Response(
        make_vcard(inst),
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="{inst.id}.vcf"'},
    )


@bp.get("/anliegen/<key>")
@shared_page
def need(key: str) -> str:
    """Show all services for one need, grouped by quarter, nearest to WiQ first."""
    needs = all_needs()
    if key not in needs:
        abort(404, _("Dieses Anliegen gibt es nicht."))
    directory = current_directory()
    home_id = current_settings().home_institution
    groups = cached("pages.offers_by_need", lambda d: offers_by_need(d, home_id)).get(key, {})
    names = {q.id: q.name for q in directory.quarters}
    names.update(
        {OUTSIDE: _("Außerhalb der Quartiere"), NO_LOCATION: _("Ohne festen Ort (Telefon, online)")}
    )
    origin = home(directory)
    return render_template(
        "pages/need.html",
        need=needs[key],
        groups=groups,
        names=names,
        home=origin if origin and origin.location else None,
    )


def held_places(directory: Directory, services: Iterable[Service]) -> dict[str, Institution]:
    """Return the institutions where the services hold consultation hours, by id."""
    return {
        h.institution_id: place
        for s in services
        for h in s.held_at
        if (place := directory.institution(h.institution_id)) is not None
    }


def slip_labels(discreet: bool = False) -> dict[str, str]:
    """Return the fixed texts of the referral slip in the current locale.

    The discreet slip's title and headings name no topic, in case someone else finds it.
    """
    return {
        "title": _("Notiz") if discreet else _("Laufzettel"),
        "contact": _("Kontakt"),
        "what": _("Was wird angeboten?"),
        "how": _("So erreichen Sie das Angebot"),
        "where": _("Adresse"),
        "hours": _("Öffnungszeiten"),
        "phone": _("Telefon"),
        "email": _("E-Mail"),
        "website": _("Internet"),
        "cost": _("Kosten"),
        "languages": _("Sprachen"),
        "map": _("Lageplan"),
        "sketch": _("Skizze ohne Straßen: nur Quartiersgrenzen und Maßstab."),
        "save": _("Kontakt speichern"),
        "scan": _("Mit der Handy-Kamera scannen, um den Kontakt zu speichern."),
        "bring": _("Bitte bringen Sie diesen Zettel mit."),
        "privacy": _("Auf diesem Zettel stehen keine Angaben über Sie."),
        "from": _("Empfohlen von"),
        "checked": _("Stand"),
        "age": _("Alter"),
        "eligibility": _("Wer kann kommen?"),
        "documents": _("Bitte mitbringen"),
        "held_at": _("Sprechstunde auch hier"),
    }


@bp.get("/laufzettel/<service_id>")
@shared_page
def slip(service_id: str) -> str:
    """Show the printable referral slip for a service, German plus an optional language.

    `diskret=1` prints a slip whose title and headings do not reveal the topic.
    """
    directory = current_directory()
    service = directory.service(service_id)
    if service is None:
        abort(404, _("Dieses Angebot gibt es nicht (mehr) im Verzeichnis."))
    inst = directory.institution(service.institution_id)
    assert inst is not None
    lang2 = request.args.get("lang2", "")
    if lang2 not in SLIP_LANGUAGES:
        lang2 = ""
    discreet = request.args.get("diskret") == "1"
    with force_locale("de"):
        labels = slip_labels(discreet)
        access_de = _access_labels(service)
    labels2: dict[str, str] = {}
    access2: list[str] = []
    if lang2:
        with force_locale(lang2):
            labels2 = slip_labels(discreet)
            access2 = _access_labels(service)
    quarter = directory.quarter(inst.quarter) if inst.quarter else None
    origin = home(directory)
    drawn = slip_map(
        inst.location, quarter, origin.location if origin else None, directory.quarters
    )
    contact_name = _discreet_name(inst) if discreet else None
    return render_template(
        "pages/slip.html",
        service=service,
        inst=inst,
        labels=labels,
        labels2=labels2,
        access=list(zip(access_de, access2 or [""] * len(access_de), strict=True)),
        lang2=lang2,
        lang2_dir=SLIP_LANGUAGES.get(lang2, "ltr"),
        slip_languages=SLIP_LANGUAGES,
        contact=contact_of(inst, service),
        home=origin,
        discreet=discreet,
        sensitive=is_sensitive(service, inst),
        places=held_places(directory, (service,)),
        age_de=age_range_text(service.minimum_age, service.maximum_age, "de"),
        hours_expr=service.opening_hours or inst.opening_hours,
        map=drawn,
        basemap=slipmap.basemap_for(drawn) if drawn else None,
        vcard_qr=qr_svg(make_vcard(inst, service, name=contact_name, discreet=discreet)),
        as_of=display.as_of(inst),
    )


def _discreet_name(inst: Institution) -> str:
    """Return a contact name that names no topic: 'Kontakt <street>'."""
    with force_locale("de"):
        label = _("Kontakt")
    return f"{label} {inst.address.street}" if inst.address else label


def _access_labels(service: Service) -> list[str]:
    return [access_label(mode) for mode in service.access]


@bp.get("/impressum")
@shared_page
def about() -> str:
    """Show what is stored (nothing about families), the data sources and attribution."""
    directory = current_directory()
    sources = Counter(s.title or s.file or s.url for i in directory.institutions for s in i.sources)
    return render_template(
        "pages/about.html", sources=sorted(sources.items()), tiles=current_app.config["TILES"]
    )
