"""/ask: a question about this channel's story, answered from its bible.

Offline, the question is matched to sheet fields, the board, locations, scenes and notes
(generation/answers.py) and answered with quotes. With a model, the model answers from the
bible entries the question names (the same channel's bible only) and every quote it gives
is checked against the bible: an answer that rests on a quote the bible does not have is
not shown; the bible's own passages are. A question the bible cannot answer says so, with
the command that would record the answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from commands.render import footer
from core.models import Bible
from core.types import Args, Reply
from generation.answers import ANSWER_PROMPT, BibleAnswer, answer, checked_quotes, excerpts

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AskArgs(Args):
    question: str = param("What to ask about this channel's story", text=True, max_length=2000)


def _body(found: BibleAnswer) -> str:
    if not found.found:
        return found.missing
    quotes = "\n".join(f"> {q.text}\n— _{q.source}_" for q in found.quotes)
    return f"{found.lead}\n{quotes}" if found.lead else quotes


async def _model_answer(ctx: Context[AskArgs], bible: Bible) -> str | None:
    """The model's answer, when it keeps to quotes the bible has; None otherwise."""
    complete: Any = getattr(ctx.engine, "complete", None)
    if complete is None:
        return None
    from generation.openai_chat import ModelCall

    shown = excerpts(ctx.args.question, bible)
    if not shown:
        return None
    lines = "\n".join(f"- ({q.source}) {q.text}" for q in shown)
    messages = [
        {"role": "system", "content": ANSWER_PROMPT.format(excerpts=lines)},
        {"role": "user", "content": ctx.args.question},
    ]
    got = await complete(messages, ModelCall("answer", bible.story.id))
    if got.usage is not None:
        await ctx.store.record_usage(ctx.place.story_key, ctx.author.id, got.usage)
    kept, made_up = checked_quotes(got.text, bible)
    if made_up or not kept:
        log.info(
            "ask: the model's answer had %d quote(s) not in the bible; not shown", len(made_up)
        )
        return None
    return str(got.text).strip()


async def ask(ctx: Context[AskArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    found = answer(ctx.args.question, bible)
    model = await _model_answer(ctx, bible) if ctx.settings.model_configured else None
    body = model if model is not None else _body(found)
    await ctx.reply(
        Reply(
            title="From the bible",
            body=body,
            footer=footer(ctx.engine.name)
            if model is not None
            else "Quoted from this channel's bible",
            tone="result" if (model is not None or found.found) else "info",
        )
    )


ASK = CommandSpec(
    "ask",
    "Ask a question about this channel's story; answered from its bible, with quotes.",
    handler=ask,
    args=AskArgs,
    examples=(
        "/ask what's Mara's flaw?",
        "/ask who knows about the tape?",
        "/ask where does act two end?",
    ),
)
