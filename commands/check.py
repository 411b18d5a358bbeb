"""/story check: the script doctor's report on the bible and the saved scenes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from core.errors import CommandError
from core.types import Args, Reply
from generation.doctor import check, critique, render
from generation.summarize.engine import chat_model

OFFLINE = "Checked offline: pattern checks, every finding quoted"


@dataclass(frozen=True, slots=True)
class CheckArgs(Args):
    part: Literal["all", "balance"] = param("All of it, or balance and bias alone", default="all")


async def check_story(ctx: Context[CheckArgs]) -> None:
    only_balance = ctx.args.part == "balance"
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    report = check(bible)
    model = chat_model(ctx.engine)
    footer = OFFLINE
    if model is not None:
        from generation.openai_chat import ModelCall

        try:
            report = await critique(
                bible,
                report,
                model,
                ModelCall("doctor", story.id, ctx.new_seed()),
                only_balance=only_balance,
            )
            footer = f"Pattern checks and notes by {ctx.engine.name}, every finding quoted"
        except CommandError as exc:
            footer = f"{OFFLINE} (the model could not review it: {exc.message})"
    body = render(report, ctx.engine.name, only_balance=only_balance)
    what = "Balance" if only_balance else "Script doctor"
    await ctx.reply(Reply(title=f"{what} · {story.title}", body=body, footer=footer))


CHECK = CommandSpec(
    "check",
    "Script doctor: continuity, clichés, repetition, the cast, balance and bias.",
    handler=check_story,
    args=CheckArgs,
    job="text",
    examples=("/story check", "/story check balance"),
)
