"""The board page over HTTP: a link opens its own channel's board and nothing else; a
tampered, expired, revoked or foreign link gets a 403 page saying how to get a new one;
story text is escaped; the headers keep scripts and other sites out."""

from __future__ import annotations

import re
import time

import pytest

from bot.adapters.web.guard import CSP
from bot.app import App
from commands.board_link import signing_key
from core import links
from core.links import BoardLink
from core.types import Author
from tests.adapters.web.conftest import Board, OpenBoard, link_in
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)

HOSTILE = "<script>alert(1)</script> & \"quotes\" 'too'"


def cards(html: str) -> list[str]:
    return re.findall(r'<p class="text">(.*?)</p>', html)


async def test_a_link_opens_its_own_channels_board_for_its_person(
    app: App, board: Board, chat: Session
) -> None:
    await chat.say("/outline add 1 Isla finds the logbook")
    await chat.say("/outline add 2 Callum puts out the lamp")
    await chat.say("/character new Isla Grant, the keeper's daughter")
    await chat.say("/location new Lamp Room, the glass room at the top")
    await chat.say("/location edit Lamp Room beats 2")
    await Session(app, channel="other").say("/outline add 1 A beat of another room")

    status, html, resp = await board.page(await link_in(app, user="dana"))

    assert status == 200 and resp.content_type == "text/html"
    assert cards(html) == ["Isla finds the logbook", "Callum puts out the lamp"]
    assert "another room" not in html
    assert re.search(r'data-act="1".*Isla finds.*data-act="2".*Callum puts', html)
    assert '<span class="cast" title="Characters">Isla Grant</span>' in html
    assert '<span class="place" title="Location">Lamp Room</span>' in html
    assert "<strong>Isla Grant</strong>" in html and "<strong>Lamp Room</strong>" in html
    assert "recorded as <strong>dana</strong>" in html


async def test_a_beat_with_a_saved_scene_says_it_is_drafted(app: App, board: Board) -> None:
    chat = Session(app)
    await chat.say("/outline add 1 Isla finds the logbook")
    await chat.say("/outline add 1 Callum lies")
    await chat.say("/draft 1")

    _, html, _ = await board.page(await link_in(app))

    first, second = html.split('data-number="2"')
    assert "scene drafted" in first and "scene drafted" not in second


async def test_hostile_story_text_is_shown_not_run(app: App, board: Board, chat: Session) -> None:
    await chat.say(f"/outline add 1 {HOSTILE}")
    await chat.say("/story set title <img src=x onerror=alert(1)>")

    _, html, _ = await board.page(await link_in(app))

    assert cards(html) == [
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#x27;too&#x27;"
    ]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # the only scripts are the package's own file; no inline handlers anywhere
    assert re.findall(r"<script[^>]*>", html) == ['<script src="assets/board.js" defer>']
    assert not re.search(r"<[^>]*\son[a-z]+=", html)


async def test_every_answer_carries_the_strict_headers(app: App, board: Board) -> None:
    token = await link_in(app)
    answers = [
        (await board.page(token))[2],
        (await board.page(token + "x"))[2],
    ]
    async with board.session.get(board.url("/board/assets/board.js")) as js:
        answers.append(js)
        assert js.status == 200 and js.content_type == "text/javascript"
        assert "X-Board-Token" in await js.text()
    async with board.session.post(board.url("/board/api/move"), json={}) as api:
        answers.append(api)
    async with board.session.get(
        board.url("/board/api/events"), headers={"X-Board-Token": token}
    ) as stream:  # its headers go out before the middleware could add them
        answers.append(stream)
        assert stream.status == 200 and stream.content_type == "text/event-stream"
        assert stream.headers["Cache-Control"] == "no-store"  # it carries the board's text
    for resp in answers:
        assert resp.headers["Content-Security-Policy"] == CSP
        assert resp.headers["Referrer-Policy"] == "no-referrer"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in CSP and "'unsafe-inline'" not in CSP and "nonce" not in CSP
    assert "frame-ancestors 'none'" in CSP and "form-action 'none'" in CSP


async def test_only_the_packages_assets_are_served(board: Board) -> None:
    async with board.session.get(board.url("/board/assets/board.css")) as css:
        assert css.status == 200 and css.content_type == "text/css"
    for name in ("../routes.py", "board.py", "%2e%2e%2froutes.py", "..%2f__init__.py"):
        async with board.session.get(board.url(f"/board/assets/{name}")) as resp:
            assert resp.status in (403, 404)  # "../" reaches the token route: a bad link
            assert "import" not in await resp.text()


def tampered(token: str) -> list[str]:
    payload, mac = token.split(".")
    flipped = ("b" if payload[5] == "a" else "a").join((payload[:5], payload[6:]))
    return [
        f"{flipped}.{mac}",
        f"{payload}.{mac[:-1]}{'a' if mac[-1] != 'a' else 'b'}",
        payload,
        token[:-10],
        "not-a-token",
        token.upper(),
    ]


async def refused(board: Board, token: str, reason: str) -> None:
    status, html, _ = await board.page(token)
    assert status == 403, token
    assert "/outline board" in html and reason in html


async def test_a_tampered_link_is_refused_with_how_to_get_a_new_one(app: App, board: Board) -> None:
    token = await link_in(app)
    for bad in tampered(token):
        await refused(board, bad, "not one the bot made")


async def test_a_link_signed_with_another_key_is_refused(app: App, board: Board) -> None:
    link = BoardLink(("terminal", "local", "general"), Author("x", "x"), time.time() + 60, 0)
    await refused(board, links.sign(link, b"another key" * 3), "not one the bot made")


async def test_an_expired_link_is_refused(app: App, open_board: OpenBoard) -> None:
    token = await link_in(app)
    hours = app.settings.web_link_hours
    async with open_board(clock=lambda: time.time() + hours * 3600 - 60) as board:
        assert (await board.page(token))[0] == 200
    async with open_board(clock=lambda: time.time() + hours * 3600 + 1) as board:
        await refused(board, token, "expired")


async def test_revoke_ends_every_link_of_the_channel_and_only_that_channel(
    app: App, board: Board
) -> None:
    mine, theirs = await link_in(app, user="dana"), await link_in(app, user="sam")
    elsewhere = await link_in(app, channel="other")

    said = await Session(app, user="sam").say("/outline board revoke")

    assert "stopped working" in said
    await refused(board, mine, "revoked")
    await refused(board, theirs, "revoked")
    assert (await board.page(elsewhere))[0] == 200
    fresh = await link_in(app)
    assert (await board.page(fresh))[0] == 200


async def test_a_token_for_one_channel_opens_nothing_of_another(app: App, board: Board) -> None:
    """Only the signature binds a token to its channel: one edited to name another
    channel is a tampered token."""
    await Session(app, channel="secret").say("/outline add 1 The twist nobody knows")
    key = await signing_key(app.settings, app.store)
    token = await link_in(app, channel="general")
    read = links.read(token, key, time.time())
    payload, _ = links.sign(
        BoardLink(("terminal", "local", "secret"), read.person, read.expires, 0), key
    ).split(".")
    forged = f"{payload}.{token.split('.')[1]}"

    status, html, _ = await board.page(forged)

    assert status == 403 and "twist" not in html
    _, own, _ = await board.page(token)
    assert "twist" not in own


async def test_the_link_is_private_and_says_how_to_revoke(app: App) -> None:
    said = await Session(app).say("/outline board")
    assert "for you alone" in said and "/outline board revoke" in said
    assert re.search(r"works for 24 hours", said)


async def test_without_a_public_url_the_board_says_how_to_set_it_up(app: App) -> None:
    import dataclasses

    app.resources.settings = dataclasses.replace(app.settings, public_url=None)
    said = await Session(app).say("/outline board")
    assert "WRITERSROOM_PUBLIC_URL" in said and "/board/" not in said
