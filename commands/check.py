"""/story check: the script doctor's report on the bible and the saved scenes."""

from __future__ import annotations

from bot.context import Context
from bot.registry import CommandSpec
from core.errors import CommandError
from core.types import NoArgs, Reply
from generation.doctor import check, critique, render
from generation.summarize.engine import chat_model

OFFLINE = "Checked offline: pattern checks, every finding quoted"


async def check_story(ctx: Context[NoArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    report = check(bible)
    model = chat_model(ctx.engine)
    footer = OFFLINE
    if model is not None:
        from generation.openai_chat import ModelCall

        try:
            report = await critique(
                bible, report, model, ModelCall("doctor", story.id, ctx.new_seed())
            )
            footer = f"Pattern checks and notes by {ctx.engine.name}, every finding quoted"
        except CommandError as exc:
            footer = f"{OFFLINE} (the model could not review it: {exc.message})"
    body = render(report, ctx.engine.name)
    await ctx.reply(Reply(title=f"Script doctor · {story.title}", body=body, footer=footer))


CHECK = CommandSpec(
    "check",
    "Script doctor: continuity, clichés and repetition, cast balance.",
    handler=check_story,
    args=NoArgs,
    job="text",
    examples=("/story check",),
)
