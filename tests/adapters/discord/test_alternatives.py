"""options:N on Discord: one "Use option k" button per option, still working after a restart."""

from __future__ import annotations

from typing import Any

from bot.app import open_app
from bot.settings import Settings
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import GENERAL, running
from tests.adapters.discord.payloads import GUILD


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message["components"] for b in row["components"]}


async def test_choose_buttons_render_and_work_after_a_restart(settings: Settings) -> None:
    fake = FakeDiscord()
    async with open_app(settings) as app, running(app, fake) as bot:
        await bot.command("synopsis", length="logline", options=3)
    [head] = [m for m in fake.in_channel(int(GENERAL["id"])) if m.get("webhook_id")]
    buttons = _buttons(head)
    assert list(buttons) == ["Use option 1", "Use option 2", "Use option 3"]
    assert all(
        cid.startswith("wr:choose:") and cid.endswith(f".{k}")
        for k, cid in enumerate(buttons.values(), 1)
    )
    assert "Option 3" in str(head["embeds"])

    async with open_app(settings) as app, running(app, fake) as bot:  # a new process
        await bot.press(head, buttons["Use option 2"])
        chosen = fake.in_channel(int(head["id"]))[-1]
        assert [e["title"] for e in chosen["embeds"]] == ["Synopsis · option 2"]
        assert set(_buttons(chosen)) == {
            *("Regenerate", "Continue", "Save to bible"),
            *("👍 Good", "👎 Not good"),  # the option kept is voted on
        }
        conv = await app.store.latest_conversation(("discord", str(GUILD), GENERAL["id"]))
        assert conv is not None and conv.params["chosen"] == 2
        assert conv.artifact == conv.params["options"][1]["text"]
