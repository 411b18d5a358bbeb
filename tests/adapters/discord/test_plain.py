"""Plain language on Discord: a message that mentions the bot is read as the command that
fits, a question is answered from this channel's bible (never another's), and small talk
gets a sentence, each through real MESSAGE_CREATE payloads."""

from __future__ import annotations

from typing import Any

from tests.adapters.discord.harness import GENERAL, OTHER, Harness


def _sent(bot: Harness, channel: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """What the bot sent or edited (bodies of POST/PATCH to messages), oldest first;
    with ``channel``, only in that channel or the threads it opened."""
    out = []
    for call in bot.fake.calls:
        if call.payload is None or call.method not in ("POST", "PATCH"):
            continue
        if "/messages" not in call.path:
            continue
        if channel is not None:
            here = int(call.path.split("/")[2])
            parent = bot.fake.channels.get(here, {}).get("parent_id")
            if channel["id"] not in (str(here), str(parent)):
                continue
        out.append(call.payload)
    return out


def _text(payload: dict[str, Any]) -> str:
    embeds = payload.get("embeds") or []
    return "\n".join(
        [payload.get("content") or ""]
        + [f"{e.get('title', '')}\n{e.get('description', '')}" for e in embeds]
    )


async def test_a_plain_mention_runs_the_command_it_means_and_says_so(
    discord_bot: Harness,
) -> None:
    await discord_bot.say("write a short synopsis of a heist", channel=GENERAL, mention_bot=True)
    final = _sent(discord_bot)[-1]
    [embed] = final["embeds"]
    assert embed["title"].startswith("Synopsis")
    assert embed["description"].startswith("_Understood as_ `/synopsis short a heist`")
    labels = [b["label"] for row in final["components"] for b in row["components"]]
    assert labels == ["Regenerate", "Continue", "Save to bible", "👍 Good", "👎 Not good"]
    assert discord_bot.fake.find("POST", r"/threads$")  # the draft has its thread
    posts = [c.payload for c in discord_bot.fake.find("POST", r"/messages$") if c.payload]
    assert posts and all(p["allowed_mentions"] == {"parse": []} for p in posts)


async def test_a_question_is_answered_from_this_channels_bible_only(
    discord_bot: Harness,
) -> None:
    flaw = "trusts the wrong brother every single time"
    await discord_bot.command("character new", name="Mara Quell", role="protagonist")
    await discord_bot.command("character edit", name="Mara Quell", field="flaw", value=flaw)
    await discord_bot.say("what is Mara's flaw?", channel=GENERAL, mention_bot=True)
    answer = _text(_sent(discord_bot, GENERAL)[-1])
    assert flaw in answer
    await discord_bot.say("what is Mara's flaw?", channel=OTHER, mention_bot=True)
    elsewhere = "\n".join(_text(p) for p in _sent(discord_bot, OTHER))
    assert elsewhere and flaw not in elsewhere


async def test_small_talk_gets_a_friendly_sentence_not_an_error(discord_bot: Harness) -> None:
    await discord_bot.say("thanks, that was great", channel=GENERAL, mention_bot=True)
    [reply] = _sent(discord_bot)
    text = _text(reply)
    assert text.strip() and "There is no" not in text and "went wrong" not in text
    assert not discord_bot.fake.find("POST", r"/threads$")  # a sentence, not a draft
