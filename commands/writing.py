"""/synopsis and /dialogue (and /outline's generate, commands/outline.py): drafts made
from the bible, refined in their thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeGuard, get_args

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.alternatives import offer, options_param, synopsis_option, wanted
from commands.character import cast_named
from commands.render import body_format, footer
from commands.threads import start_draft
from core.errors import CommandError
from core.models import Bible, Character
from core.types import Args, Reply
from generation.base import TaskKind, WritingTask

Length = Literal["logline", "short", "page"]


@dataclass(frozen=True, slots=True)
class SynopsisArgs(Args):
    length: Length = param("How long", default="short")
    options: int = options_param()
    direction: str = param(
        "Anything it should do, e.g. a darker ending", text=True, default="", max_length=2000
    )


@dataclass(frozen=True, slots=True)
class DialogueArgs(Args):
    characters: tuple[str, ...] = param("Who speaks, e.g. Mara Jonah", autocomplete="characters")
    situation: str = param("What the scene is about", text=True, default="", max_length=2000)


def is_task_kind(kind: str) -> TypeGuard[TaskKind]:
    """Whether a stored conversation's kind is one the engines write (not a summary's)."""
    return kind in get_args(TaskKind)


async def synopsis(ctx: Context[SynopsisArgs]) -> None:
    story = await ctx.story()
    params: dict[str, Any] = {"length": ctx.args.length, "direction": ctx.args.direction}
    if (n := wanted(ctx.args.options)) > 1:
        await offer(
            ctx, story.id, "synopsis", f"Synopsis · {story.title}", params, n, synopsis_option
        )
        return
    await write_draft(ctx, story.id, "synopsis", f"Synopsis · {story.title}", params)


async def dialogue(ctx: Context[DialogueArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    speakers = cast_named(bible, ctx.args.characters)
    situation = ctx.args.situation
    params: dict[str, Any] = {"situation": situation, "speakers": [c.name for c in speakers]}
    title = " & ".join(c.name for c in speakers) + (f": {situation}" if situation else "")
    await write_draft(
        ctx, story.id, "dialogue", title[:200], params, bible=bible, focus=tuple(speakers)
    )


async def write_draft(
    ctx: Context,
    story_id: int,
    kind: TaskKind,
    title: str,
    params: dict[str, Any],
    *,
    bible: Bible | None = None,
    focus: tuple[Character, ...] = (),
) -> None:
    """Write a draft of ``kind`` into a new thread; ``bible`` when the caller has read it
    already, ``focus`` the characters it is about (a scene's speakers, in order)."""
    if bible is None:
        bible = await ctx.store.bible(story_id)
    seed = ctx.new_seed()
    task = WritingTask(kind=kind, bible=bible, seed=seed, params=dict(params), focus=focus)
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
    args=SynopsisArgs,
    job="text",
    examples=(
        "/synopsis",
        "/synopsis page",
        "/synopsis short the brother is the villain",
        "/synopsis logline options:3",
    ),
)

DIALOGUE = CommandSpec(
    name="dialogue",
    help="Write a scene between characters as Fountain, each in their own voice.",
    handler=dialogue,
    args=DialogueArgs,
    job="text",
    examples=(
        "/dialogue Mara Jonah: the airlock argument",
        '/dialogue Mara, "Old Tom": the debt comes due',
    ),
)
