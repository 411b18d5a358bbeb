"""/story: the channel's story bible as a whole: show it, start anew, set fields, history, undo."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.check import CHECK
from commands.export import EXPORT
from commands.forget import FORGET
from commands.note import NOTE
from commands.render import revision_line, story_reply
from commands.stats import STATS
from core.errors import InputTooLong, UsageError
from core.models import STORY_FIELD_CHARS, STORY_FIELDS, edit_story, field_label
from core.types import Args, NoArgs, Reply


@dataclass(frozen=True, slots=True)
class NewArgs(Args):
    title: str = param("Title of the new story", text=True, default="", max_length=200)


@dataclass(frozen=True, slots=True)
class SetArgs(Args):
    field: str = param("Which field", choices=STORY_FIELDS)
    value: str = param("The new value (none: a form)", text=True, default="")


@dataclass(frozen=True, slots=True)
class HistoryArgs(Args):
    limit: int = param("How many changes", default=10, min_value=1, max_value=50)


async def show(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    counts = {
        "characters": len(bible.characters),
        "locations": len(bible.locations),
        "beats": len(bible.beats),
        "scenes": len(bible.scenes),
    }
    reply = story_reply(story, counts)
    if bible.characters:
        cast = ", ".join(f"{c.name}" + (f" ({c.role})" if c.role else "") for c in bible.characters)
        reply = Reply(
            title=reply.title, body=f"{reply.body}\n**Cast:** {cast}", fields=reply.fields
        )
    await ctx.reply(reply)


async def new(ctx: Context[NewArgs]) -> None:
    title = ctx.args.title or "Untitled"
    story, archived = await ctx.store.new_story(ctx.place.story_key, ctx.author, title)
    note = (
        f"The previous story, **{archived.title}**, is archived, not lost."
        if archived
        else "This channel had no story yet."
    )
    await ctx.reply(
        Reply.info(
            f"Started a new story: **{story.title}**. {note}\n"
            "Set it up with /story set logline …, /story set genre …, then /character new.",
            title="New story",
        )
    )


async def set_field(ctx: Context[SetArgs]) -> None:
    field_name, value = ctx.args.field, ctx.args.value
    if not value:  # where forms exist the adapter opened one instead
        raise UsageError(
            f"Give the new {field_label(field_name).lower()}.", f"/story set {field_name} <text>"
        )
    limit = STORY_FIELD_CHARS.get(field_name)
    if limit is not None and len(value) > limit:  # as the form takes it, so it can show it
        raise InputTooLong(
            f"A {field_label(field_name).lower()} is at most {limit:,} characters; "
            f"this one has {len(value):,}. Nothing was changed."
        )
    story = await ctx.story()
    updated = await ctx.store.update_story(
        story.id,
        lambda s: edit_story(s, field_name, value),
        ctx.author,
        f"set story {field_name}",
    )
    shown = getattr(updated, field_name)
    await ctx.reply(Reply.info(f"**{field_label(field_name)}** is now: {shown}"))


async def history(ctx: Context[HistoryArgs]) -> None:
    story = await ctx.story()
    revisions = await ctx.store.history(story.id, limit=ctx.args.limit)
    if not revisions:
        await ctx.reply(Reply.info("No changes yet in this story."))
        return
    body = "\n".join(f"- {revision_line(r)}" for r in revisions)
    await ctx.reply(Reply.info(body, title=f"History of {story.title}"))


async def undo(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    undone = await ctx.store.undo(story.id, ctx.author)
    if undone is None:
        await ctx.reply(Reply.info("Nothing to undo in this story."))
        return
    await ctx.reply(Reply.info(f"Undid #{undone.id}: {undone.summary}."))


STORY = CommandSpec(
    name="story",
    help="The channel's story bible: show, start anew, set fields, history, undo.",
    subcommands=(
        CommandSpec(
            "show", "Show the story: logline, genre, tone, cast.", handler=show, args=NoArgs
        ),
        CommandSpec(
            "new",
            "Start a new story in this channel; the current one is archived.",
            handler=new,
            args=NewArgs,
            examples=("/story new The Long Dark",),
            destructive=True,
        ),
        CommandSpec(
            "set",
            "Set one field of the story.",
            handler=set_field,
            args=SetArgs,
            examples=(
                "/story set logline A salvage pilot finds her dead brother's ship, still flying.",
                "/story set genre space noir",
            ),
        ),
        CommandSpec(
            "history",
            "The latest changes to the bible: who, when, what.",
            handler=history,
            args=HistoryArgs,
        ),
        CommandSpec("undo", "Undo the latest change to the bible.", handler=undo, args=NoArgs),
        STATS,
        NOTE,
        EXPORT,
        CHECK,
        FORGET,
    ),
)
