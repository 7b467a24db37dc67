"""Sensitive topics: a slip for these should not name the topic (violence, pregnancy, debts, addiction)."""

from __future__ import annotations

import re

from .model import Institution, Service

SENSITIVE_NEEDS = frozenset({"schutz", "finanzen"})
_WORDS = re.compile(
    r"gewalt|schwanger|schuld|insolvenz|sucht|drogen|alkohol|frauenhaus|"
    r"missbrauch|abtreibung|konflikt",
    re.IGNORECASE,
)


def is_sensitive(service: Service, inst: Institution) -> bool:
    """Return whether the service's need or words reveal a sensitive topic."""
    if SENSITIVE_NEEDS & set(service.needs):
        return True
    return any(_WORDS.search(text) for text in (service.name, service.description, inst.name))
