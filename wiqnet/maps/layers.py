"""Map layers as data: one JSON blob per layer, drawn by wiqnet's own script (wiqmap.js).

A per-marker folium object is too slow for 100,000 places, so each layer is a single
folium element whose configuration (escaped HTML strings, numbers) is handed to a
function of `window.wiqnet`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template

from ..model import Quarter
from ..symbols import glyph_html, palette_css
from .popups import text

_UNSAFE = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """Return JSON that is safe inside a <script> element (no <, >, & or line separators)."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, replacement in _UNSAFE:
        encoded = encoded.replace(char, replacement)
    return encoded


class RawScript(Element):
    """Script text put into the page as it is (no template: the data can be megabytes)."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def render(self, **kwargs: Any) -> str:
        """Return the script text."""
        return self.code


class JsLayer(Layer):
    """A layer made by `wiqnet.<factory>(map, config[, other layer])` in wiqmap.js."""

    def __init__(
        self,
        factory: str,
        config: dict[str, Any],
        name: str | None = None,
        control: bool = True,
        show: bool = True,
        ref: Layer | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = f"wiq_{factory}"
        self.factory = factory
        self.config = config
        self.ref = ref

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the layer's script (and, if shown, adding it to the map) to the page."""
        figure = self.get_root()
        assert isinstance(figure, Figure) and self._parent is not None
        name, parent = self.get_name(), self._parent.get_name()
        ref = f", {self.ref.get_name()}" if self.ref is not None else ""
        code = f"var {name} = wiqnet.{self.factory}({parent}, {script_json(self.config)}{ref});\n"
        if self.show:
            code += f"{name}.addTo({parent});\n"
        figure.script.add_child(RawScript(code), name=name)


class PageStyle(MacroElement):
    """The need colours and glyphs (CSS), the metric scale, and the plain background."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% if this.plain %}{{ this._parent.get_name() }}.getContainer().classList.add("wiq-plain");
        {% endif %}{% endmacro %}
    """)

    def __init__(self, plain: bool) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "wiq_style"
        self.css = palette_css()
        self.plain = plain


class Legend(JsLayer):
    """The legend box; entries may be added until the map is rendered."""

    def __init__(self, lang: str) -> None:
        super().__init__("legend", {}, name="legend", control=False)
        self.lang = lang
        self.entries: list[tuple[str, str]] = []

    def add(self, symbol_html: str, label: str) -> None:
        """Add a row: a symbol (trusted HTML) and its label (plain text, escaped here)."""
        if (symbol_html, label) not in self.entries:
            self.entries.append((symbol_html, label))

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the legend with the entries it has by now."""
        rows = "".join(
            f"<li>{symbol}<span>{escape(label)}</span></li>" for symbol, label in self.entries
        )
        self.config = {"html": f"<summary>{text('legend', self.lang)}</summary><ul>{rows}</ul>"}
        super().render(**kwargs)


class WiqMap(folium.Map):
    """A folium map that knows its label language and how many places and links it shows."""

    def __init__(self, lang: str = "de", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.place_count = 0
        self.link_count = 0
        self.place_ids: set[str] = set()


def legend_of(fmap: folium.Map) -> Legend:
    """Return the map's legend, adding one if it has none yet."""
    found = next((c for c in fmap._children.values() if isinstance(c, Legend)), None)
    if found is None:
        found = Legend(fmap.lang if isinstance(fmap, WiqMap) else "de")
        fmap.add_child(found)
    return found


def add_quarters(fmap: folium.Map, quarters: Sequence[Quarter], lang: str) -> None:
    """Draw the labelled quarter outlines (dashed when the outline is approximate)."""
    if not quarters:
        return
    config = {
        "quarters": [
            {
                "label": escape(q.name),
                "approximate": q.approximate,
                "ring": [[round(lat, 6), round(lon, 6)] for lon, lat in q.polygon],
            }
            for q in quarters
        ]
    }
    fmap.add_child(JsLayer("quarters", config, name=escape(text("quarters", lang))))
    approximate = any(q.approximate for q in quarters)
    label = text("quarter", lang) + (f" ({text('approximate', lang)})" if approximate else "")
    legend_of(fmap).add('<span class="wiq-outline"></span>', label)


def add_pin(
    fmap: folium.Map,
    at: tuple[float, float],
    marker_text: str,
    label: str,
    css: str,
    popup: dict[str, Any] | None = None,
    above: bool = True,
) -> None:
    """Add one highlighted marker (a text badge) with an escaped label.

    `popup` holds an institution's popup data (info, link and the writer's tables);
    `above` puts the pin over the other markers, else under them.
    """
    config = {
        "at": [round(at[0], 6), round(at[1], 6)],
        "css": css,
        "html": f"<b>{escape(marker_text)}</b>",
        "label": escape(label),
        "z": 1000 if above else -1000,
        **(popup or {}),
    }
    fmap.add_child(JsLayer("pin", config, control=False))


def need_switch_label(need: str, label: str) -> str:
    """Return a layer-control label: the need's colour dot and its name (escaped)."""
    return glyph_html(need).replace("wiq-m", "wiq-m wiq-key-glyph", 1) + escape(label)
