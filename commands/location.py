"""/location: the story's places: create, show, list, edit, remove.

A location has a name (drafts head their scenes with it), a one-line description, a look
(image prompts may use it) and a sound, and the beats that happen there
(``/location edit Lamp Room beats 2, 5``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.names import split_name
from commands.render import beat_line
from core import board
from core.errors import NotFound, UsageError
from core.models import LOCATION_FIELDS, Beat, Location, edit_location, field_label, new_location
from core.types import Args, NoArgs, Reply, ReplyField

_EDITABLE = ("name", *LOCATION_FIELDS, "beats")


def location_name() -> Any:
    """The ``name`` parameter of the commands about one location."""
    return param("The location's name", autocomplete="locations", max_length=80)


@dataclass(frozen=True, slots=True)
class NewLocationArgs(Args):
    name: str = param("The location's name", max_length=80)
    description: str = param("One line about it", text=True, default="", max_length=1000)


@dataclass(frozen=True, slots=True)
class LocationArgs(Args):
    name: str = location_name()


@dataclass(frozen=True, slots=True)
class EditLocationArgs(Args):
    name: str = location_name()
    field: str = param("Which field (beats: their numbers on the board)", choices=_EDITABLE)
    value: str = param("The new value", text=True, max_length=2000)


def no_such_location(name: str, places: Sequence[Location]) -> NotFound:
    if places:
        return NotFound(
            f"No location named {name} in this channel's story. It has: "
            + ", ".join(p.name for p in places[:25])
            + "."
        )
    return NotFound(
        f"No location named {name} in this channel's story; it has none yet. "
        f"Create one with /location new {name}."
    )


async def require_location(ctx: Context, story_id: int, name: str) -> Location:
    found = await ctx.store.find_location(story_id, name)
    if found is None:
        raise no_such_location(name, await ctx.store.locations(story_id))
    return found


def beat_numbers(text: str) -> list[int]:
    """ "2, 5", "2 5", "2-4", "none" (no beats) as board numbers."""
    flat = text.lower().strip()
    if flat in ("", "none", "-", "no beats"):
        return []
    numbers: list[int] = []
    for part in re.split(r"[,\s]+(?:and\s+)?", flat):
        if not part or part == "and":
            continue
        m = re.fullmatch(r"#?(\d{1,4})(?:-(\d{1,4}))?", part)
        if m is None:
            raise UsageError(
                f"Beats are numbers on the board (e.g. 2, 5 or 3-6), not '{part}'.",
                "/location edit <name> beats <numbers>",
            )
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        numbers += [n for n in range(low, high + 1) if n not in numbers]
    return numbers


def location_reply(loc: Location, beats: Sequence[Beat]) -> Reply:
    ordered = board.board(beats)
    here = [beat_line(n, b) for n, b in enumerate(ordered, 1) if b.location_id == loc.id]
    fields = [ReplyField(field_label(f), getattr(loc, f)) for f in ("look", "sound")]
    fields = [f for f in fields if f.value]
    fields.append(ReplyField("Beats here", "\n".join(here) or "None yet"))
    return Reply(
        title=loc.name, body=f"_{loc.description}_" if loc.description else "", fields=tuple(fields)
    )


async def new(ctx: Context[NewLocationArgs]) -> None:
    name, description = split_name(ctx.args.name, ctx.args.description)
    if not name:
        raise UsageError("Give the location a name: /location new Lamp Room, top of the tower")
    story = await ctx.story()
    added = await ctx.store.add_location(story.id, new_location(name, description), ctx.author)
    await ctx.reply(
        Reply.info(
            f"Added the location **{added.name}**. Give it a look and a sound with "
            f"/location edit {added.name} look …, and its beats with "
            f"/location edit {added.name} beats 2, 5."
        )
    )


async def show(ctx: Context[LocationArgs]) -> None:
    story = await ctx.story()
    loc = await require_location(ctx, story.id, ctx.args.name)
    await ctx.reply(location_reply(loc, await ctx.store.beats(story.id)))


async def list_places(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    places = await ctx.store.locations(story.id)
    if not places:
        await ctx.reply(Reply.info("No locations yet. Add one with /location new <name>."))
        return
    beats = board.board(await ctx.store.beats(story.id))
    lines = []
    for loc in places:
        numbers = [str(n) for n, b in enumerate(beats, 1) if b.location_id == loc.id]
        there = f" · beats {', '.join(numbers)}" if numbers else ""
        about = f": {loc.description}" if loc.description else ""
        lines.append(f"- **{loc.name}**{about}{there}")
    await ctx.reply(
        Reply.info("\n".join(lines), title=f"Locations of {story.title} ({len(places)})")
    )


async def edit(ctx: Context[EditLocationArgs]) -> None:
    story = await ctx.story()
    loc = await require_location(ctx, story.id, ctx.args.name)
    field_name, value = ctx.args.field, ctx.args.value
    if field_name == "beats":
        await ctx.store.set_location_beats(story.id, loc.name, beat_numbers(value), ctx.author)
        await ctx.reply(location_reply(loc, await ctx.store.beats(story.id)))
        return
    updated = await ctx.store.update_location(
        story.id,
        loc.name,
        lambda x: edit_location(x, field_name, value),
        ctx.author,
        f"edited location {loc.name}: {field_name}",
    )
    shown = getattr(updated, field_name)
    await ctx.reply(Reply.info(f"**{updated.name}** · {field_label(field_name)}: {shown}"))


async def remove(ctx: Context[LocationArgs]) -> None:
    story = await ctx.story()
    loc = await require_location(ctx, story.id, ctx.args.name)
    gone = await ctx.store.remove_location(story.id, loc.name, ctx.author)
    await ctx.reply(Reply.info(f"Removed **{gone.name}**. /story undo brings it back."))


LOCATION = CommandSpec(
    name="location",
    help="The story's places: create, show, list, edit or remove a location.",
    subcommands=(
        CommandSpec(
            "new",
            "Add a location: a name, then a line about it.",
            handler=new,
            args=NewLocationArgs,
            examples=("/location new Lamp Room, the glass room at the top of the tower",),
        ),
        CommandSpec(
            "show", "Show a location and the beats there.", handler=show, args=LocationArgs
        ),
        CommandSpec("list", "List the locations.", handler=list_places, args=NoArgs),
        CommandSpec(
            "edit",
            "Set a location's name, description, look, sound or beats.",
            handler=edit,
            args=EditLocationArgs,
            examples=(
                "/location edit Lamp Room look brass fittings, salt-bleached glass",
                "/location edit Lamp Room sound the lamp's hum, gulls",
                "/location edit Lamp Room beats 2, 5",
            ),
        ),
        CommandSpec(
            "remove",
            "Remove a location (undo brings it back).",
            handler=remove,
            args=LocationArgs,
        ),
    ),
)
