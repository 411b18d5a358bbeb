"""Changes through the page's endpoints: moves, edits, adds and removes change the bible
as the chat commands do (the same revisions, under the link's person, undone from chat),
every write checks the token again, and requests from other sites or other channels
change nothing."""

from __future__ import annotations

import re

import pytest

from bot.app import App
from core.models import Beat
from tests.adapters.web.conftest import Board, link_in
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)


async def three_beats(chat: Session) -> None:
    await chat.say("/outline add 1 Isla finds the logbook")
    await chat.say("/outline add 1 Callum lies about the wreck")
    await chat.say("/outline add 2 Morag tells Isla what the village saw")


async def beats(app: App, channel: str = "general") -> list[Beat]:
    story = await app.store.active_story(("terminal", "local", channel))
    assert story is not None
    return await app.store.beats(story.id)


async def beat_id(app: App, text: str) -> int:
    return next(b.id for b in await beats(app) if b.text.startswith(text))


def board_lines(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if re.match(r"^(Act \d|\d+\. )", line)]


async def test_a_card_dragged_to_another_act_moves_there_in_outline_show(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    token = await link_in(app)

    status, answer = await board.write(
        token, "move", {"beat": await beat_id(app, "Isla"), "act": 2, "position": 1}
    )

    assert status == 200 and answer["note"] == "Moved to act 2."
    assert board_lines(await chat.say("/outline show")) == [
        "Act 1",
        "1. Callum lies about the wreck",
        "Act 2",
        "2. Isla finds the logbook",
        "3. Morag tells Isla what the village saw",
    ]
    assert re.search(r'data-act="2".*Isla finds.*Morag tells', answer["html"])


async def test_a_card_moves_within_its_act_and_to_the_end_of_another(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    token = await link_in(app)
    callum = await beat_id(app, "Callum")

    await board.write(token, "move", {"beat": callum, "act": 1, "position": 1})
    assert board_lines(await chat.say("/outline show"))[1:3] == [
        "1. Callum lies about the wreck",
        "2. Isla finds the logbook",
    ]
    await board.write(token, "move", {"beat": callum, "act": 3, "position": 99})
    assert board_lines(await chat.say("/outline show"))[-2:] == [
        "Act 3",
        "3. Callum lies about the wreck",
    ]


async def test_a_move_is_one_revision_under_the_links_person_and_undo_takes_it_back(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    before = board_lines(await chat.say("/outline show"))
    token = await link_in(app, user="sam")

    await board.write(token, "move", {"beat": await beat_id(app, "Isla"), "act": 2, "position": 2})

    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    [newest] = await app.store.history(story.id, limit=1)
    assert (newest.actor_id, newest.actor_name) == ("terminal:sam", "sam")
    assert "sam" in await chat.say("/story history")
    undone = await chat.say("/story undo")
    assert "moved beat 1.1" in undone
    assert board_lines(await chat.say("/outline show")) == before


async def test_edit_add_and_remove_show_in_outline_show(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    token = await link_in(app)

    edited = await board.write(
        token, "edit", {"beat": await beat_id(app, "Callum"), "text": "Callum burns the chart "}
    )
    added = await board.write(token, "add", {"act": 3, "text": "The lamp goes dark"})
    removed = await board.write(token, "remove", {"beat": await beat_id(app, "Morag")})

    assert [s for s, _ in (edited, added, removed)] == [200, 200, 200]
    assert "/story undo" in removed[1]["note"]
    assert board_lines(await chat.say("/outline show")) == [
        "Act 1",
        "1. Isla finds the logbook",
        "2. Callum burns the chart",
        "Act 3",
        "3. The lamp goes dark",
    ]
    await chat.say("/story undo")
    assert "Morag tells" in await chat.say("/outline show")


async def test_a_card_added_to_an_empty_channel_starts_its_story(
    app: App, board: Board, chat: Session
) -> None:
    token = await link_in(app, channel="fresh")
    status, answer = await board.write(token, "add", {"act": 1, "text": "Opening image"})
    assert status == 200 and "Opening image" in answer["html"]
    assert "1. Opening image" in await Session(app, channel="fresh").say("/outline show")


@pytest.mark.parametrize(
    ("action", "body", "message"),
    [
        ("move", {"act": 2, "position": 1}, "'beat'"),
        ("move", {"beat": "1", "act": 2, "position": 1}, "'beat'"),
        ("move", {"beat": True, "act": 2, "position": 1}, "'beat'"),
        ("move", {"beat": 1, "act": 9, "position": 1}, "act is 1 to 8"),
        ("edit", {"beat": 1, "text": 5}, "'text'"),
        ("edit", {"beat": 1, "text": "   "}, "needs some text"),
        ("add", {"act": 1, "text": "x" * 1001}, "at most 1000"),
    ],
)
async def test_a_malformed_change_is_refused_and_changes_nothing(
    app: App, board: Board, chat: Session, action: str, body: dict[str, object], message: str
) -> None:
    await three_beats(chat)
    before = await beats(app)
    status, answer = await board.write(await link_in(app), action, body)
    assert status == 400 and message in answer["error"]
    assert await beats(app) == before


async def test_a_card_someone_removed_meanwhile_is_answered_with_the_board_as_it_is(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    token = await link_in(app)
    isla = await beat_id(app, "Isla")
    await chat.say("/outline remove 1")

    status, answer = await board.write(token, "edit", {"beat": isla, "text": "Too late"})

    assert status == 404 and "no longer on the board" in answer["error"]
    assert "Isla finds" not in answer["html"] and "Callum lies" in answer["html"]


async def test_a_beat_of_another_channel_cannot_be_touched(
    app: App, board: Board, chat: Session
) -> None:
    await three_beats(chat)
    secret = Session(app, channel="secret")
    await secret.say("/outline add 1 The twist nobody knows")
    twist = (await beats(app, "secret"))[0]
    token = await link_in(app, channel="general")

    for action, body in (
        ("edit", {"beat": twist.id, "text": "Spoiled"}),
        ("move", {"beat": twist.id, "act": 2, "position": 1}),
        ("remove", {"beat": twist.id}),
    ):
        status, answer = await board.write(token, action, body)
        assert status == 404 and "twist" not in answer["html"]
    assert await beats(app, "secret") == [twist]


async def test_every_write_checks_the_token_again(app: App, board: Board, chat: Session) -> None:
    await three_beats(chat)
    token = await link_in(app)
    assert (await board.write(token, "add", {"act": 1, "text": "Before"}))[0] == 200
    await chat.say("/outline board revoke")

    status, answer = await board.write(token, "add", {"act": 1, "text": "After"})

    assert status == 403 and answer["refused"] == "revoked"
    assert "/outline board" in answer["error"] and "html" not in answer
    assert "After" not in await chat.say("/outline show")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
async def test_cross_site_requests_are_refused(
    app: App, board: Board, chat: Session, headers: dict[str, str]
) -> None:
    token = await link_in(app)
    status, _ = await board.write(token, "add", {"act": 1, "text": "Forged"}, headers=headers)
    assert status == 403
    assert "Forged" not in await chat.say("/outline show")


async def test_the_pages_own_origin_and_the_public_url_are_accepted(app: App, board: Board) -> None:
    token = await link_in(app)
    own = str(board.server.make_url("")).rstrip("/")
    for origin in (own, "https://board.example"):
        headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
        assert (await board.write(token, "add", {"act": 1, "text": origin}, headers=headers))[
            0
        ] == 200


async def test_a_form_post_or_a_write_without_the_header_is_refused(
    app: App, board: Board, chat: Session
) -> None:
    token = await link_in(app)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with board.session.post(
        board.url("/board/api/add"), data="act=1&text=Forged", headers=form
    ) as resp:
        assert resp.status == 415
    async with board.session.post(
        board.url("/board/api/add"),
        data="act=1&text=Forged",
        headers={**form, "X-Board-Token": token},
    ) as resp:
        assert resp.status == 415
    assert (await board.write(None, "add", {"act": 1, "text": "Forged"}))[0] == 403
    assert (await board.write("", "add", {"act": 1, "text": "Forged"}))[0] == 403
    async with board.session.post(
        board.url("/board/api/add"),
        data="{",
        headers={"Content-Type": "application/json", "X-Board-Token": token},
    ) as resp:
        assert resp.status == 400
    async with board.session.get(board.url("/board/api/add")) as resp:
        assert resp.status == 405
    assert "Forged" not in await chat.say("/outline show")


async def test_json_nested_too_deep_is_refused_as_unreadable(
    app: App, board: Board, chat: Session
) -> None:
    token = await link_in(app)
    deep = "[" * 5000 + "]" * 5000  # the parser's recursion gives out before the body cap
    for sent in ({"X-Board-Token": token}, {}):
        async with board.session.post(
            board.url("/board/api/edit"),
            data=deep,
            headers={"Content-Type": "application/json", **sent},
        ) as resp:
            assert resp.status in (400, 403)  # never the 500 of an unexpected failure
            assert "Something went wrong" not in await resp.text()
