"""/character: the cast's sheets: create, show, list, edit, develop, remove."""

from __future__ import annotations

from bot.context import Context
from bot.registry import CommandSpec, Param
from commands.alternatives import OPTIONS, character_option, offer, wanted
from commands.render import character_reply, footer, sheet_text
from commands.threads import sheet_from_draft, start_draft
from core.errors import CommandError, Conflict, NotFound
from core.models import CHARACTER_FIELDS, Character, edit_character, field_label
from core.types import Reply
from generation.base import WritingTask

_EDITABLE = ("name", *CHARACTER_FIELDS)


async def require_character(ctx: Context, story_id: int, name: str) -> Character:
    """The named character, or a NotFound that lists who does exist."""
    found = await ctx.store.find_character(story_id, name)
    if found is not None:
        return found
    cast = await ctx.store.characters(story_id)
    if cast:
        names = ", ".join(c.name for c in cast[:25])
        more = f" and {len(cast) - 25} more" if len(cast) > 25 else ""
        raise NotFound(f"No character named {name} in this channel's story. It has: {names}{more}.")
    raise NotFound(
        f"No character named {name} in this channel's story; it has no characters yet. "
        f"Create one with /character new {name}."
    )


async def new(ctx: Context) -> None:
    name = str(ctx.args["name"])
    story = await ctx.story()
    existing = await ctx.store.find_character(story.id, name)
    if existing is not None:
        raise Conflict(
            f"There is already a character named {existing.name}. "
            f"See /character show {existing.name}, or change it with /character edit."
        )
    given = {f: str(ctx.args[f]) for f in ("pronouns", "age", "role") if ctx.args.get(f)}
    brief = str(ctx.args.get("brief") or "")
    if (n := wanted(ctx)) > 1:  # the sheet is saved when the room picks an option
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


async def show(ctx: Context) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, str(ctx.args["name"]))
    await ctx.reply(character_reply(character))


async def list_cast(ctx: Context) -> None:
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


async def edit(ctx: Context) -> None:
    story = await ctx.story()
    name, field_name, value = str(ctx.args["name"]), str(ctx.args["field"]), str(ctx.args["value"])
    character = await require_character(ctx, story.id, name)
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


async def remove(ctx: Context) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, str(ctx.args["name"]))
    removed = await ctx.store.remove_character(story.id, character.name, ctx.author)
    await ctx.reply(
        Reply.info(f"Removed **{removed.name}** from the story. /story undo brings them back.")
    )


async def develop(ctx: Context) -> None:
    story = await ctx.story()
    character = await require_character(ctx, story.id, str(ctx.args["name"]))
    field_name = str(ctx.args["field"])
    seed = ctx.new_seed()
    task = WritingTask(
        kind="develop",
        bible=await ctx.store.bible(story.id),
        seed=seed,
        params={"field": field_name, "direction": str(ctx.args.get("direction") or "")},
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


_NAME = Param("name", "The character's name", autocomplete="characters", max_length=80)

CHARACTER = CommandSpec(
    name="character",
    help="The cast: create, show, list, edit, develop or remove a character sheet.",
    subcommands=(
        CommandSpec(
            "new",
            "Create a character from a name and a brief; options:N offers N sheets to pick from.",
            handler=new,
            job="text",
            params=(
                Param("name", "The character's name", max_length=80),
                Param(
                    "pronouns",
                    "e.g. she/her, he/him, they/them",
                    required=False,
                    keyword_only=True,
                    max_length=40,
                ),
                Param(
                    "age",
                    "Age, e.g. 34 or late forties",
                    required=False,
                    keyword_only=True,
                    max_length=40,
                ),
                Param(
                    "role",
                    "e.g. protagonist, antagonist, mentor",
                    required=False,
                    keyword_only=True,
                    max_length=80,
                ),
                OPTIONS,
                Param(
                    "brief", "A few words about them", type="text", required=False, max_length=2000
                ),
            ),
            examples=(
                "/character new Mara a salvage pilot who never leaves a wreck behind",
                '/character new "Old Tom" role:mentor pronouns:he/him a retired smuggler',
                "/character new Jonah options:3 Mara's brother, owes everyone",
            ),
        ),
        CommandSpec("show", "Show a character's sheet.", handler=show, params=(_NAME,)),
        CommandSpec("list", "List the cast.", handler=list_cast),
        CommandSpec(
            "edit",
            "Set one field of a character's sheet.",
            handler=edit,
            params=(
                _NAME,
                Param("field", "Which field", type="choice", choices=_EDITABLE),
                Param("value", "The new value", type="text", max_length=4000),
            ),
            examples=(
                "/character edit Mara age 41",
                "/character edit Mara want to bring Jonah home",
            ),
        ),
        CommandSpec(
            "develop",
            "Deepen one field of a character's sheet; save it from the thread.",
            handler=develop,
            job="text",
            params=(
                _NAME,
                Param("field", "Which field to deepen", type="choice", choices=CHARACTER_FIELDS),
                Param("direction", "What to explore", type="text", required=False, max_length=1000),
            ),
            examples=("/character develop Mara backstory what happened on the Kestrel",),
        ),
        CommandSpec(
            "remove", "Remove a character (undo brings them back).", handler=remove, params=(_NAME,)
        ),
    ),
)
