"""Print the flyer's HTML to PDF with headless Chromium; convert the PDF to PNG or SVG."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..printing import print_pdf

PNG_DPI = 300
# Shrink the text step by step until the sheet's content fits on the page.
_FIT = """() => {
  const sheet = document.querySelector('.sheet');
  let fit = 1;
  while (sheet.scrollHeight > sheet.clientHeight + 1 && fit > 0.72) {
    fit = Math.round((fit - 0.04) * 100) / 100;
    document.documentElement.style.setProperty('--fit', String(fit));
  }
  return sheet.scrollHeight > sheet.clientHeight + 1;
}"""


def html_to_pdf(html: str, width_mm: float, height_mm: float) -> bytes:
    """Print the flyer page to a PDF of the given size, shrinking the text until it fits."""

    def fit(page: Any) -> None:
        """Refuse a legend that does not fit even at the smallest text size."""
        if page.evaluate(_FIT):
            raise RenderError(
                "the legend does not fit on the page; choose fewer places "
                "(--need, --quarter) or a larger --size"
            )

    return print_pdf(
        html,
        {
            "width": f"{width_mm}mm",
            "height": f"{height_mm}mm",
            "prefer_css_page_size": True,
            "margin": {"top": "0", "right": "0", "bottom": "0", "left": "0"},
        },
        what="the flyer",
        prepare=fit,
    )


def pdf_to_png(pdf: bytes, width_mm: float, height_mm: float, dpi: int = PNG_DPI) -> bytes:
    """Rasterise the first PDF page to a PNG of exactly width x height mm at dpi."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    # Chromium rounds the page box to its pixel grid (< 0.3 mm); restore the exact paper size.
    size = (round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi))
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def pdf_to_svg(pdf: bytes) -> bytes:
    """Convert the first PDF page to SVG with poppler's pdftocairo."""
    tool = shutil.which("pdftocairo")
    if tool is None:
        raise RenderError(
            "pdftocairo is missing; install the Debian package 'poppler-utils' for SVG output"
        )
    with tempfile.TemporaryDirectory(prefix="wiqnet-flyer-") as folder:
        source, target = Path(folder) / "flyer.pdf", Path(folder) / "flyer.svg"
        source.write_bytes(pdf)
        done = subprocess.run(
            [tool, "-svg", "-f", "1", "-l", "1", str(source), str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0 or not target.exists():
            raise RenderError(f"pdftocairo failed: {done.stderr.strip() or done.returncode}")
        return target.read_bytes()
