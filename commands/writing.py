"""/synopsis, /outline and /dialogue: drafts made from the bible, refined in their thread."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.registry import CommandSpec, Param
from commands.alternatives import OPTIONS, offer, synopsis_option, wanted
from commands.character import require_character
from commands.render import body_format, footer
from commands.threads import start_draft
from core.errors import CommandError
from core.models import Character
from core.types import Reply
from generation.base import WritingTask

LENGTHS = ("logline", "short", "page")


async def synopsis(ctx: Context) -> None:
    story = await ctx.story()
    length = str(ctx.args.get("length") or "short")
    direction = str(ctx.args.get("direction") or "")
    params: dict[str, Any] = {"length": length, "direction": direction}
    if (n := wanted(ctx)) > 1:
        await offer(
            ctx, story.id, "synopsis", f"Synopsis · {story.title}", params, n, synopsis_option
        )
        return
    await write_draft(ctx, story.id, "synopsis", f"Synopsis · {story.title}", params)


async def outline(ctx: Context) -> None:
    story = await ctx.story()
    params = {
        "acts": int(ctx.args.get("acts") or 3),
        "direction": str(ctx.args.get("direction") or ""),
    }
    await write_draft(ctx, story.id, "outline", f"Outline · {story.title}", params)


async def dialogue(ctx: Context) -> None:
    story = await ctx.story()
    names = [str(n) for n in ctx.args["characters"]]
    speakers = []
    for name in names:
        c = await require_character(ctx, story.id, name)
        if c not in speakers:
            speakers.append(c)
    situation = str(ctx.args.get("situation") or "")
    params: dict[str, Any] = {"situation": situation, "speakers": [c.name for c in speakers]}
    title = " & ".join(c.name for c in speakers) + (f": {situation}" if situation else "")
    await write_draft(ctx, story.id, "dialogue", title[:200], params)


async def write_draft(
    ctx: Context,
    story_id: int,
    kind: str,
    title: str,
    params: dict[str, Any],
    *,
    seed: int | None = None,
) -> None:
    """Write a draft of ``kind`` into a new thread (also used by Regenerate)."""
    bible = await ctx.store.bible(story_id)
    focus: tuple[Character, ...] = ()
    if kind == "dialogue":
        names = [str(n) for n in params.get("speakers", [])]
        found = [bible.character(n) for n in names]
        if any(c is None for c in found):
            raise CommandError(
                "A character in this scene is no longer in the story; see /character list."
            )
        focus = tuple(c for c in found if c is not None)
    seed = ctx.new_seed() if seed is None else seed
    task = WritingTask(kind=kind, bible=bible, seed=seed, params=dict(params), focus=focus)  # type: ignore[arg-type]
    drafting = await start_draft(ctx, story_id, kind, title)
    try:
        draft = await ctx.write(task, drafting.on_text)
    except CommandError as exc:
        await drafting.fail(exc.message)
        return
    stored = dict(params)
    if draft.data is not None:
        stored["data"] = draft.data
    await drafting.finish(
        Reply(
            title=title,
            body=draft.text,
            footer=footer(draft.engine, seed),
            format=body_format(kind),
        ),
        draft.text,
        stored,
        seed,
    )


SYNOPSIS = CommandSpec(
    name="synopsis",
    help="Write a synopsis of the story: a logline, a short one or a page.",
    handler=synopsis,
    job="text",
    params=(
        Param(
            "length", "How long", type="choice", choices=LENGTHS, required=False, default="short"
        ),
        OPTIONS,
        Param(
            "direction",
            "Anything it should do, e.g. a darker ending",
            type="text",
            required=False,
            max_length=2000,
        ),
    ),
    examples=(
        "/synopsis",
        "/synopsis page",
        "/synopsis short the brother is the villain",
        "/synopsis logline options:3",
    ),
)

OUTLINE = CommandSpec(
    name="outline",
    help="Outline the story as beats by act; save it to the bible from the thread.",
    handler=outline,
    job="text",
    params=(
        Param(
            "acts",
            "How many acts (1-5)",
            type="integer",
            required=False,
            min_value=1,
            max_value=5,
            default=3,
        ),
        Param("direction", "Anything it should do", type="text", required=False, max_length=2000),
    ),
    examples=("/outline", "/outline 5 end on a cliffhanger"),
)

DIALOGUE = CommandSpec(
    name="dialogue",
    help="Write a scene between characters as Fountain, each in their own voice.",
    handler=dialogue,
    job="text",
    params=(
        Param("characters", "Who speaks, e.g. Mara Jonah", type="names", autocomplete="characters"),
        Param("situation", "What the scene is about", type="text", required=False, max_length=2000),
    ),
    examples=(
        "/dialogue Mara Jonah: the airlock argument",
        '/dialogue Mara, "Old Tom": the debt comes due',
    ),
)
