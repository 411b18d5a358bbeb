"""Forms instead of long commands: /character edit <name> and /story set <field> without
a value open a modal; its submission is saved as one revision before the ack, and what
cannot be saved shows in the form."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from typing import Any

import pytest

from bot.adapters.slack import interactions
from bot.adapters.slack.interactions import NOT_SAVED, STILL_SAVING
from core.models import Character
from core.types import Author
from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.bot.helpers import Session
from tests.storage.loop_helpers import held_by_another_process

DANA = Author("U1", "Dana")
KEY = ("slack", TEAM, "C1")


async def cast(slack: Slack) -> int:
    store = slack.app.store
    story = await store.ensure_story(KEY, DANA)
    mara = Character(name="Mara", age="34", role="pilot", want="to pay the debt")
    await store.add_character(story.id, mara, DANA)
    await store.add_character(story.id, Character(name="Jonah", role="brother"), DANA)
    return story.id


async def open_form(slack: Slack, fake: FakeSlack, command: str, text: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    sent = await slack.command(command, text)
    assert sent.status == 200
    await slack.idle()
    opened = fake.calls_to("views.open")[before:]
    assert len(opened) == 1, [c.method for c in fake.calls]
    assert opened[0].result["ok"], opened[0].result
    return {**opened[0]["view"], "id": opened[0].result["view"]["id"]}


def initial(view: dict[str, Any]) -> dict[str, str]:
    return {
        b["block_id"].removeprefix("f_"): b["element"].get("initial_value", "")
        for b in view["blocks"]
    }


def submission(view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    state = {
        "values": {
            b["block_id"]: {
                "value": {
                    "type": "plain_text_input",
                    "value": values.get(b["block_id"].removeprefix("f_"))
                    or b["element"].get("initial_value"),
                }
            }
            for b in view["blocks"]
        }
    }
    for name, value in values.items():
        if value == "":
            state["values"]["f_" + name]["value"]["value"] = None
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "writers"},
        "user": {"id": "U1", "username": "dana", "name": "dana", "team_id": TEAM},
        "api_app_id": "A0WR",
        "view": {**view, "state": state},
    }


async def submit(slack: Slack, view: dict[str, Any], **values: str) -> dict[str, Any]:
    sent = await slack.interaction(submission(view, values))
    assert sent.status == 200
    await slack.idle()
    return json.loads(sent.text) if sent.text else {}


async def test_character_edit_without_a_field_opens_the_sheet_filled_in(
    slack: Slack, fake: FakeSlack
) -> None:
    await cast(slack)
    view = await open_form(slack, fake, "character", "edit Mara")
    assert view["callback_id"] == "writersroom_form" and view["title"]["text"] == "Mara"
    fields = initial(view)
    assert (
        fields["name"] == "Mara" and fields["age"] == "34" and fields["want"] == "to pay the debt"
    )
    assert fields["backstory"] == "" and len(fields) == 16
    assert {b["block_id"]: b["element"]["multiline"] for b in view["blocks"]}["f_backstory"]
    assert fake.posts() == []  # a form, not a reply


async def test_a_submitted_form_saves_one_revision_and_says_what_changed(
    slack: Slack, fake: FakeSlack
) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    before = len(await store.history(story_id, limit=50))
    assert await submit(slack, view, age="41", backstory="Grew up on the Kestrel.") == {}
    revisions = await store.history(story_id, limit=50)
    assert len(revisions) == before + 1 and "age, backstory" in revisions[0].summary
    mara = await store.find_character(story_id, "Mara")
    assert mara is not None and (mara.age, mara.backstory) == ("41", "Grew up on the Kestrel.")
    assert mara.want == "to pay the debt"  # untouched fields stay
    [note] = fake.calls_to("chat.postEphemeral")
    assert note["user"] == "U1" and "Saved *Mara*: Age, Backstory" in " ".join(
        texts(note["blocks"])
    )


async def test_a_form_submitted_twice_saves_once(slack: Slack, fake: FakeSlack) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    await submit(slack, view, age="41")
    count = len(await store.history(story_id, limit=50))
    again = await submit(slack, view, age="41")  # the same submission again: Slack ignores
    assert again["errors"] == {"f_name": STILL_SAVING}  # the answer, the form being closed
    other = await open_form(slack, fake, "character", "edit Mara")
    await submit(slack, other, age="41")  # another form, the same value
    assert len(await store.history(story_id, limit=50)) == count
    notes = [" ".join(texts(n["blocks"])) for n in fake.calls_to("chat.postEphemeral")]
    assert len(notes) == 2 and "Nothing changed" in notes[-1]


async def test_what_cannot_be_saved_shows_in_the_form(slack: Slack, fake: FakeSlack) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    count = len(await store.history(story_id, limit=50))
    answer = await submit(slack, view, name="", age="41")
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {"f_name": "A character needs a name."}
    answer = await submit(slack, view, name="Jonah")
    assert answer["response_action"] == "errors" and "Jonah" in answer["errors"]["f_name"]
    assert len(await store.history(story_id, limit=50)) == count  # nothing half-written
    assert await submit(slack, view, name="Mara Voss") == {}  # corrected, it saves
    assert await store.find_character(story_id, "Mara Voss") is not None


async def test_the_same_mistake_sent_again_shows_its_error_again(
    slack: Slack, fake: FakeSlack
) -> None:
    await cast(slack)
    view = await open_form(slack, fake, "character", "edit Mara")
    for _ in range(2):  # the hold is given back: the same values are checked again
        answer = await submit(slack, view, name="")
        assert answer["errors"] == {"f_name": "A character needs a name."}


async def test_a_form_whose_save_failed_stays_open_and_saves_when_sent_again(
    slack: Slack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    count = len(await store.history(story_id, limit=50))
    save = interactions.submit

    async def fails_once(*args: Any) -> Any:
        monkeypatch.setattr(interactions, "submit", save)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(interactions, "submit", fails_once)
    answer = await submit(slack, view, age="41")
    assert answer == {"response_action": "errors", "errors": {"f_name": NOT_SAVED}}
    assert len(await store.history(story_id, limit=50)) == count
    assert await submit(slack, view, age="41") == {}  # Save pressed again, the same text
    mara = await store.find_character(story_id, "Mara")
    assert mara is not None and mara.age == "41"
    [note] = fake.calls_to("chat.postEphemeral")
    assert "Saved *Mara*: Age" in " ".join(texts(note["blocks"]))


async def test_a_form_sent_while_the_database_is_locked_answers_in_time_and_saves_later(
    slack: Slack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the file's write lock past the form's wait: the ack comes
    while it still holds it (Slack waits 3 s), saying nothing was saved, and once the
    lock is gone the same Save saves (the hold written late has run out by then)."""
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    monkeypatch.setattr(interactions, "FORM_SAVE_WAIT", 0.3)
    monkeypatch.setattr(interactions, "SETTLE_WAIT", 0.2)
    monkeypatch.setattr(interactions, "SAVING", 0.5)
    with held_by_another_process(slack.app.settings.db_path):
        answer = await submit(slack, view, age="41")
        assert answer == {"response_action": "errors", "errors": {"f_name": NOT_SAVED}}
    await asyncio.sleep(0.8)  # the lock is gone; the hold the locked file held back ran out
    mara = await store.find_character(story_id, "Mara")
    assert mara is not None and mara.age == "34"
    assert await submit(slack, view, age="41") == {}
    mara = await store.find_character(story_id, "Mara")
    assert mara is not None and mara.age == "41"


async def test_a_form_for_a_character_deleted_meanwhile_says_so(
    slack: Slack, fake: FakeSlack
) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    await store.remove_character(story_id, "Mara", DANA)
    count = len(await store.history(story_id, limit=50))
    answer = await submit(slack, view, age="41")
    assert answer["response_action"] == "update"
    assert "Mara was removed from the story" in json.dumps(answer["view"])
    assert len(await store.history(story_id, limit=50)) == count


async def test_an_edit_made_elsewhere_meanwhile_is_kept(slack: Slack, fake: FakeSlack) -> None:
    story_id = await cast(slack)
    store = slack.app.store
    view = await open_form(slack, fake, "character", "edit Mara")
    await slack.command("character", "edit Mara role captain")  # someone else, meanwhile
    await slack.idle()
    await submit(slack, view, age="41")
    mara = await store.find_character(story_id, "Mara")
    assert mara is not None and (mara.role, mara.age) == ("captain", "41")


async def test_story_set_without_text_opens_a_long_text_form(slack: Slack, fake: FakeSlack) -> None:
    store = slack.app.store
    story = await store.ensure_story(KEY, DANA)
    await store.update_story(
        story.id, lambda s: dataclasses.replace(s, synopsis="A pilot owes everyone."), DANA, "set"
    )
    view = await open_form(slack, fake, "story", "set synopsis")
    [block] = view["blocks"]
    assert block["element"]["multiline"] and block["element"]["initial_value"] == (
        "A pilot owes everyone."
    )
    assert await submit(slack, view, synopsis="A pilot owes everyone, and the storm comes.") == {}
    saved = await store.active_story(KEY)
    assert saved is not None and saved.synopsis.endswith("the storm comes.")
    assert (await store.history(saved.id, limit=1))[0].summary == "set story synopsis"


async def test_a_synopsis_too_long_for_a_form_is_kept_when_left_empty(
    slack: Slack, fake: FakeSlack
) -> None:
    store = slack.app.store
    story = await store.ensure_story(KEY, DANA)
    long = "word " * 900
    await slack.command("story", f"set synopsis {long}")
    await slack.idle()
    view = await open_form(slack, fake, "story", "set synopsis")
    [block] = view["blocks"]
    assert "initial_value" not in block["element"] and "more than a form holds" in json.dumps(block)
    await submit(slack, view, synopsis="")
    kept = await store.active_story(KEY)
    assert kept is not None and kept.id == story.id and len(kept.synopsis) > 3000


async def test_a_title_longer_than_its_form_field_opens_the_form_and_is_kept(
    slack: Slack, fake: FakeSlack
) -> None:
    store = slack.app.store
    story = await store.ensure_story(KEY, DANA)  # saved before titles had their limit
    long = "T" * 1000
    await store.update_story(story.id, lambda s: dataclasses.replace(s, title=long), DANA, "set")
    view = await open_form(slack, fake, "story", "set title")  # Slack took the view
    [block] = view["blocks"]
    assert block["element"]["max_length"] == 200 and "initial_value" not in block["element"]
    assert "more than a form holds" in json.dumps(block)
    await submit(slack, view, title="")
    kept = await store.active_story(KEY)
    assert kept is not None and kept.title == long


async def test_a_form_for_a_story_replaced_meanwhile_saves_nothing(
    slack: Slack, fake: FakeSlack
) -> None:
    store = slack.app.store
    view = await open_form(slack, fake, "story", "set logline")
    await store.new_story(KEY, DANA, "Second Draft")
    answer = await submit(slack, view, logline="A new logline")
    assert answer["response_action"] == "update" and "another story" in json.dumps(answer)
    current = await store.active_story(KEY)
    assert current is not None and current.logline == ""


async def test_a_form_for_a_character_the_story_lacks_is_a_private_answer(
    slack: Slack, fake: FakeSlack
) -> None:
    await cast(slack)
    await slack.command("character", "edit Nobody")
    await slack.idle()
    assert fake.calls_to("views.open") == []
    [note] = fake.calls_to("chat.postEphemeral")
    assert "No character named Nobody" in " ".join(texts(note["blocks"]))


async def test_a_tampered_form_is_refused(slack: Slack, fake: FakeSlack) -> None:
    await cast(slack)
    view = await open_form(slack, fake, "character", "edit Mara")
    view["private_metadata"] = '{"team": "T0WRITERS", "channel": "C1; DROP", "ref": {}}'
    answer = await submit(slack, view, age="1")
    assert answer["response_action"] == "update" and "can't be read" in json.dumps(answer)


async def test_where_there_are_no_forms_the_command_says_what_to_type(slack: Slack) -> None:
    session = Session(slack.app)
    await session.say("/character new Mara a pilot")
    out = await session.say("/character edit Mara")
    assert "Say which field of Mara to set" in out and "/character edit Mara <field>" in out
    out = await session.say("/story set synopsis")
    assert "Give the new synopsis" in out
