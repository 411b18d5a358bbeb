"""options:N on /synopsis and /character new: several takes that differ, and the room's pick.

The command writes more candidates than it shows (3N with the offline engine, 2N model
calls at most, run concurrently), keeps the N that differ most (generation/alternatives,
maximal marginal relevance over word bigrams) and posts them in one reply with a
"Use option k" button each. The options live in the thread's conversation params, so a
button still works after a restart; choosing makes that option the thread's artifact
(Continue, Save, "shorter" then work on it) and, for a character, saves the sheet: nothing
reaches the bible before the room picks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import param
from commands.render import (
    OFFLINE_ENGINE,
    body_format,
    character_reply,
    draft_actions,
    footer,
    sheet_text,
)
from commands.threads import sheet_from_draft, start_draft
from core.errors import CommandError, NotFound
from core.models import Character, Conversation, edit_character, new_character
from core.types import Action, Reply
from generation.alternatives import distinctive_words, mean_pairwise_similarity, mmr
from generation.base import Draft, TaskKind, WritingTask

MAX_OPTIONS = 5


def options_param() -> Any:
    """The ``options:N`` parameter of /synopsis and /character new (a field of their args)."""
    return param(
        "How many different options to offer (1-5); the room picks one",
        default=1,
        min_value=1,
        max_value=MAX_OPTIONS,
        keyword_only=True,
    )


def wanted(options: int) -> int:
    """The options:N asked for, within 1..MAX_OPTIONS (``bind`` enforces it for typed input)."""
    return max(1, min(MAX_OPTIONS, options))


def candidate_count(engine: str, n: int) -> int:
    """How many takes to write for N options: offline takes are free, model calls are not."""
    return 3 * n if engine == OFFLINE_ENGINE else 2 * n


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    """What is compared and, once chosen, the thread's artifact."""
    seed: int
    data: dict[str, Any] | None
    """A synopsis's structured output, or a character's sheet."""

    def stored(self, label: str) -> dict[str, Any]:
        return {"text": self.text, "seed": self.seed, "data": self.data, "label": label}


async def offer(
    ctx: Context,
    story_id: int,
    kind: TaskKind,
    title: str,
    params: dict[str, Any],
    n: int,
    make: Callable[[Draft, int], Option],
    task_params: dict[str, Any] | None = None,
) -> None:
    """Write candidates, keep the N that differ most, post them with a button each."""
    bible = await ctx.store.bible(story_id)
    seeds = [ctx.new_seed() for _ in range(candidate_count(ctx.engine.name, n))]
    drafting = await start_draft(ctx, story_id, kind, title)
    tasks = [
        WritingTask(
            kind=kind,
            bible=bible,
            seed=s,
            params=dict(task_params or params),
        )
        for s in seeds
    ]
    results = await asyncio.gather(*(ctx.write(t) for t in tasks), return_exceptions=True)
    candidates: list[Option] = []
    failure: CommandError | None = None
    for seed, result in zip(seeds, results, strict=True):
        if isinstance(result, CommandError):
            failure = failure or result
        elif isinstance(result, BaseException):
            raise result
        else:
            try:
                candidates.append(make(result, seed))
            except CommandError as exc:  # an empty sheet: drop that take, keep the rest
                failure = failure or exc
    if not candidates:
        await drafting.fail(failure.message if failure else "No take came back; try again.")
        return
    picked = [candidates[i] for i in mmr([c.text for c in candidates], n)]
    texts = [c.text for c in picked]
    engine = next(r.engine for r in results if isinstance(r, Draft))
    stored = dict(
        params,
        engine=engine,
        options=[c.stored(" · ".join(distinctive_words(texts, i))) for i, c in enumerate(picked)],
    )
    conv = await drafting.opened()
    overlap = mean_pairwise_similarity(texts)
    reply = options_reply(title, kind, stored["options"], footer(engine))
    note = (
        f" · {len(picked)} of {len(candidates)} takes, chosen to differ "
        f"(they share {overlap:.0%} of their word pairs)"
    )
    await drafting.finish(
        Reply(title=reply.title, body=reply.body, footer=(reply.footer or "") + note),
        "",
        stored,
        picked[0].seed,
        actions=choose_actions(conv.id, len(picked)),
    )


def choose_actions(conversation_id: int, n: int) -> tuple[Action, ...]:
    return tuple(
        Action("choose", f"Use option {k}", f"{conversation_id}.{k}") for k in range(1, n + 1)
    )


def options_reply(title: str, kind: str, options: list[dict[str, Any]], footer_text: str) -> Reply:
    parts = []
    for k, opt in enumerate(options, 1):
        label = f" · _{opt['label']}_" if opt.get("label") else ""
        shown = _sheet_summary(opt["data"] or {}) if kind == "character" else str(opt["text"])
        parts.append(f"**Option {k}**{label}\n{shown}")
    return Reply(
        title=f"{title} · {len(options)} options", body="\n\n".join(parts), footer=footer_text
    )


def _sheet_summary(sheet: dict[str, Any]) -> str:
    """Enough of a sheet to choose by: who they are, what they want, what stands in the way."""
    lines = [" · ".join(str(sheet[f]) for f in ("pronouns", "age", "role") if sheet.get(f))]
    if sheet.get("one_line"):
        lines.append(f"_{sheet['one_line']}_")
    for f, label in (("want", "Want"), ("flaw", "Flaw"), ("voice", "Voice")):
        if sheet.get(f):
            lines.append(f"{label}: {sheet[f]}")
    return "\n".join(line for line in lines if line)


def synopsis_option(draft: Draft, seed: int) -> Option:
    return Option(draft.text, seed, draft.data)


def character_option(name: str, given: dict[str, str]) -> Callable[[Draft, int], Option]:
    def make(draft: Draft, seed: int) -> Option:
        c = sheet_from_draft(draft, name, given)
        return Option(sheet_text(c), seed, c.sheet())

    return make


def pending(conv: Conversation) -> bool:
    """Options were offered and none is chosen yet: the thread has no artifact to work on."""
    return bool(conv.params.get("options")) and not conv.params.get("chosen")


def parse_ref(ref: str) -> tuple[int, int] | None:
    """A choose button's ref, "<conversation id>.<option number>"."""
    conv_id, _, k = ref.partition(".")
    if not (conv_id.isdigit() and k.isdigit()):
        return None
    return int(conv_id), int(k)


async def choose(ctx: Context, conv: Conversation, k: int) -> None:
    """Make option ``k`` (1-based) the thread's artifact; a character's sheet is saved."""
    options = list(conv.params.get("options") or [])
    if not 1 <= k <= len(options):
        raise NotFound("That option is not in this thread any more.")
    opt = options[k - 1]
    params = dict(conv.params, chosen=k)
    engine = str(params.get("engine") or "")
    seed = int(opt.get("seed") or 0)
    if conv.kind == "character":
        await _choose_character(ctx, conv, params, opt, k, engine, seed)
        return
    if opt.get("data") is not None:
        params["data"] = opt["data"]
    else:
        params.pop("data", None)
    updated = await ctx.store.update_conversation(conv.id, str(opt["text"]), params, seed)
    await ctx.store.add_message(conv.id, "bot", "writersroom", updated.artifact)
    base = {"synopsis": "Synopsis"}.get(conv.kind, conv.kind.title())
    await ctx.reply(
        Reply(
            title=f"{base} · option {k}",
            body=updated.artifact,
            footer=footer(engine, seed),
            actions=draft_actions(conv.id),
            format=body_format(conv.kind),
        )
    )


async def _choose_character(
    ctx: Context,
    conv: Conversation,
    params: dict[str, Any],
    opt: dict[str, Any],
    k: int,
    engine: str,
    seed: int,
) -> None:
    story = await ctx.story()
    if story.id != conv.story_id:
        raise CommandError("These options belong to an archived story; nothing was saved.")
    name = str(params.get("name", ""))
    sheet = {str(f): str(v) for f, v in dict(opt.get("data") or {}).items()}
    if params.get("character_id"):  # a second pick replaces the first pick's sheet

        def change(c: Character) -> Character:
            for field_name, value in sheet.items():
                c = edit_character(c, field_name, value)
            return c

        saved = await ctx.store.update_character(
            story.id, name, change, ctx.author, f"chose option {k} for {name}'s sheet"
        )
    else:
        saved = await ctx.store.add_character(story.id, new_character(name, **sheet), ctx.author)
    params.update(character_id=saved.id, name=saved.name, sheet=saved.sheet())
    await ctx.store.update_conversation(conv.id, sheet_text(saved), params, seed)
    await ctx.store.add_message(conv.id, "bot", "writersroom", sheet_text(saved))
    reply = character_reply(
        saved,
        footer_text=footer(engine, seed),
        body=f"_Option {k}, saved to the bible. /story undo takes it back._",
    )
    await ctx.reply(
        Reply(
            title=reply.title,
            body=reply.body,
            fields=reply.fields,
            footer=reply.footer,
            actions=draft_actions(conv.id, can_continue=False, can_save=False),
        )
    )
