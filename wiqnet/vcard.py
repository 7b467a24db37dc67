"""vCard 3.0 contacts of services and institutions, for a family's phone (QR code or .vcf)."""

from __future__ import annotations

import vobject

from .model import Contact, Institution, Service
from .phones import dial_string


def contact_of(inst: Institution, service: Service | None = None) -> Contact:
    """Return the contact to save: the service's own where it has one, else the institution's."""
    own = service.contact if service is not None else None
    base = inst.contact
    if own is None:
        return base
    return Contact(
        phone=own.phone or base.phone,
        email=own.email or base.email,
        website=own.website or base.website,
    )


def make_vcard(
    inst: Institution,
    service: Service | None = None,
    *,
    name: str | None = None,
    discreet: bool = False,
) -> str:
    """Return a vCard 3.0 for the institution (and service): name, phone, e-mail, address, web.

    `name` replaces the card's name; `discreet` also leaves out the organisation, e-mail and
    website, which could name a sensitive topic.
    """
    contact = contact_of(inst, service)
    card = vobject.vCard()
    shown = name or (f"{service.name} – {inst.name}" if service is not None else inst.name)
    card.add("fn").value = shown
    card.add("n").value = vobject.vcard.Name(family=shown)
    if not discreet:
        card.add("org").value = [inst.name]
    if contact.phone:
        tel = card.add("tel")
        tel.value = dial_string(contact.phone)
        tel.type_param = "WORK"
    if inst.address is not None:
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=inst.address.street,
            city=inst.address.city,
            code=inst.address.postcode,
            country="Deutschland",
        )
        adr.type_param = "WORK"
    if not discreet:
        if contact.email:
            card.add("email").value = contact.email
        if contact.website:
            website = contact.website
            card.add("url").value = (
                website if website.startswith(("http://", "https://")) else "https://" + website
            )
    text: str = card.serialize()
    return text
