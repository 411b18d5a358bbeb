"""/draft: the screenplay written from the board, one scene per beat, in board order.

One job: its head message says how far it has got ("scene 4 of 12") and carries a Cancel
button; each scene is saved as it is written (tied to its beat) and posted in the job's
thread, so a cancel or a failure keeps every scene written before it. Each scene's prompt
sees what Dramatron's scene step sees (generation/scenes.py): its beat, its place, the
sheets of the characters the beat names and a short recap of the scene before.

``/draft`` writes every beat; ``/draft 4``, ``/draft 2-5`` or ``/draft from:2 to:5`` a
range. A beat whose scene the room saved or edited is left alone unless the line says
``again`` (``/draft 4 again``); a scene /draft wrote before is written over.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.render import EMPTY_BOARD, footer, short
from core import board
from core.errors import CommandError, NotFound, UsageError
from core.models import Beat, Bible, Scene
from core.types import Action, Args, MessageHandle, Reply
from generation.base import Draft
from generation.scenes import recap, scene_task

USAGE = "/draft [N | N-M | from:N to:M] [again]"


@dataclass(frozen=True, slots=True)
class DraftArgs(Args):
    beats: str = param(
        "Which beats: 4, 2-5 or from:2 to:5 (all by default); add again to redo the room's",
        text=True,
        default="",
        max_length=60,
    )


@dataclass(frozen=True, slots=True)
class Span:
    """Which beats to draft (board numbers, ``last`` None for the end) and whether the
    room's own scenes are written over."""

    first: int = 1
    last: int | None = None
    again: bool = False


_FROM = re.compile(r"\bfrom\s*[:=]?\s*(\d{1,4})\b")
_TO = re.compile(r"\bto\s*[:=]?\s*(\d{1,4})\b")
_RANGE = re.compile(r"^(\d{1,4})(?:\s*(?:-|–|to|\.\.)\s*(\d{1,4}))?$")


def read_span(text: str) -> Span:
    """ "", "all", "4", "2-5", "from:2 to:5", "from:3", each with "again" or not."""
    flat = " ".join(text.lower().replace(",", " ").split())
    again = bool(re.search(r"\bagain\b", flat))
    rest = re.sub(r"\bagain\b", "", flat).strip()
    if rest in ("", "all", "everything", "the board"):
        return Span(again=again)
    start, end = _FROM.search(rest), _TO.search(rest)
    if start or end:
        left = _TO.sub("", _FROM.sub("", rest)).strip()
        if left:
            raise UsageError(f"I don't know what to do with '{short(left, 20)}'.", USAGE)
        first = int(start.group(1)) if start else 1
        last = int(end.group(1)) if end else None
        return _checked(Span(first, last, again))
    if m := _RANGE.match(rest):
        first = int(m.group(1))
        return _checked(Span(first, int(m.group(2) or first), again))
    raise UsageError(
        f"Which beats? Try /draft, /draft 4 or /draft from:2 to:5, not '{short(rest, 20)}'.", USAGE
    )


def _checked(span: Span) -> Span:
    if span.first < 1 or (span.last is not None and span.last < span.first):
        raise UsageError("A range runs from a beat to a later one, e.g. from:2 to:5.", USAGE)
    return span


@dataclass(frozen=True, slots=True)
class Plan:
    """The beats of the span that will be written, and those kept as the room wrote them."""

    beats: list[Beat]
    write: list[int]
    """Board numbers to write, in order."""
    kept: list[int]


def plan(bible: Bible, span: Span) -> Plan:
    beats = board.board(bible.beats)
    if not beats:
        raise CommandError(EMPTY_BOARD)
    last = min(span.last or len(beats), len(beats))
    if span.first > len(beats):
        raise NotFound(f"There is no beat {span.first}; the board has {len(beats)}.")
    room = {s.beat_id for s in bible.scenes if s.source == "room" and s.beat_id is not None}
    numbers = range(span.first, last + 1)
    kept = [n for n in numbers if beats[n - 1].id in room and not span.again]
    return Plan(beats, [n for n in numbers if n not in kept], kept)


def previous_recap(bible: Bible, beats: Sequence[Beat], number: int) -> str:
    """The recap of the scene standing before beat ``number`` in the script as the job
    found it ("" for the first beat; the beat alone when it has no scene yet)."""
    if number <= 1:
        return ""
    before = beats[number - 2]
    scenes = [s for s in board.script(beats, bible.scenes) if s.beat_id == before.id]
    return recap(before.text, scenes[-1].text) if scenes else before.text


def _title(number: int, beat: Beat) -> str:
    return f"Scene {number} · {short(beat.text, 70)}"


async def draft(ctx: Context[DraftArgs]) -> None:
    span = read_span(ctx.args.beats)
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    todo = plan(bible, span)
    beats, total = todo.beats, len(todo.write)
    title = f"Draft · {story.title}"
    if not todo.write:
        await ctx.reply(Reply.info(_kept_note(todo.kept) or "Nothing to write.", title=title))
        return
    cancel = (Action("cancel", "Cancel", ctx.job_id),) if ctx.job_id else ()

    def progress(done: int, number: int) -> Reply:
        body = f"_Writing scene {done + 1} of {total} (beat {number})…_"
        return Reply(title=title, body=body, partial=True, actions=cancel)

    head = await ctx.reply(progress(0, todo.write[0]))
    recaps: dict[int, str] = {}  # of the scenes this job wrote, by beat number
    written: list[int] = []
    kept_now: list[int] = []
    engine = ctx.engine.name

    async def keep(number: int, beat: Beat, made: Draft, seed: int) -> None:
        """Save a scene written, count it and show it: one step a cancel does not split
        (a scene saved and then cancelled was left out of the count and of the thread)."""
        scene = Scene(title=short(beat.text, 200), text=made.text, beat_id=beat.id)
        saved = await ctx.store.put_draft_scene(story.id, scene, ctx.author, over_room=span.again)
        if saved is None:  # the room saved this beat's scene while we wrote it
            kept_now.append(number)
            return
        written.append(number)
        recaps[number] = recap(beat.text, made.text)
        await ctx.responder.post(
            Reply(
                title=_title(number, beat),
                body=made.text,
                footer=footer(made.engine, seed),
                format="fountain",
            )
        )

    step: asyncio.Future[None] | None = None
    try:
        for done, number in enumerate(todo.write):
            if done:
                await ctx.responder.update(head, progress(done, number))
            beat = beats[number - 1]
            seed = ctx.new_seed()
            previous = recaps.get(number - 1) or previous_recap(bible, beats, number)
            made = await ctx.write(scene_task(bible, beats, number, previous, seed))
            engine = made.engine
            step = asyncio.ensure_future(keep(number, beat, made, seed))
            await asyncio.shield(step)
    except asyncio.CancelledError:
        if step is not None and not step.done():
            await asyncio.wait([step])  # the scene being saved is saved, counted and shown
        note = f"Cancelled after {_scenes(len(written))} of {total}"
        await asyncio.shield(_finish(ctx, head, title, note, written, todo.kept, engine))
        raise
    except CommandError as exc:
        stopped = todo.write[len(written) + len(kept_now)]
        note = f"Stopped at beat {stopped}: {exc.message} /draft from:{stopped} picks up there"
        await _finish(ctx, head, title, note, written, todo.kept + kept_now, engine, error=True)
        return
    note = f"Wrote {_scenes(len(written))} from the board"
    await _finish(ctx, head, title, note, written, todo.kept + kept_now, engine)


def _scenes(n: int) -> str:
    return f"{n} scene{'s' if n != 1 else ''}"


def _kept_note(kept: Sequence[int]) -> str:
    if not kept:
        return ""
    which = ", ".join(str(n) for n in kept)
    example = kept[0]
    return (
        f"Kept the room's own scene for beat{'s' if len(kept) > 1 else ''} {which}; "
        f"/draft {example} again writes over it."
    )


async def _finish(
    ctx: Context,
    head: MessageHandle,
    title: str,
    note: str,
    written: Sequence[int],
    kept: Sequence[int],
    engine: str,
    *,
    error: bool = False,
) -> None:
    beats = f"beat{'s' if len(written) > 1 else ''} {_ranges(written)}"
    lines = [note + (f" ({beats})." if written else ".")]
    if written:
        lines.append("Each is saved, tied to its beat; see /scene list.")
    if kept_note := _kept_note(kept):
        lines.append(kept_note)
    lines.append("/story export fountain gives the whole script.")
    reply = Reply(
        title=title,
        body="\n".join(lines),
        footer=footer(engine),
        tone="error" if error else "result",
    )
    await ctx.responder.update(head, reply)


def _ranges(numbers: Sequence[int]) -> str:
    """ "1-4, 6" for [1, 2, 3, 4, 6]."""
    out: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)


DRAFT = CommandSpec(
    name="draft",
    help="Write the screenplay from the board: one scene per beat, in order, saved as scenes.",
    handler=draft,
    args=DraftArgs,
    job="text",
    examples=("/draft", "/draft 4", "/draft from:2 to:5", "/draft 4 again"),
)
