"""What a portrait's buttons and thread messages do: regenerate, variations, use as the
reference, show the prompt. Buttons carry ``img.<id>``; a message in an image's thread
acts on the newest image posted there; everything else goes to the writing follow-ups."""

from __future__ import annotations

from bot.context import Context
from bot.registry import Handler
from commands.character import require_character
from commands.portrait import REF_PREFIX, VARIATIONS, make_image, prompt_reply
from core.errors import CommandError, NotFound
from core.images import ImageRecord
from core.models import Character, Story
from core.types import ActionArgs, FollowUpArgs, Reply
from generation.followups import read


async def _image_for(ctx: Context, image_id: int) -> tuple[ImageRecord, Story, Character]:
    record = await ctx.store.image(image_id)
    story = await ctx.store.active_story(ctx.place.story_key)
    # A button only acts on an image of this channel's story, whatever id it carries.
    if record is None or story is None or record.story_id != story.id:
        raise NotFound("That image no longer exists in this channel's story.")
    c = await require_character(ctx, story.id, record.character)
    return record, story, c


async def act(ctx: Context, what: str, image_id: int) -> None:
    """Regenerate (a new seed), variations (four seeds near it), save (accept) or prompt."""
    record, story, c = await _image_for(ctx, image_id)
    params = dict(record.params)
    params.pop("seeds", None)
    if what == "prompt":
        await ctx.reply(prompt_reply(record))
    elif what == "save":
        image, became = await ctx.store.accept_image(record.id, ctx.author)
        if became is not None:
            await ctx.reply(
                Reply.info(
                    f"Image #{image.id} is now {c.name}'s reference "
                    "portrait: expressions and poses will follow it."
                )
            )
        else:
            await ctx.reply(
                Reply.info(
                    f"Accepted image #{image.id}. {c.name} already has a "
                    "reference portrait (see /portrait "
                    f"{c.name} history)."
                )
            )
    elif what == "regenerate":
        params["seed"] = ctx.new_seed()
        await make_image(ctx, story, c, record.kind, params)
    elif what == "variations":
        params["seeds"] = [record.seed + i for i in range(1, VARIATIONS + 1)]
        params["seed"] = record.seed
        await make_image(
            ctx, story, c, record.kind if record.kind != "expressions" else "portrait", params
        )
    else:
        raise CommandError(f"That button ({what}) does nothing on an image.")


def with_image_actions(on_action: Handler[ActionArgs]) -> Handler[ActionArgs]:
    """Buttons whose ref names an image go here; the rest to ``on_action``."""

    async def handler(ctx: Context[ActionArgs]) -> None:
        ref = ctx.args.ref
        if not ref.startswith(REF_PREFIX):
            await on_action(ctx)
            return
        try:
            image_id = int(ref[len(REF_PREFIX) :])
        except ValueError:
            raise NotFound("That image no longer exists in this channel's story.") from None
        await act(ctx, ctx.args.action, image_id)

    return handler


def with_image_follow_ups(follow_up: Handler[FollowUpArgs]) -> Handler[FollowUpArgs]:
    """A message in a portrait's thread acts on its image; other threads go on as before."""

    async def handler(ctx: Context[FollowUpArgs]) -> None:
        thread = ctx.place.thread
        story = await ctx.store.active_story(ctx.place.story_key)
        record = None
        if thread is not None and story is not None:
            record = await ctx.store.image_in_thread(story.id, thread)
        if record is None:
            await follow_up(ctx)
            return
        verb = read(ctx.args.text).image
        if verb is not None:
            await act(ctx, verb, record.id)
            return
        raise CommandError(
            "In an image's thread say **again**, **variations**, **save** (use as the "
            f"reference) or **prompt**. For a new look: /portrait {record.character} <style>."
        )

    return handler
