"""Validation of the data file (minimal first version; the Core issue extends it)."""

from __future__ import annotations

from .errors import Problem
from .needs import all_needs
from .store import Document


def validate_document(doc: Document) -> list[Problem]:
    """Return every problem found in the document, errors and warnings."""
    problems: list[Problem] = []

    def add(key: tuple[str | int, ...], where: str, message: str) -> None:
        line, col = doc.position(key)
        problems.append(Problem(doc.path, line, col, where, message))

    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("institutions"), list):
        add((), "", "the file needs a top-level 'institutions:' list")
        return problems
    needs = all_needs()
    seen: set[str] = set()
    for i, inst in enumerate(data["institutions"]):
        for j, svc in enumerate(inst.get("services") or []):
            for k, need in enumerate(svc.get("needs") or []):
                if need not in needs:
                    add(("institutions", i, "services", j, "needs", k),
                        f"institutions[{i}].services[{j}].needs",
                        f"'{need}' is not a need category")
        if inst.get("id") in seen:
            add(("institutions", i, "id"), f"institutions[{i}].id", f"duplicate id '{inst['id']}'")
        seen.add(inst.get("id"))
    return problems
