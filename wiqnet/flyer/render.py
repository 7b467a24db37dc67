"""Print the flyer's HTML to PDF with headless Chromium; convert the PDF to PNG or SVG."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RenderError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
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
    """Print one HTML page to a PDF of the given size; no network requests are allowed."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Route, sync_playwright

    if not Path(CHROMIUM).exists():
        raise RenderError(f"Chromium is not installed at {CHROMIUM}; install the Debian "
                          "package 'chromium' (bash .ci/setup does)")

    def block(route: Route) -> None:
        """Refuse every request: the flyer page is self-contained."""
        route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", block)
                page.set_content(html, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                if page.evaluate(_FIT):
                    raise RenderError("the legend does not fit on the page; choose fewer places "
                                      "(--need, --quarter) or a larger --size")
                pdf: bytes = page.pdf(width=f"{width_mm}mm", height=f"{height_mm}mm",
                                      print_background=True, prefer_css_page_size=True,
                                      margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RenderError(f"Chromium failed to print the flyer: {first}") from None
    return pdf


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
        raise RenderError("pdftocairo is missing; install the Debian package 'poppler-utils' "
                          "for SVG output")
    with tempfile.TemporaryDirectory(prefix="wiqnet-flyer-") as folder:
        source, target = Path(folder) / "flyer.pdf", Path(folder) / "flyer.svg"
        source.write_bytes(pdf)
        done = subprocess.run([tool, "-svg", "-f", "1", "-l", "1", str(source), str(target)],
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0 or not target.exists():
            raise RenderError(f"pdftocairo failed: {done.stderr.strip() or done.returncode}")
        return target.read_bytes()
