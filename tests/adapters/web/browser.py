"""Headless Chromium from Debian, driven by Playwright (never ``playwright install``: no
browser is downloaded; the one apt installed is used). Shared by the browser tests and
the web benchmark. Each person gets a browser context of their own, as two people at two
computers would (and a page in a context of its own is never a background tab, which
Chromium would throttle)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

CHROMIUM = Path(os.environ.get("WRITERSROOM_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 780}
INSTALL = (
    "the browser tests need Chromium and Playwright: apt-get install -y chromium, and "
    "pip install playwright (in the dev extra); never playwright install, which downloads"
)

# The page's clock, shared by every page of the browser: when a drop starts in one page
# and when a card arrives in another can be compared.
NOW = "performance.timeOrigin + performance.now()"


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed; " + INSTALL
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}; " + INSTALL
    return None


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def open_page(browser: Browser, url: str, errors: list[str] | None = None) -> Page:
    """A person's page on ``url``, once its live stream is connected. ``errors`` collects
    what the page's console reports as errors (a script error, a CSP violation, a failed
    load) and uncaught exceptions."""
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = await context.new_page()
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(url)
    await page.wait_for_selector("body.live")
    return page


async def drag(page: Page, card: str, onto: str) -> None:
    """Drag ``card`` onto ``onto`` with the mouse, as a person does: press, move over
    the target (the browser fires dragstart, dragover), release (drop, dragend)."""
    await page.hover(card + " .text")
    await page.mouse.down()
    box = await page.locator(onto).bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4, steps=4)
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 6, steps=2)
    await page.mouse.up()


async def when_seen(page: Page, selector: str) -> None:
    """From now on, record (in ``window.seenAt``) when ``selector`` first matches."""
    await page.evaluate(
        """(selector) => {
            window.seenAt = null;
            const look = () => {
                if (window.seenAt === null && document.querySelector(selector)) {
                    window.seenAt = NOW;
                    watcher.disconnect();
                }
            };
            const watcher = new MutationObserver(look);
            watcher.observe(document.body, {childList: true, subtree: true});
            look();
        }""".replace("NOW", NOW),
        selector,
    )


async def record_drops(page: Page) -> None:
    """From now on, record (in ``window.dropAt``) when each drop starts."""
    await page.evaluate(
        "() => { window.dropAt = []; "
        f"document.addEventListener('drop', () => window.dropAt.push({NOW}), true); }}"
    )


async def value(page: Page, expression: str) -> Any:
    return await page.evaluate(f"() => {expression}")
