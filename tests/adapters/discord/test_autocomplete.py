"""Autocomplete answers within Discord's limits however big the bible: at most 25 choices,
each name 1-100 characters and each value at most 100 (the fake refuses any other answer,
and the harness fails on a refusal)."""

from __future__ import annotations

import pytest

from core.models import Character, Location
from core.types import Author
from tests.adapters.discord.harness import GENERAL, Harness

ALICE = Author("1", "Alice")
LONG = "Ser " + "Aldous " * 20 + "of the Long Name"  # 160 characters: no choice can hold it
AT_LIMIT = "Ser " + "x" * 96  # exactly 100 characters: a choice can
assert len(LONG) > 100 and len(AT_LIMIT) == 100


async def _cast(bot: Harness, names: list[str]) -> None:
    store = bot.app.store
    story = await store.ensure_story(("discord", GENERAL["guild_id"], GENERAL["id"]), ALICE)
    for name in names:  # straight into the bible: a story kept from before any length rule
        await store.add_character(story.id, Character(name), ALICE)


def _big_cast() -> list[str]:
    return [f"Ser Knight {i:02}" for i in range(30)] + [LONG, LONG + " II", AT_LIMIT]


@pytest.mark.parametrize("typed", ["", "ser", "SER KN"])
async def test_a_cast_of_over_25_suggests_at_most_25_names_that_fit(
    discord_bot: Harness, typed: str
) -> None:
    await _cast(discord_bot, _big_cast())
    got = await discord_bot.autocomplete("character show", "name", name=typed)
    assert 1 <= len(got) <= 25
    assert all(1 <= len(name) <= 100 for name in got)
    assert LONG not in got
    assert discord_bot.fake.refused == 0


async def test_only_names_the_option_takes_are_suggested(discord_bot: Harness) -> None:
    """/character show's name takes 80 characters (Discord's client refuses a longer
    pick): a name of 100 is not offered there, one of 80 is."""
    at_80 = "Ser " + "y" * 76
    await _cast(discord_bot, [*_big_cast(), at_80])
    assert await discord_bot.autocomplete("character show", "name", name="ser xxx") == []
    assert await discord_bot.autocomplete("character show", "name", name="ser yyy") == [at_80]


async def test_names_over_100_characters_alone_suggest_nothing(discord_bot: Harness) -> None:
    await _cast(discord_bot, [LONG, LONG + " II"])
    assert await discord_bot.autocomplete("character show", "name", name="ser ald") == []
    assert discord_bot.fake.refused == 0


async def test_a_list_of_speakers_suggests_at_most_25_lists_of_at_most_100(
    discord_bot: Harness,
) -> None:
    await _cast(discord_bot, _big_cast())
    typed = f"{AT_LIMIT[:60]}, Ser Knight 01, ser"  # a long name typed already, then the next
    got = await discord_bot.autocomplete("dialogue", "characters", characters=typed)
    assert 1 <= len(got) <= 25
    assert all(len(value) <= 100 for value in got)
    assert all(value.startswith(f"{AT_LIMIT[:60]}, Ser Knight 01, Ser ") for value in got)
    assert discord_bot.fake.refused == 0


async def test_a_list_too_long_for_any_choice_suggests_nothing(discord_bot: Harness) -> None:
    await _cast(discord_bot, _big_cast())
    typed = f"{AT_LIMIT}, ser"  # 100 characters already: no continuation fits a choice
    assert await discord_bot.autocomplete("dialogue", "characters", characters=typed) == []


async def test_over_25_locations_suggest_at_most_25(discord_bot: Harness) -> None:
    store = discord_bot.app.store
    story = await store.ensure_story(("discord", GENERAL["guild_id"], GENERAL["id"]), ALICE)
    for i in range(30):
        await store.add_location(story.id, Location(f"Deck {i:02}"), ALICE)
    await store.add_location(story.id, Location("Deck " + "nine " * 30), ALICE)
    got = await discord_bot.autocomplete("location show", "name", name="deck")
    assert len(got) == 25 and all(len(name) <= 100 for name in got)


@pytest.mark.parametrize(
    ("command", "sub"), [("character", "fly"), ("gone", None), ("story", None)]
)
async def test_typing_in_a_command_the_bot_no_longer_has_gets_no_choices(
    discord_bot: Harness, command: str, sub: str | None
) -> None:
    """Discord still offers a stale command until the next sync: its autocomplete gets an
    empty list (only choices answer an autocomplete), not the stale-command message."""
    data = discord_bot.command_data(command, sub, {"name": "ma"}, focused="name")
    payload = await discord_bot.deliver(discord_bot.interaction(4, data))
    [answer] = discord_bot.calls_for(payload)
    assert answer.payload == {"type": 8, "data": {"choices": []}}
    assert discord_bot.fake.refused == 0
