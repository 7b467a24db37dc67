"""The app factory's Flask subclass: views and hooks of every kind still run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Text:
    """An unhashable callable object used as a view."""

    text: str

    def __call__(self) -> str:
        """Return the text."""
        return self.text


class Greeter:
    """A class whose bound method is used as a view."""

    def hello(self) -> str:
        """Return a greeting."""
        return "hallo"


def test_views_of_every_kind_run_and_async_ones_are_recognised(app: Any) -> None:
    app.add_url_rule("/t/objekt", "objekt", Text("objekt"))
    app.add_url_rule("/t/methode", "methode", Greeter().hello)
    client = app.test_client()
    for _ in range(2):  # the second time from the remembered answer
        assert client.get("/t/objekt").get_data(as_text=True) == "objekt"
        assert client.get("/t/methode").get_data(as_text=True) == "hallo"

    async def later() -> str:
        return "später"

    try:
        wrapped = app.ensure_sync(later)
    except RuntimeError as exc:  # Flask without its "async" extra says so
        assert "async" in str(exc)
    else:
        assert wrapped is not later
