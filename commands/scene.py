"""/scene: the saved scenes, as the script has them: list, show, remove, move.

The script follows the board (core.board.script): a scene written for a beat stands
where the beat stands, and moves with it. ``/scene show`` opens a thread on the scene:
refine it there ("shorter", "make Mara angrier") and **save** writes it back as the
room's own, which /draft then leaves alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.render import short
from commands.threads import start_draft
from core import board, fountain
from core.board import SceneTarget, ToBeat, ToNumber
from core.errors import NotFound, UsageError
from core.models import Beat, Scene
from core.types import Args, NoArgs, Reply


def scene_number() -> Any:
    return param("The scene's number in the script (see /scene list)", min_value=1)


@dataclass(frozen=True, slots=True)
class SceneArgs(Args):
    number: int = scene_number()


@dataclass(frozen=True, slots=True)
class MoveSceneArgs(Args):
    number: int = scene_number()
    to: str = param("Where: a number in the script, or beat:N", text=True, max_length=20)


_BEAT = re.compile(r"^beat\s*[:=]?\s*#?(\d{1,4})$")
_NUMBER = re.compile(r"^(?:to\s+|position\s*[:=]?\s*)?#?(\d{1,4})$")


def scene_target(text: str) -> SceneTarget:
    """ "2" (to be scene 2) or "beat:4" / "beat 4" (written for beat 4)."""
    flat = " ".join(text.lower().split())
    if m := _BEAT.match(flat):
        return ToBeat(int(m.group(1)))
    if m := _NUMBER.match(flat):
        return ToNumber(int(m.group(1)))
    raise UsageError(
        f"Move it where? Give a number in the script or beat:N, not '{short(text, 20)}'.",
        "/scene move <number> <position | beat:N>",
    )


def scene_tags(scene: Scene, beats: Sequence[Beat]) -> str:
    """ "beat 3 · by /draft": the beat a scene stands with, and who wrote it last."""
    beat = board.number_of(beats, scene.beat_id)
    tied = f"beat {beat}" if beat is not None else "no beat"
    return f"{tied} · {'by /draft' if scene.source == 'draft' else 'by the room'}"


def scene_line(number: int, scene: Scene, beats: Sequence[Beat]) -> str:
    return f"{number}. **{short(scene.title)}** · {scene_tags(scene, beats)}"


async def _script(ctx: Context) -> tuple[list[Beat], list[Scene]]:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    return list(bible.beats), board.script(bible.beats, bible.scenes)


def _numbered(scenes: Sequence[Scene], number: int) -> Scene:
    if not 1 <= number <= len(scenes):
        size = f"it has {len(scenes)}" if scenes else "it has none yet"
        raise NotFound(f"There is no scene {number} in the script; {size}. See /scene list.")
    return scenes[number - 1]


async def scene_numbered(ctx: Context, number: int) -> Scene:
    """Scene ``number`` of this channel's script, as /scene list numbers it."""
    _beats, scenes = await _script(ctx)
    return _numbered(scenes, number)


async def list_scenes(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    beats, scenes = await _script(ctx)
    if not scenes:
        await ctx.reply(
            Reply.info(
                "No saved scenes yet. Write them from the board with /draft, or save a "
                "/dialogue scene from its thread."
            )
        )
        return
    lines = [scene_line(n, s, beats) for n, s in enumerate(scenes, 1)]
    await ctx.reply(Reply.info("\n".join(lines), title=f"Script of {story.title} ({len(scenes)})"))


async def show(ctx: Context[SceneArgs]) -> None:
    story = await ctx.story()
    beats, scenes = await _script(ctx)
    scene = _numbered(scenes, ctx.args.number)
    title = f"Scene {ctx.args.number} · {short(scene.title, 80)}"
    beat = next((b for b in beats if b.id == scene.beat_id), None)
    params: dict[str, Any] = {
        "scene_id": scene.id,
        "situation": beat.text if beat is not None else scene.title,
        "speakers": fountain.speakers(scene.text),
    }
    drafting = await start_draft(ctx, story.id, "dialogue", title)
    await drafting.finish(
        Reply(
            title=title,
            body=scene.text,
            footer=f"{scene_tags(scene, beats)} · refine it here, then say save",
            format="fountain",
        ),
        scene.text,
        params,
        0,
    )


async def remove(ctx: Context[SceneArgs]) -> None:
    story = await ctx.story()
    gone = await ctx.store.remove_scene(story.id, ctx.args.number, ctx.author)
    await ctx.reply(
        Reply.info(
            f"Removed scene {ctx.args.number}, **{gone.title}**. /story undo brings it back."
        )
    )


async def move(ctx: Context[MoveSceneArgs]) -> None:
    target = scene_target(ctx.args.to)
    story = await ctx.story()
    _, before = await _script(ctx)
    scene = _numbered(before, ctx.args.number)
    after = await ctx.store.move_scene(story.id, ctx.args.number, target, ctx.author)
    beats = await ctx.store.beats(story.id)
    now = next(n for n, s in enumerate(after, 1) if s.id == scene.id)
    lines = [scene_line(n, s, beats) for n, s in enumerate(after, 1)]
    await ctx.reply(
        Reply.info(
            f"Scene {ctx.args.number} is now scene {now}. /story undo moves it back.\n\n"
            + "\n".join(lines)
        )
    )


SCENE = CommandSpec(
    name="scene",
    help="The saved scenes in script order: list, show, remove or move one.",
    subcommands=(
        CommandSpec(
            "list", "The script: saved scenes in board order.", handler=list_scenes, args=NoArgs
        ),
        CommandSpec(
            "show",
            "Show a scene; refine it in its thread and save it back.",
            handler=show,
            args=SceneArgs,
            examples=("/scene show 3",),
        ),
        CommandSpec(
            "remove",
            "Remove a scene (undo brings it back).",
            handler=remove,
            args=SceneArgs,
        ),
        CommandSpec(
            "move",
            "Move a scene to another place in the script, or to another beat.",
            handler=move,
            args=MoveSceneArgs,
            examples=("/scene move 5 2", "/scene move 4 beat:7"),
        ),
    ),
)
