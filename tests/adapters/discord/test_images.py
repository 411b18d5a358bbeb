"""Image jobs: progress edits while they run, the picture as an attachment, Variations.

The command here is a stand-in registered next to the real ones (the portrait command is
built elsewhere); the tree is generated from whatever the registry holds, so it shows up
in Discord with its options and autocomplete like any other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import App
from bot.context import Context
from bot.dispatch import Dispatcher
from bot.params import param
from bot.registry import CommandSpec, Registry
from core.types import Action, Args, ImageRef, Reply
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import GENERAL, OTHER, Harness, running

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
STEPS = 6


@dataclass(frozen=True, slots=True)
class SketchArgs(Args):
    name: str = param("Who", autocomplete="characters", max_length=80)
    place: str = param("Where", autocomplete="locations", default="")


async def _sketch(ctx: Context[SketchArgs]) -> None:
    for step in range(1, STEPS + 1):
        await ctx.responder.progress(f"Painting {ctx.args.name}", step / STEPS)
    path = Path(ctx.settings.data_dir) / "sketch of mara.png"
    path.write_bytes(PNG)
    if ctx.args.place == "preview":  # a backend that shows its latents as it goes
        handle = await ctx.reply(
            Reply(
                title="Sketching",
                body="_Step 1 of 2_",
                partial=True,
                images=(ImageRef(str(path), "Preview", "preview.png"),),
            )
        )
        await ctx.responder.update(handle, Reply(title="Done", body="Finished."))
        return
    await ctx.reply(
        Reply(
            title=f"{ctx.args.name} at {ctx.args.place or 'home'}",
            images=(ImageRef(str(path), "A pencil sketch", "sketch of mara.png"),),
            actions=(Action("variations", "Variations", "7"),),
            footer="Offline image engine",
        )
    )


SKETCH = CommandSpec(
    "sketch",
    "Draw a character somewhere.",
    handler=_sketch,
    args=SketchArgs,
    job="image",
)


@pytest.fixture
async def sketching(app: App, fake: FakeDiscord) -> AsyncIterator[Harness]:
    registry = Registry([*app.registry, SKETCH])
    dispatcher = Dispatcher(registry, app.resources, app.jobs, app.dispatcher.hooks)
    async with running(dataclasses.replace(app, dispatcher=dispatcher), fake) as harness:
        yield harness


async def test_an_image_job_shows_progress_then_arrives_as_an_attachment(
    sketching: Harness,
) -> None:
    payload = await sketching.command("sketch", name="Mara")
    calls = sketching.calls_for(payload)
    assert calls[0].payload == {"type": 5}
    edits = [c for c in calls if c.method == "PATCH" and c.path.endswith("/@original")]
    progress, final = edits[:-1], edits[-1]
    assert progress and all("⏳ Painting Mara" in str(c.payload) for c in progress)
    assert len(progress) < STEPS  # six steps at once are coalesced into fewer edits
    assert all(
        b["label"] == "Cancel"
        for c in progress
        for row in c.payload["components"]
        for b in row["components"]
    )
    assert final.files == [("sketch_of_mara.png", PNG)]
    assert final.payload is not None
    embed = final.payload["embeds"][0]
    assert embed["image"]["url"] == "attachment://sketch_of_mara.png"
    labels = [b["label"] for row in final.payload["components"] for b in row["components"]]
    assert labels == ["Variations"]
    [head] = [m for m in sketching.fake.in_channel(int(GENERAL["id"])) if m.get("webhook_id")]
    assert head["attachments"][0]["filename"] == "sketch_of_mara.png"


async def test_locations_autocomplete_from_this_channels_bible_only(sketching: Harness) -> None:
    from core.models import Location
    from core.types import Author

    store = sketching.app.store
    alice = Author("1", "Alice")
    here = await store.ensure_story(("discord", GENERAL["guild_id"], GENERAL["id"]), alice)
    there = await store.ensure_story(("discord", OTHER["guild_id"], OTHER["id"]), alice)
    for name in ("Airlock", "Bridge", "Archive"):
        await store.add_location(here.id, Location(name), alice)
    await store.add_location(there.id, Location("Armoury"), alice)
    got = await sketching.autocomplete("sketch", "place", name="Mara", place="a")
    assert sorted(got) == ["Airlock", "Archive"]


async def test_a_preview_image_rides_on_the_streaming_message(sketching: Harness) -> None:
    payload = await sketching.command("sketch", name="Mara", place="preview")
    edits = [
        c
        for c in sketching.calls_for(payload)
        if c.method == "PATCH" and c.path.endswith("/@original")
    ]
    preview = next(c for c in edits if c.files)
    assert preview.files == [("preview.png", PNG)]
    assert preview.payload is not None
    assert preview.payload["embeds"][0]["image"]["url"] == "attachment://preview.png"
    final = edits[-1]
    assert final.payload is not None and final.payload["attachments"] == []  # preview gone
