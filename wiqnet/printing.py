"""Print self-contained HTML to PDF with Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import RenderError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def print_pdf(
    html: str,
    pdf_options: dict[str, Any],
    *,
    what: str,
    prepare: Callable[[Any], None] | None = None,
) -> bytes:
    """Return html printed to PDF (Playwright page.pdf options); every request is refused.

    prepare(page) runs after the fonts are ready and before printing (e.g. to fit the text).
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Route, sync_playwright

    if not Path(CHROMIUM).exists():
        raise RenderError(
            f"Chromium is not installed at {CHROMIUM}; install the Debian "
            "package 'chromium' (bash .ci/setup does)"
        )

    def block(route: Route) -> None:
        """Refuse every request: the page must be self-contained."""
        route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", block)
                page.set_content(html, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                if prepare is not None:
                    prepare(page)
                pdf: bytes = page.pdf(print_background=True, **pdf_options)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RenderError(f"Chromium failed to print {what}: {first}") from None
    return pdf
