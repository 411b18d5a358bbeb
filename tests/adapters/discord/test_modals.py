"""Forms as Discord modals: /character edit <name> and /story set <field> without a value
open one, filled in, before any defer; a submission saves one revision; a bad value is
answered with its message and a button that reopens the form with the values kept."""

from __future__ import annotations

from typing import Any

from bot.app import App, open_app
from bot.settings import Settings
from core.models import Character, Story, edit_story
from core.types import Author
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import GENERAL, Harness, running
from tests.adapters.discord.payloads import GUILD

DANA = Author("1", "Dana")
KEY = ("discord", str(GUILD), GENERAL["id"])


async def cast(app: App) -> Story:
    story = await app.store.ensure_story(KEY, DANA)
    await app.store.add_character(
        story.id, Character(name="Mara", role="salvage pilot", flaw="pride"), DANA
    )
    await app.store.add_character(story.id, Character(name="Jonah"), DANA)
    return story


def inputs(modal: dict[str, Any]) -> dict[str, str]:
    rows = modal["components"]
    return {c["label"]: c.get("value", "") for row in rows for c in row["components"]}


def buttons(bot: Harness, payload: dict[str, Any]) -> dict[str, str]:
    data = bot.answer(payload)
    return {b["label"]: b["custom_id"] for r in data.get("components", []) for b in r["components"]}


async def press(bot: Harness, payload: dict[str, Any], custom_id: str) -> dict[str, Any]:
    """Press a button of the private answer to ``payload``."""
    message = bot.fake.messages[bot.fake.originals[payload["token"]]]
    return await bot.press(message, custom_id)


async def revisions(app: App, story: Story) -> int:
    return len(await app.store.history(story.id, limit=50))


async def test_character_edit_without_a_field_opens_the_sheet_filled_in(
    discord_bot: Harness, app: App, fake: FakeDiscord
) -> None:
    await cast(app)
    opened = await discord_bot.command("character edit", name="Mara")
    modal = discord_bot.modal(opened)
    assert [c.payload["type"] for c in discord_bot.calls_for(opened)] == [9]  # no defer first
    assert modal["title"] == "Mara (1/4)"
    shown = inputs(modal)
    assert list(shown) == ["Name", "Pronouns", "Age", "Role", "One-line"]
    assert shown["Name"] == "Mara" and shown["Role"] == "salvage pilot"


async def test_a_page_saves_one_revision_and_offers_the_next(
    discord_bot: Harness, app: App
) -> None:
    story = await cast(app)
    before = await revisions(app, story)
    opened = await discord_bot.command("character edit", name="Mara")
    sent = await discord_bot.submit(discord_bot.modal(opened), {"Role": "smuggler", "Age": "34"})
    mara = await app.store.find_character(story.id, "Mara")
    assert mara is not None and (mara.role, mara.age) == ("smuggler", "34")
    assert await revisions(app, story) == before + 1
    answer = discord_bot.answer(sent)
    assert answer["flags"] & 64 and "Saved **Mara**: Age, Role." in answer["content"]

    more = await press(discord_bot, sent, buttons(discord_bot, sent)["Edit more fields (2/4)"])
    page = discord_bot.modal(more)
    assert page["title"] == "Mara (2/4)" and inputs(page)["Flaw"] == "pride"
    await discord_bot.submit(page, {"Flaw": "loyalty to a liar"})
    mara = await app.store.find_character(story.id, "Mara")
    assert mara is not None and mara.flaw == "loyalty to a liar" and mara.role == "smuggler"
    assert await revisions(app, story) == before + 2


async def test_story_set_without_text_opens_the_field_and_saves_it(
    discord_bot: Harness, app: App
) -> None:
    story = await app.store.ensure_story(KEY, DANA)
    opened = await discord_bot.command("story set", field="synopsis")
    modal = discord_bot.modal(opened)
    assert modal["title"] == "Story · Synopsis"
    [[synopsis]] = [row["components"] for row in modal["components"]]
    assert synopsis["style"] == 2  # several lines
    before = await revisions(app, story)
    sent = await discord_bot.submit(modal, {"Synopsis": "A pilot salvages her past."})
    assert (await app.store.ensure_story(KEY, DANA)).synopsis == "A pilot salvages her past."
    assert await revisions(app, story) == before + 1
    assert "Saved" in discord_bot.answer(sent)["content"]
    assert buttons(discord_bot, sent) == {}  # one page: nothing more to edit


async def test_a_bad_value_is_answered_and_nothing_saved_and_reopen_keeps_the_values(
    discord_bot: Harness, app: App
) -> None:
    story = await cast(app)
    before = await revisions(app, story)
    opened = await discord_bot.command("character edit", name="Mara")
    sent = await discord_bot.submit(discord_bot.modal(opened), {"Name": "Jonah", "Age": "40"})
    answer = discord_bot.answer(sent)
    assert answer["flags"] & 64
    assert "Nothing was saved" in answer["content"] and "**Name**" in answer["content"]
    assert "Jonah" in answer["content"]  # the store's message: the name is taken
    assert await revisions(app, story) == before
    again = await press(discord_bot, sent, buttons(discord_bot, sent)["Reopen the form"])
    shown = inputs(discord_bot.modal(again))
    assert (shown["Name"], shown["Age"]) == ("Jonah", "40")
    await discord_bot.submit(discord_bot.modal(again), {"Name": "Mara Quell"})
    saved = await app.store.find_character(story.id, "Mara Quell")
    assert saved is not None and saved.age == "40"
    assert await revisions(app, story) == before + 1


async def test_a_character_removed_meanwhile_is_said_plainly(
    discord_bot: Harness, app: App
) -> None:
    story = await cast(app)
    opened = await discord_bot.command("character edit", name="Mara")
    await app.store.remove_character(story.id, "Mara", DANA)
    before = await revisions(app, story)
    sent = await discord_bot.submit(discord_bot.modal(opened), {"Role": "ghost"})
    assert "Mara was removed from the story" in discord_bot.answer(sent)["content"]
    assert await revisions(app, story) == before
    assert await app.store.find_character(story.id, "Mara") is None


async def test_an_unknown_character_is_answered_without_a_modal(
    discord_bot: Harness, app: App, fake: FakeDiscord
) -> None:
    await cast(app)
    asked = await discord_bot.command("character edit", name="Nobody")
    assert fake.responded[asked["token"]] == 4
    assert "No character named Nobody" in discord_bot.answer(asked)["content"]


async def test_a_modal_opened_before_a_restart_is_saved_after_it(settings: Settings) -> None:
    fake = FakeDiscord()
    async with open_app(settings) as app, running(app, fake) as bot:
        story = await cast(app)
        modal = bot.modal(await bot.command("character edit", name="Mara"))
    async with open_app(settings) as app, running(app, fake) as bot:  # a new process
        await bot.submit(modal, {"Role": "harbour master"})
        mara = await app.store.find_character(story.id, "Mara")
        assert mara is not None and mara.role == "harbour master"


async def test_edit_more_fields_works_after_a_restart(settings: Settings) -> None:
    fake = FakeDiscord()
    async with open_app(settings) as app, running(app, fake) as bot:
        story = await cast(app)
        opened = await bot.command("character edit", name="Mara")
        sent = await bot.submit(bot.modal(opened), {"Role": "smuggler"})
        more = buttons(bot, sent)["Edit more fields (2/4)"]
    async with open_app(settings) as app, running(app, fake) as bot:  # a new process
        page = bot.modal(await press(bot, sent, more))
        assert page["title"] == "Mara (2/4)"
        await bot.submit(page, {"Want": "her brother back"})
        mara = await app.store.find_character(story.id, "Mara")
        assert mara is not None and (mara.role, mara.want) == ("smuggler", "her brother back")


async def test_a_text_longer_than_an_input_is_kept_when_left_empty(
    discord_bot: Harness, app: App
) -> None:
    long = "The storm season comes early. " * 150  # 4,500 characters: more than an input
    story = await app.store.ensure_story(KEY, DANA)
    await app.store.update_story(
        story.id, lambda s: edit_story(s, "synopsis", long), DANA, "set story synopsis"
    )
    before = await revisions(app, story)
    modal = discord_bot.modal(await discord_bot.command("story set", field="synopsis"))
    [[synopsis]] = [row["components"] for row in modal["components"]]
    assert "value" not in synopsis and "leave empty to keep" in synopsis["placeholder"]
    assert synopsis["required"] is False
    sent = await discord_bot.submit(modal)
    assert "Nothing changed" in discord_bot.answer(sent)["content"]
    assert (await app.store.ensure_story(KEY, DANA)).synopsis == long.strip()
    assert await revisions(app, story) == before


async def test_a_title_longer_than_its_input_opens_the_modal_and_is_kept(
    discord_bot: Harness, app: App
) -> None:
    long = "T" * 1000  # saved before titles had their limit; an input holds 200
    story = await app.store.ensure_story(KEY, DANA)
    await app.store.update_story(story.id, lambda s: edit_story(s, "title", long), DANA, "set")
    modal = discord_bot.modal(await discord_bot.command("story set", field="title"))
    [[title]] = [row["components"] for row in modal["components"]]
    assert title["max_length"] == 200 and "value" not in title
    assert "leave empty to keep" in title["placeholder"]
    await discord_bot.submit(modal)
    assert (await app.store.ensure_story(KEY, DANA)).title == long


async def test_a_failure_of_ours_in_a_submission_is_an_apology_with_an_error_id(
    discord_bot: Harness, app: App, monkeypatch: Any, caplog: Any
) -> None:
    story = await cast(app)
    before = await revisions(app, story)
    opened = await discord_bot.command("character edit", name="Mara")

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(app.store, "update_character", broken)
    sent = await discord_bot.submit(discord_bot.modal(opened), {"Role": "smuggler"})
    answer = discord_bot.answer(sent)
    assert answer["flags"] & 64 and "error id" in answer["content"]
    assert "disk is on fire" not in answer["content"]
    assert any("form failed, error id" in r.getMessage() for r in caplog.records)
    assert await revisions(app, story) == before
