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
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from .map_popups import text
from .map_symbols import glyph_html, palette_css, sprite_html
from .model import Quarter

_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
           0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """Return JSON that is safe inside a <script> element (no <, >, & or line separators)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_UNSAFE)


class JsLayer(Layer):
    """A layer made by `wiqnet.<factory>(map, config[, other layer])` in wiqmap.js."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = wiqnet.{{ this.factory }}({{ this._parent.get_name() }},
            {{ this.config_json }}{% if this.ref %}, {{ this.ref.get_name() }}{% endif %});
        {% endmacro %}
    """)

    def __init__(self, factory: str, config: dict[str, Any], name: str | None = None,
                 control: bool = True, show: bool = True, ref: Layer | None = None) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = f"wiq_{factory}"
        self.factory = factory
        self.config = config
        self.ref = ref

    @property
    def config_json(self) -> str:
        """Return the configuration as script-safe JSON."""
        return script_json(self.config)


class PageStyle(MacroElement):
    """The need colours (CSS) and the glyph sprite (SVG), once per page."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro html(this, kwargs) %}{{ this.sprite }}{% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% if this.plain %}{{ this._parent.get_name() }}.getContainer().classList.add("wiq-plain");
        {% endif %}{% endmacro %}
    """)

    def __init__(self, plain: bool) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "wiq_style"
        self.css = palette_css()
        self.sprite = sprite_html()
        self.plain = plain


class Legend(Layer):
    """The legend box; entries may be added until the map is rendered."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = wiqnet.legend({{ this._parent.get_name() }},
            {{ this.config_json }});
        {% endmacro %}
    """)

    def __init__(self, lang: str) -> None:
        super().__init__(name="legend", control=False)
        self._name = "wiq_legend"
        self.lang = lang
        self.entries: list[tuple[str, str]] = []

    def add(self, symbol_html: str, label: str) -> None:
        """Add a row: a symbol (trusted HTML) and its label (plain text, escaped here)."""
        if (symbol_html, label) not in self.entries:
            self.entries.append((symbol_html, label))

    @property
    def config_json(self) -> str:
        """Return the legend's HTML as script-safe JSON."""
        rows = "".join(f"<li>{symbol}<span>{escape(label)}</span></li>"
                       for symbol, label in self.entries)
        html = f"<summary>{text('legend', self.lang)}</summary><ul>{rows}</ul>"
        return script_json({"html": html})


class WiqMap(folium.Map):
    """A folium map that knows its label language and how many places and links it shows."""

    def __init__(self, lang: str = "de", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.place_count = 0
        self.link_count = 0


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
    config = {"quarters": [
        {"label": escape(q.name), "approximate": q.approximate,
         "ring": [[round(lat, 6), round(lon, 6)] for lon, lat in q.polygon]}
        for q in quarters
    ]}
    fmap.add_child(JsLayer("quarters", config, name=escape(text("quarters", lang))))
    approximate = any(q.approximate for q in quarters)
    label = text("quarter", lang) + (f" ({text('approximate', lang)})" if approximate else "")
    legend_of(fmap).add('<span class="wiq-outline"></span>', label)


def add_pin(fmap: folium.Map, at: tuple[float, float], marker_text: str, label: str,
            css: str, popup_html: str = "") -> None:
    """Add one highlighted marker (a text badge) with an escaped label and optional popup."""
    config = {"at": [round(at[0], 6), round(at[1], 6)], "css": css,
              "html": f"<b>{escape(marker_text)}</b>", "label": escape(label),
              "popup": popup_html}
    fmap.add_child(JsLayer("pin", config, control=False))


def need_switch_label(need: str, label: str) -> str:
    """Return a layer-control label: the need's colour dot and its name (escaped)."""
    return glyph_html(need).replace("wiq-m", "wiq-m wiq-key-glyph", 1) + escape(label)
