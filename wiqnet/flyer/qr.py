"""QR codes for flyers, as inline vector SVG."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code (no fixed size, scales with CSS) that encodes url."""
    code = segno.make(url, error="m", micro=False)
    svg: str = code.svg_inline(omitsize=True, border=0, dark="#000")
    return svg
