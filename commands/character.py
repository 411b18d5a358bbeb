"""/character: the cast's sheets: create, show, list, edit, develop, remove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.alternatives import character_option, offer, options_param, wanted
from commands.names import split_name
from commands.render import character_reply, footer, sheet_text
from commands.threads import sheet_from_draft, start_draft
from core.errors import CommandError, Conflict, NotFound, UsageError
from core.models import CHARACTER_FIELDS, Bible, Character, edit_character, field_label
from core.text import name_key
from core.types import Args, NoArgs, Reply
from generation.base import WritingTask

_EDITABLE = ("name", *CHARACTER_FIELDS)


def character_name() -> Any:
    """The ``name`` parameter of the commands about one character (a field of their args)."""
    return param("The character's name", autocomplete="characters", max_length=80)


@dataclass(frozen=True, slots=True)
class NamedArgs(Args):
    """One character, by name: /character show, /character remove, /portrait history."""

    name: str = character_name()


@dataclass(frozen=True, slots=True)
class NewArgs(Args):
    name: str = param("The character's name", max_length=80)
    pronouns: str = param(
        "e.g. she/her, he/him, they/them", default="", keyword_only=True, max_length=40
    )
    age: str = param("Age, e.g. 34 or late forties", default="", keyword_only=True, max_length=40)
    role: str = param(
        "e.g. protagonist, antagonist, mentor", default="", keyword_only=True, max_length=80
    )
    options: int = options_param()
    brief: str = param("A few words about them", text=True, default="", max_length=2000)


@dataclass(frozen=True, slots=True)
class EditArgs(Args):
    name: str = character_name()
    field: str = param(
        "Which field (none: the whole sheet as a form)", choices=_EDITABLE, default=""
    )
    value: str = param("The new value", text=True, max_length=4000, default="")


@dataclass(frozen=True, slots=True)
class DevelopArgs(Args):
    name: str = character_name()
    field: str = param("Which field to deepen", choices=CHARACTER_FIELDS)
    direction: str = param("What to explore", text=True, default="", max_length=1000)


def no_such_character(name: str, cast: Sequence[Character]) -> NotFound:
    """The NotFound for a name not in the cast, listing who does exist."""
    if cast:
        names = ", ".join(c.name for c in cast[:25])
        more = f" and {len(cast) - 25} more" if len(cast) > 25 else ""
        return NotFound(
            f"No character named {name} in this channel's story. It has: {names}{more}."
        )
    return NotFound(
        f"No character named {name} in this channel's story; it has no characters yet. "
        f"Create one with /character new {name}."
    )


async def require_character(ctx: Context, story_id: int, name: str) -> Character:
    """The named character, or a NotFound that lists who does exist."""
    found = await ctx.store.find_character(story_id, name)
    if found is not None:
        return found
    raise no_such_character(name, await ctx.store.characters(story_id))


def in_cast(bible: Bible, name: str) -> Character:
    """The named character of a bible already read, or the same NotFound."""
    found = bible.character(name)
    if found is None:
        raise no_such_character(name, bible.characters)
    return found


MAX_NAME_WORDS = 4


def cast_named(bible: Bible, names: Sequence[str]) -> list[Character]:
    """The characters ``names`` stand for, in order, each once. Words typed apart are put
    back together where the story knows the longer name ("Old", "Tom" is Old Tom, "Mara",
    "Quell" is Mara Quell); a single word finds a unique first or last name. A name the
    story does not know is a NotFound listing who it has."""
    words = [n for n in names if n.strip()]
    found: list[Character] = []
    i = 0
    while i < len(words):
        for k in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            joined = " ".join(words[i : i + k])
            c = bible.character(joined) if k == 1 else _by_whole_name(bible, joined)
            if c is not None:
                break
        else:
            raise no_such_character(words[i], bible.characters)
        if c not in found:
            found.append(c)
        i += k
    return found


def _by_whole_name(bible: Bible, name: str) -> Character | None:
    """A character whose full name or alias is ``name`` (not a part of one)."""
    c = bible.character(name)
    return (
        c
        if c is not None and (c.key == name_key(name) or name_key(name) in c.alias_keys())
        else None
    )


async def new(ctx: Context[NewArgs]) -> None:
    args = ctx.args
    name, brief = split_name(args.name, args.brief)
    if not name:
        raise UsageError("Give the character a name first: /character new Mara Quell, a pilot")
    story = await ctx.story()
    existing = await ctx.store.find_character(story.id, name)
    if existing is not None:
        raise Conflict(
            f"There is already a character named {existing.name}. "
            f"See /character show {existing.name}, or change it with /character edit."
        )
    given = {
        f: v for f, v in (("pronouns", args.pronouns), ("age", args.age), ("role", args.role)) if v
    }
    if (n := wanted(args.options)) > 1:  # the sheet is saved when the room picks an option
        await offer(
            ctx,
            story.id,
            "character",
            name,
            {"name": name, "brief": brief, "fields": given},
            n,
            character_option(name, given),
        )
        return
    seed = ctx.new_seed()
    task = WritingTask(
        kind="character",
        bible=await ctx.store.bible(story.id),
        seed=seed,
        params={"name": name, "brief": brief, "fields": given},
    )
    drafting = await start_draft(ctx, story.id, "character", name)
    try:
        draft = await ctx.write(task, drafting.on_text)
        character = sheet_from_draft(draft, name, given)
        saved = await ctx.store.add_character(story.id, character, ctx.author)
    except CommandError as exc:
        await drafting.fail(exc.message)
        return
    await drafting.finish(
        character_reply(saved, footer_text=footer(draft.engine, seed)),
        sheet_text(saved),
        {
            "character_id": saved.id,
            "name": saved.name,
            "brief": brief,
            "fields": given,
            "sheet": saved.sheet(),
        },
        seed,
        can_continue=False,
        can_save=False,
    )


async def show(ctx: Context[NamedArgs]) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, ctx.args.name)
    await ctx.reply(character_reply(character))


async def list_cast(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    cast = await ctx.store.characters(story.id)
    if not cast:
        await ctx.reply(Reply.info("No characters yet. Create one with /character new <name>."))
        return
    lines = []
    for c in cast:
        detail = " · ".join(x for x in (c.pronouns, c.role) if x)
        lines.append(
            f"- **{c.name}**"
            + (f" ({detail})" if detail else "")
            + (f": {c.one_line}" if c.one_line else "")
        )
    await ctx.reply(Reply.info("\n".join(lines), title=f"Cast of {story.title} ({len(cast)})"))


async def edit(ctx: Context[EditArgs]) -> None:
    story = await ctx.story()
    name, field_name, value = ctx.args.name, ctx.args.field, ctx.args.value
    character = await require_character(ctx, story.id, name)
    if not field_name or not value:  # where forms exist the adapter opened one instead
        raise UsageError(
            f"Say which field of {character.name} to set, and to what.",
            f"/character edit {name} <field> <value> (fields: {', '.join(_EDITABLE)})",
        )
    updated = await ctx.store.update_character(
        story.id,
        character.name,
        lambda c: edit_character(c, field_name, value),
        ctx.author,
        f"edited {character.name}: {field_name}",
    )
    await ctx.reply(
        Reply.info(
            f"**{updated.name}** · {field_label(field_name)}: {getattr(updated, field_name)}"
        )
    )


async def remove(ctx: Context[NamedArgs]) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, ctx.args.name)
    removed = await ctx.store.remove_character(story.id, character.name, ctx.author)
    await ctx.reply(
        Reply.info(f"Removed **{removed.name}** from the story. /story undo brings them back.")
    )


async def develop(ctx: Context[DevelopArgs]) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, ctx.args.name)
    field_name = ctx.args.field
    seed = ctx.new_seed()
    task = WritingTask(
        kind="develop",
        bible=await ctx.store.bible(story.id),
        seed=seed,
        params={"field": field_name, "direction": ctx.args.direction},
        focus=(character,),
    )
    drafting = await start_draft(
        ctx, story.id, "character", f"{character.name} · {field_label(field_name)}"
    )
    try:
        draft = await ctx.write(task, drafting.on_text)
    except CommandError as exc:
        await drafting.fail(exc.message)
        return
    value = str((draft.data or {}).get(field_name) or draft.text).strip()
    sheet = {**character.sheet(), field_name: value}
    await drafting.finish(
        Reply(title=drafting.title, body=value, footer=footer(draft.engine, seed)),
        value,
        {
            "character_id": character.id,
            "name": character.name,
            "field": field_name,
            "direction": task.params["direction"],
            "sheet": sheet,
        },
        seed,
        can_continue=False,
    )


CHARACTER = CommandSpec(
    name="character",
    help="The cast: create, show, list, edit, develop or remove a character sheet.",
    subcommands=(
        CommandSpec(
            "new",
            "Create a character from a name and a brief; options:N offers N sheets to pick from.",
            handler=new,
            args=NewArgs,
            job="text",
            examples=(
                "/character new Mara a salvage pilot who never leaves a wreck behind",
                '/character new "Old Tom" role:mentor pronouns:he/him a retired smuggler',
                "/character new Jonah options:3 Mara's brother, owes everyone",
            ),
        ),
        CommandSpec("show", "Show a character's sheet.", handler=show, args=NamedArgs),
        CommandSpec("list", "List the cast.", handler=list_cast, args=NoArgs),
        CommandSpec(
            "edit",
            "Set one field of a character's sheet.",
            handler=edit,
            args=EditArgs,
            examples=(
                "/character edit Mara age 41",
                "/character edit Mara want to bring Jonah home",
            ),
        ),
        CommandSpec(
            "develop",
            "Deepen one field of a character's sheet; save it from the thread.",
            handler=develop,
            args=DevelopArgs,
            job="text",
            examples=("/character develop Mara backstory what happened on the Kestrel",),
        ),
        CommandSpec(
            "remove",
            "Remove a character (undo brings them back).",
            handler=remove,
            args=NamedArgs,
        ),
    ),
)
