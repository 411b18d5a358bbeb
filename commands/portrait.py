"""/portrait: a character's portrait, expression sheet or pose, kept consistent.

Subcommands draw (the default: ``/portrait Mara noir``), expressions, pose, seed, history
and prompt (the last image's prompt); one may follow the name, as writers say it:
``/portrait Mara pose leaning on the rail``. Each character keeps a seed (``image_seed``,
else one derived from its id); the first portrait the room accepts (the "Use as
reference" button, or *save* in the thread) becomes its reference, which later
expressions and poses follow where the backend can (IP-Adapter). Regenerate and
Variations work from the buttons or by saying *again* / *variations* in the reply's
thread; *prompt* there shows the image prompt.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands import portrait_queue
from commands.character import NamedArgs, character_name, require_character
from commands.portrait_progress import Reporter, estimate
from core.errors import CommandError, NotFound
from core.images import ImageKind, ImageRecord
from core.models import Character, Story
from core.types import Action, Args, ImageRef, MessageHandle, Reply, ReplyField
from generation.images import prompts
from generation.images.base import ImageBackend, ImageRequest, ImageResult
from generation.images.offline import OfflineBackend
from generation.images.sheet import grid, save_png

REF_PREFIX = "img."
VARIATIONS = 4


@dataclass(frozen=True, slots=True)
class StyleArgs(Args):
    name: str = character_name()
    style: str = param(
        "A style, e.g. ink and watercolour, 1970s paperback cover",
        text=True,
        default="",
        max_length=500,
    )


@dataclass(frozen=True, slots=True)
class PoseArgs(Args):
    name: str = character_name()
    pose: str = param("The pose, e.g. leaning on the rail", text=True, max_length=500)


@dataclass(frozen=True, slots=True)
class SeedArgs(Args):
    name: str = character_name()
    seed: int = param("The seed to draw from (an image's footer shows its seed)", min_value=0)


async def _subject(ctx: Context, name: str) -> tuple[Story, Character]:
    story = await ctx.story()
    return story, await require_character(ctx, story.id, name)


async def _image(ctx: Context, name: str, kind: ImageKind, params: dict[str, Any]) -> None:
    story, character = await _subject(ctx, name)
    await make_image(ctx, story, character, kind, params)


async def draw(ctx: Context[StyleArgs]) -> None:
    await _image(ctx, ctx.args.name, "portrait", {"style": ctx.args.style})


async def expressions(ctx: Context[StyleArgs]) -> None:
    await _image(ctx, ctx.args.name, "expressions", {"style": ctx.args.style})


async def pose(ctx: Context[PoseArgs]) -> None:
    await _image(ctx, ctx.args.name, "pose", {"pose": ctx.args.pose})


async def seeded(ctx: Context[SeedArgs]) -> None:
    await _image(ctx, ctx.args.name, "portrait", {"seed": ctx.args.seed})


async def prompt(ctx: Context[NamedArgs]) -> None:
    story, character = await _subject(ctx, ctx.args.name)
    images = await ctx.store.images_of(story.id, character.id, 1)
    if not images:
        raise NotFound(f"{character.name} has no images yet. Try /portrait {character.name}.")
    await ctx.reply(prompt_reply(images[0]))


def backend_of(ctx: Context) -> ImageBackend:
    return ctx.resources.images or OfflineBackend()


def build_request(
    story: Story, c: Character, kind: ImageKind, params: dict[str, Any], data_dir: Path
) -> ImageRequest:
    style = str(params.get("style") or "")
    seed = int(params.get("seed") or c.image_seed or prompts.character_seed(story.id, c.id))
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    if kind == "expressions":
        texts, labels = prompts.expression_prompts(c, story, style), prompts.EXPRESSIONS
    elif kind == "pose":
        pose = str(params["pose"])
        texts, labels = (prompts.pose_prompt(c, story, pose, style),), (pose,)
    else:
        texts, labels = (prompts.portrait_prompt(c, story, style),), ("portrait",)
    seeds: tuple[int, ...] = tuple(params.get("seeds") or ())
    if seeds:
        texts, labels = texts[:1] * len(seeds), tuple(f"take {s}" for s in seeds)
    reference = None
    if c.reference_image and kind in ("expressions", "pose"):
        candidate = data_dir / c.reference_image
        reference = candidate if candidate.is_file() else None
    return ImageRequest(
        prompts=texts,
        seed=seed,
        negative_prompt=prompts.NEGATIVE,
        subject=prompts.subject_of(c),
        labels=labels,
        reference=reference,
        seeds=seeds,
    )


def _title(c: Character, kind: ImageKind, params: dict[str, Any]) -> str:
    if params.get("seeds"):
        return f"{c.name} · variations"
    return {
        "portrait": f"{c.name} · portrait",
        "expressions": f"{c.name} · expressions",
        "pose": f"{c.name} · {str(params.get('pose', 'pose'))[:80]}",
    }[kind]


async def make_image(
    ctx: Context, story: Story, c: Character, kind: ImageKind, params: dict[str, Any]
) -> ImageRecord | None:
    """Make, save and post one image (a sheet for expressions and variations): here, or
    on a GPU worker when the image queue is on (commands/portrait_queue.py). None when a
    takeover finds the image already posted."""
    request = build_request(story, c, kind, params, ctx.settings.data_dir)
    title = _title(c, kind, params)
    if ctx.resources.queue is not None:
        made = await portrait_queue.generate(ctx, story.id, request, title, f"{c.name}-{kind}")
        if made is None:
            return None
        handle, request, result = made
    else:
        handle, result = await _generate_here(ctx, story, request, title)
    image = grid(result.images, request.labels) if len(result.images) > 1 else result.images[0]
    path = await asyncio.to_thread(
        save_png, image, ctx.settings.data_dir, story.id, f"{c.name}-{kind}"
    )
    stored = {k: v for k, v in params.items() if k != "seed"}
    record = await ctx.store.add_image(
        ImageRecord(
            story_id=story.id,
            character_id=c.id,
            character=c.name,
            kind=kind,
            prompt="\n".join(dict.fromkeys(request.prompts)),
            negative_prompt=request.negative_prompt,
            seed=request.seed,
            backend=result.backend,
            model=result.model,
            width=image.width,
            height=image.height,
            steps=result.steps,
            seconds=round(result.seconds, 3),
            path=path,
            thread=handle.thread,
            params=stored,
            created_by=ctx.author.id,
        )
    )
    await ctx.responder.update(handle, image_reply(ctx, record, result, c, title))
    if ctx.resources.queue is not None:
        await portrait_queue.posted(ctx)
    return record


async def _generate_here(
    ctx: Context, story: Story, request: ImageRequest, title: str
) -> tuple[MessageHandle, ImageResult]:
    """The images from this process's backend, the waiting message telling how it goes."""
    backend = backend_of(ctx)
    await backend.check()
    plan = await backend.plan(request)
    job_id = ctx.job_id
    cancel = (Action("cancel", "Cancel", job_id),) if job_id else ()
    waiting = Reply(
        title=title,
        body=await estimate(ctx, backend, plan, len(request.prompts)),
        actions=cancel,
        partial=True,
    )
    handle = await ctx.reply(waiting)
    async with Reporter(ctx, handle, waiting, story.id) as progress:
        try:
            result = await backend.generate(request, progress.on_progress, progress.on_queue)
        except asyncio.CancelledError:
            cancelled = Reply.info("Cancelled.", title=title)
            await asyncio.shield(ctx.responder.update(handle, cancelled))
            raise
        except CommandError as exc:
            await ctx.responder.update(handle, Reply.error(exc.message))
            raise
    return handle, result


def image_reply(
    ctx: Context, r: ImageRecord, result: ImageResult, c: Character, title: str
) -> Reply:
    file = ctx.settings.data_dir / r.path
    ref = ImageRef(str(file.resolve()), f"{title} (image #{r.id})", Path(r.path).name)
    made = (
        "Offline placeholder card (no image model configured)"
        if result.placeholder
        else f"Made with {r.backend} · {r.model}"
    )
    notes = [f"seed {r.seed}", r.size]
    if r.steps:
        notes.append(f"{r.steps} steps")
    notes.append(f"{r.seconds:.1f} s")
    if result.used_reference:
        notes.append("following the reference portrait")
    body = "Say **prompt** here to see the image prompt."
    if result.note:
        body += f"\n_{result.note}_"
    ref_id = f"{REF_PREFIX}{r.id}"
    actions = [
        Action("regenerate", "Regenerate", ref_id),
        Action("variations", "Variations", ref_id),
    ]
    if not c.reference_image and len(result.images) == 1:
        actions.append(Action("save", "Use as reference", ref_id))
    return Reply(
        title=title,
        body=body,
        images=(ref,),
        actions=tuple(actions),
        footer=f"{made} · {' · '.join(notes)} · image #{r.id}",
    )


def prompt_reply(r: ImageRecord) -> Reply:
    fields = [ReplyField("Prompt", r.prompt)]
    if r.negative_prompt:
        fields.append(ReplyField("Negative prompt", r.negative_prompt))
    fields += [
        ReplyField("Seed", str(r.seed), inline=True),
        ReplyField("Model", f"{r.backend} · {r.model}", inline=True),
    ]
    return Reply(title=f"Image #{r.id} · {r.character}", fields=tuple(fields), tone="info")


async def history(ctx: Context[NamedArgs]) -> None:
    story, c = await _subject(ctx, ctx.args.name)
    images = await ctx.store.images_of(story.id, c.id, 15)
    if not images:
        await ctx.reply(Reply.info(f"{c.name} has no images yet. Try /portrait {c.name}."))
        return
    lines = []
    for r in images:
        mark = (
            " · **reference**"
            if c.reference_image == r.path
            else (" · accepted" if r.accepted else "")
        )
        what = r.params.get("pose") or r.params.get("style") or ""
        lines.append(
            f"- #{r.id} {r.kind}"
            + (f" ({what})" if what else "")
            + f" · seed {r.seed} · {r.backend} {r.model} · {r.size}"
            + (f" · {r.steps} steps" if r.steps else "")
            + f" · {r.seconds:.1f} s{mark}"
        )
    await ctx.reply(Reply.info("\n".join(lines), title=f"{c.name} · images"))


# "image" jobs (counted by bot/limits.py) run in the text pool: the backend's device queue
# (or, with the image queue on, the workers) serializes the work and tells a waiting
# writer their place in line.
PORTRAIT = CommandSpec(
    name="portrait",
    help="Draw a character: a portrait, an expression sheet or a pose; history and prompt.",
    default="draw",
    subcommands=(
        CommandSpec(
            "draw",
            "A portrait of a character, in a style if you like.",
            handler=draw,
            args=StyleArgs,
            job="image",
            examples=(
                "/portrait Mara",
                "/portrait Mara ink and watercolour, 1970s paperback cover",
            ),
        ),
        CommandSpec(
            "expressions",
            "A 2x2 sheet of a character's expressions.",
            handler=expressions,
            args=StyleArgs,
            job="image",
            examples=("/portrait Mara expressions",),
        ),
        CommandSpec(
            "pose",
            "A character in a pose.",
            handler=pose,
            args=PoseArgs,
            job="image",
            examples=("/portrait Mara pose leaping across the gap between two hulls",),
        ),
        CommandSpec(
            "seed",
            "A portrait drawn from a given seed.",
            handler=seeded,
            args=SeedArgs,
            job="image",
            examples=("/portrait Mara seed 42",),
        ),
        CommandSpec(
            "history",
            "A character's images: kind, seed, model, the reference.",
            handler=history,
            args=NamedArgs,
            examples=("/portrait Mara history",),
        ),
        CommandSpec(
            "prompt",
            "The prompt of a character's latest image.",
            handler=prompt,
            args=NamedArgs,
            examples=("/portrait Mara prompt",),
        ),
    ),
)
