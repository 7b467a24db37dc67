"""Print self-contained HTML to PDF with Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import os
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
            share_priority()
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


def _descendants() -> set[int]:
    """Return the ids of this process's children, grandchildren and so on (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    wave = {os.getpid()}
    while wave:
        wave = {pid for pid, parent in parents.items() if parent in wave} - found
        found |= wave
    return found


def share_priority() -> None:
    """Give the browser this process's lower CPU priority (a no-op at normal priority).

    Playwright starts Chromium in a session of its own, and Linux schedules each session as
    one group (autogroup) by the group's nice value, not its processes': without this, a
    browser started from a low-priority process would again take a full share of the CPU.
    """
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    if ours <= 0:
        return
    for pid in _descendants():
        try:
            if os.getsid(pid) == pid:
                Path(f"/proc/{pid}/autogroup").write_text(str(ours), encoding="ascii")
        except OSError:
            pass  # gone meanwhile, or no autogroups on this system
