"""The board in a real browser (headless Chromium, driven by Playwright; see browser.py):
a card dragged from act one to act two lands there and /outline show agrees; with two
people's pages open, a change in one appears in the other within a second, and a change
in chat appears in both; hostile story text is shown, never run. The run saves a
screenshot of the board (build/board.png, or WRITERSROOM_BOARD_SCREENSHOT: the README's
docs/board.png is made with WRITERSROOM_BOARD_SCREENSHOT=docs/board.png).

Skipped with a message saying how to install the browser where it is missing; in CI
(CI=true, where .ci/run installs it) a missing browser fails instead."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.app import App
from tests.adapters.web import browser
from tests.adapters.web.conftest import Board, link_in
from tests.bot.helpers import Session

if TYPE_CHECKING:
    from playwright.async_api import Browser

pytestmark = [pytest.mark.timeout(90), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = Path(os.environ.get("WRITERSROOM_BOARD_SCREENSHOT") or ROOT / "build" / "board.png")
WITHIN_MS = 1000


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    why = browser.missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(why + " (CI=true: .ci/run installs them)")
        pytest.skip(why)
    async with browser.chromium() as opened:
        yield opened


async def the_keeper(chat: Session) -> None:
    """A small story, a board over three acts, a cast and places, one scene drafted."""
    for line in (
        "/story set title The Keeper",
        "/story set logline A lighthouse keeper's daughter learns why the lamp went dark",
        "/character new Isla Grant, the keeper's daughter, back after ten years",
        "/character new Callum Reid, the harbourmaster who knows more than he says",
        "/character new Morag, the oldest woman in the village",
        "/location new Lamp Room, the glass room at the top of the tower",
        "/location new Harbour, stone quay and three boats",
        "/outline add 1 Isla finds her father's logbook in the Lamp Room",
        "/outline add 1 Callum lies to Isla about the night of the wreck",
        "/outline add 1 Isla sleeps in the tower for the first time",
        "/outline add 2 Morag tells Isla what the village saw",
        "/outline add 2 Isla rows out to the wreck at low tide",
        "/outline add 3 Callum puts out the lamp to stop her",
        "/outline add 3 Isla relights it and the boats come home",
        "/location edit Harbour beats 5",
        "/draft 1",
    ):
        await chat.say(line)


def show_lines(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if re.match(r"^(Act \d|\d+\. )", line)]


async def test_drag_edit_add_and_remove_in_one_page_appear_in_the_other_and_in_chat(
    app: App, board: Board, chromium: Browser
) -> None:
    chat = Session(app)
    await the_keeper(chat)
    url = board.url("/board/")
    errors: list[str] = []
    dana = await browser.open_page(chromium, url + await link_in(app, user="dana"), errors)
    sam = await browser.open_page(chromium, url + await link_in(app, user="sam"), errors)
    callum = await dana.get_attribute(".card:has-text('Callum lies')", "data-beat")
    card = f'.card[data-beat="{callum}"]'

    # drag Callum's lie from act one to the top of act two
    await browser.record_drops(dana)
    await browser.when_seen(sam, f'.act[data-act="2"] .cards > {card}:first-child')
    await browser.drag(dana, card, '.act[data-act="2"] .card:first-child')
    await dana.wait_for_selector(f'.act[data-act="2"] {card}', timeout=WITHIN_MS)
    await sam.wait_for_function("() => window.seenAt !== null", timeout=WITHIN_MS)
    latency = await browser.value(sam, "window.seenAt") - await browser.value(
        dana, "window.dropAt[0]"
    )
    assert 0 < latency < WITHIN_MS
    assert show_lines(await chat.say("/outline show"))[:7] == [
        "Act 1",
        "1. Isla finds her father's logbook in the Lamp Room",
        "2. Isla sleeps in the tower for the first time",
        "Act 2",
        "3. Callum lies to Isla about the night of the wreck",
        "4. Morag tells Isla what the village saw",
        "5. Isla rows out to the wreck at low tide (Harbour)",
    ]
    assert await sam.locator(f"{card} .num").inner_text() == "Beat 3"

    # Sam rewrites a card in place; Dana sees it
    morag = ".card:has-text('Morag tells')"
    await sam.dblclick(f"{morag} .text")
    await sam.keyboard.type("Morag tells Isla the lamp was put out on purpose")
    await sam.keyboard.press("Enter")
    await dana.wait_for_selector(".card:has-text('put out on purpose')", timeout=WITHIN_MS)

    # Dana adds a card to act three; Sam removes the last one
    await dana.fill('form.add[data-act="3"] textarea', "The village gathers on the quay")
    await dana.click('form.add[data-act="3"] button')
    await sam.wait_for_selector(".card:has-text('gathers on the quay')", timeout=WITHIN_MS)
    await sam.click(".card:has-text('relights it') button.remove")
    await dana.wait_for_selector(
        ".card:has-text('relights it')", state="detached", timeout=WITHIN_MS
    )

    # a change in chat reaches both pages
    await chat.say("/outline add 3 The logbook goes back on the shelf")
    for page in (dana, sam):
        await page.wait_for_selector(".card:has-text('back on the shelf')", timeout=WITHIN_MS)

    shown = await chat.say("/outline show")
    assert "4. Morag tells Isla the lamp was put out on purpose" in shown
    assert "gathers on the quay" in shown and "relights it" not in shown
    history = await chat.say("/story history")
    assert "sam" in history and "dana" in history

    assert errors == []  # no script error, no CSP violation, nothing failed to load
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await dana.bring_to_front()
    await dana.evaluate("() => document.activeElement && document.activeElement.blur()")
    shot = await dana.screenshot(path=str(SCREENSHOT), full_page=True)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"


async def test_hostile_text_is_shown_in_the_browser_and_never_runs(
    app: App, board: Board, chromium: Browser
) -> None:
    chat = Session(app)
    hostile = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>"
    await chat.say(f"/outline add 1 {hostile}")
    page = await browser.open_page(chromium, board.url("/board/" + await link_in(app)))
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))

    await chat.say("/outline add 2 Another <b>bold</b> try")  # arrives live, by innerHTML
    await page.wait_for_selector(".card:has-text('Another')")

    assert await page.locator(".card .text").all_inner_texts() == [
        hostile,
        "Another <b>bold</b> try",
    ]
    assert await page.locator(".card img, .card script, .card b").count() == 0
    assert dialogs == [] and "pwned" not in await page.title()


async def test_a_revoked_link_stops_the_open_page(
    app: App, board: Board, chromium: Browser
) -> None:
    chat = Session(app)
    await chat.say("/outline add 1 Isla finds the logbook")
    page = await browser.open_page(chromium, board.url("/board/" + await link_in(app)))

    await chat.say("/outline board revoke")

    await page.wait_for_selector("body.refused", timeout=WITHIN_MS * 2)
    assert "/outline board" in await page.locator("#status").inner_text()
    assert await page.get_attribute(".card", "draggable") == "false"


async def test_a_focused_card_moves_with_the_keyboard(
    app: App, board: Board, chromium: Browser
) -> None:
    chat = Session(app)
    await chat.say("/outline add 1 Isla finds the logbook")
    await chat.say("/outline add 1 Callum lies")
    page = await browser.open_page(chromium, board.url("/board/" + await link_in(app)))

    await page.focus(".card:has-text('Callum lies')")
    await page.keyboard.press("Alt+ArrowUp")
    await page.wait_for_selector(".act[data-act='1'] .card:first-child:has-text('Callum')")
    await page.keyboard.press("Alt+ArrowRight")
    await page.wait_for_selector(".act[data-act='2'] .card:has-text('Callum')")

    assert show_lines(await chat.say("/outline show")) == [
        "Act 1",
        "1. Isla finds the logbook",
        "Act 2",
        "2. Callum lies",
    ]
    focused = await page.evaluate("() => document.activeElement.textContent")
    assert focused.startswith("Beat 2")  # the moved card keeps the focus
