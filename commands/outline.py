"""/outline: the beat board. Write an outline (the default: ``/outline 5 end on a
cliffhanger``), show the board, and add, edit, move or remove one beat at a time; ``board``
gives a private link to the board on the web (commands/board_link.py).

Beats are named by their number on the whole board (core.board). Every change is a
revision (a move or a removal, with the renumbering it causes, is one), so /story undo
takes it back; each change answers with the board as it now stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands import board_link
from commands.render import board_reply, short
from commands.writing import write_draft
from core import board
from core.board import MAX_ACTS, BeatTarget, ToAct, ToNumber
from core.errors import UsageError
from core.types import Args, NoArgs

DEFAULT_ACTS = 3


@dataclass(frozen=True, slots=True)
class OutlineArgs(Args):
    acts: int = param("How many acts (1-5)", default=DEFAULT_ACTS, min_value=1, max_value=5)
    direction: str = param("Anything it should do", text=True, default="", max_length=2000)


def beat_number() -> int:
    """The ``number`` parameter of the commands about one beat (a field of their args)."""
    result: int = param("The beat's number on the board (see /outline show)", min_value=1)
    return result


@dataclass(frozen=True, slots=True)
class AddBeatArgs(Args):
    act: int = param(f"Which act (1-{MAX_ACTS})", min_value=1, max_value=MAX_ACTS)
    text: str = param("What happens in the beat", text=True, max_length=1000)


@dataclass(frozen=True, slots=True)
class EditBeatArgs(Args):
    number: int = beat_number()
    text: str = param("What happens in the beat now", text=True, max_length=1000)


@dataclass(frozen=True, slots=True)
class MoveBeatArgs(Args):
    number: int = beat_number()
    to: str = param("Where: a number on the board, or act:N", text=True, max_length=20)


@dataclass(frozen=True, slots=True)
class BeatArgs(Args):
    number: int = beat_number()


_ACT = re.compile(r"^act\s*[:=]?\s*(\d{1,2})$")
_NUMBER = re.compile(r"^(?:to\s+|position\s*[:=]?\s*|beat\s*[:=]?\s*)?#?(\d{1,4})$")
MOVE_USAGE = "/outline move <number> <position | act:N>"


def beat_target(text: str) -> BeatTarget:
    """ "3" (to be beat 3), "act:2" or "act 2" (to the end of act 2)."""
    flat = " ".join(text.lower().split())
    if m := _ACT.match(flat):
        act = int(m.group(1))
        if not 1 <= act <= MAX_ACTS:
            raise UsageError(f"An act is 1 to {MAX_ACTS}, not {act}.", MOVE_USAGE)
        return ToAct(act)
    if m := _NUMBER.match(flat):
        return ToNumber(int(m.group(1)))
    raise UsageError(
        f"Move it where? Give a number on the board or act:N, not '{short(text, 20)}'.",
        MOVE_USAGE,
    )


async def generate(ctx: Context[OutlineArgs]) -> None:
    story = await ctx.story()
    params = {"acts": ctx.args.acts, "direction": ctx.args.direction}
    await write_draft(ctx, story.id, "outline", f"Outline · {story.title}", params)


async def show(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    await ctx.reply(board_reply(story, list(bible.beats), list(bible.locations)))


async def _answer(ctx: Context, note: str) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    await ctx.reply(board_reply(story, list(bible.beats), list(bible.locations), note))


async def add(ctx: Context[AddBeatArgs]) -> None:
    story = await ctx.story()
    beat = await ctx.store.add_beat(story.id, ctx.args.act, ctx.args.text, ctx.author)
    number = board.number_of(await ctx.store.beats(story.id), beat.id)
    await _answer(ctx, f"Added beat {number} to act {beat.act}.")


async def edit(ctx: Context[EditBeatArgs]) -> None:
    story = await ctx.story()
    await ctx.store.edit_beat(story.id, ctx.args.number, ctx.args.text, ctx.author)
    await _answer(ctx, f"Rewrote beat {ctx.args.number}.")


async def move(ctx: Context[MoveBeatArgs]) -> None:
    target = beat_target(ctx.args.to)
    story = await ctx.story()
    before = board.at(await ctx.store.beats(story.id), ctx.args.number)
    after = await ctx.store.move_beat(story.id, ctx.args.number, target, ctx.author)
    moved = next((b for b in after if before is not None and b.id == before.id), None)
    if moved is None or before is None:
        await _answer(ctx, "Nothing moved.")
        return
    now = board.number_of(after, moved.id)
    if (moved.act, moved.position) == (before.act, before.position):
        note = f"Beat {ctx.args.number} is already there."
    else:
        note = f"Moved beat {ctx.args.number} to act {moved.act}; it is now beat {now}."
    await _answer(ctx, note + " /story undo moves it back.")


async def remove(ctx: Context[BeatArgs]) -> None:
    story = await ctx.story()
    gone = await ctx.store.remove_beat(story.id, ctx.args.number, ctx.author)
    await _answer(
        ctx, f"Removed beat {ctx.args.number}: “{short(gone.text)}”. /story undo brings it back."
    )


OUTLINE = CommandSpec(
    name="outline",
    help=(
        "The beat board: write an outline, show, add, edit, move or remove beats, "
        "or open it on the web."
    ),
    default="generate",
    subcommands=(
        CommandSpec(
            "generate",
            "Outline the story as beats by act; save it to the board from the thread.",
            handler=generate,
            args=OutlineArgs,
            job="text",
            examples=("/outline", "/outline 5 end on a cliffhanger"),
        ),
        CommandSpec("show", "The board: the beats by act, numbered.", handler=show, args=NoArgs),
        CommandSpec(
            "add",
            "Add a beat at the end of an act.",
            handler=add,
            args=AddBeatArgs,
            examples=("/outline add 2 Mara finds the letter and hides it from Jonah",),
        ),
        CommandSpec(
            "edit",
            "Rewrite a beat, by its number on the board.",
            handler=edit,
            args=EditBeatArgs,
            examples=("/outline edit 4 Mara burns the letter instead",),
        ),
        CommandSpec(
            "move",
            "Move a beat to another place on the board, or to another act.",
            handler=move,
            args=MoveBeatArgs,
            examples=("/outline move 5 2", "/outline move 3 act:2"),
        ),
        CommandSpec(
            "remove",
            "Remove a beat (undo brings it back).",
            handler=remove,
            args=BeatArgs,
            examples=("/outline remove 4",),
        ),
        CommandSpec(
            "board",
            "The board on the web: a private link to drag its cards (revoke: end all links).",
            handler=board_link.board,
            args=board_link.BoardArgs,
            examples=("/outline board", "/outline board revoke"),
        ),
    ),
)
