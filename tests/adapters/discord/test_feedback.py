"""Good / Not good under generated replies on Discord: the buttons carry what made the
reply, a press stores one vote per person and message (a second press changes it), and
/story stats adds up this channel's votes only."""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.feedback import TEMPLATE, custom_id
from bot.adapters.feedback import Made
from tests.adapters.discord.harness import BOB, GENERAL, OTHER, Harness
from tests.adapters.discord.payloads import GUILD


def _head(bot: Harness, channel: dict[str, Any] = GENERAL) -> dict[str, Any]:
    [head] = [m for m in bot.fake.in_channel(int(channel["id"])) if m.get("webhook_id")][-1:]
    return head


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message["components"] for b in row["components"]}


def _text(message: dict[str, Any]) -> str:
    return message.get("content") or " ".join(e.get("description", "") for e in message["embeds"])


async def _counts(bot: Harness, channel: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    found = await bot.app.store.feedback_counts("discord", str(GUILD), [channel["id"]])
    return [(c.command, c.engine, c.good, c.bad) for c in found]


async def test_a_press_is_one_vote_that_a_second_press_changes(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis", length="short")
    head = _head(discord_bot)
    buttons = _buttons(head)
    assert {"👍 Good", "👎 Not good"} <= set(buttons)
    rows = [[b["label"] for b in row["components"]] for row in head["components"]]
    assert rows[-1] == ["👍 Good", "👎 Not good"]  # a row of their own, under the reply's

    pressed = await discord_bot.press(head, buttons["👍 Good"], who=BOB)
    thanks = discord_bot.answer(pressed)
    assert thanks["flags"] & 64 and "recorded as good" in thanks["content"]
    assert await _counts(discord_bot, GENERAL) == [("synopsis", "offline", 1, 0)]

    pressed = await discord_bot.press(head, buttons["👎 Not good"], who=BOB)
    assert "your vote is changed" in discord_bot.answer(pressed)["content"]
    assert await _counts(discord_bot, GENERAL) == [("synopsis", "offline", 0, 1)]


async def test_story_stats_shows_this_channels_votes_only(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis", length="short")
    await discord_bot.press(_head(discord_bot), _buttons(_head(discord_bot))["👍 Good"])
    await discord_bot.command("story stats")
    shown = _text(_head(discord_bot))
    assert "synopsis" in shown and "100%" in shown
    await discord_bot.command("story stats", channel=OTHER)
    text = _text(_head(discord_bot, OTHER))
    assert "No feedback" in text and "synopsis" not in text


async def test_replies_that_are_not_generated_results_carry_no_vote(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("character new", name="Mara Quell")
    await discord_bot.command("character show", name="Mara Quell")
    shown = _head(discord_bot)
    assert not any("Good" in label for label in _buttons(shown))


def test_a_long_model_name_is_cut_to_fit_a_custom_id() -> None:
    made = Made("synopsis", "openai", "org/" + "very-long-model-name-" * 10)
    for verdict in ("good", "bad"):
        found = custom_id(verdict, made)
        assert len(found) <= 100
        match = TEMPLATE.fullmatch(found)
        assert match is not None
        back = Made.read(match["made"])
        assert back is not None and back.command == "synopsis" and back.engine == "openai"
        assert made.model.startswith(back.model) and back.model


async def test_a_new_take_and_a_follow_up_are_voted_on_as_the_draft(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("synopsis", length="short")
    head = _head(discord_bot)
    await discord_bot.press(head, _buttons(head)["Regenerate"])
    thread = discord_bot.fake.channels[int(head["id"])]  # the thread started from the head
    take = discord_bot.fake.in_channel(int(thread["id"]))[-1]
    assert take["embeds"][0]["title"] == "Synopsis · another take"
    await discord_bot.press(take, _buttons(take)["👍 Good"], who=BOB)
    await discord_bot.say("shorter", channel=thread)
    shorter = discord_bot.fake.in_channel(int(thread["id"]))[-1]
    assert shorter["embeds"][0]["title"] == "Synopsis · revised"
    await discord_bot.press(shorter, _buttons(shorter)["👎 Not good"], who=BOB)
    assert await _counts(discord_bot, GENERAL) == [("synopsis", "offline", 1, 1)]
