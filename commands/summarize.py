"""/summarize thread | scene | story: digests for producers and editors.

- thread: the messages of the thread it is asked in (the adapter pages the platform's
  history), or a thread pasted after the command ("Name: message" per line). Where there
  is neither (the terminal), the reply asks for a paste: the lines that follow in its
  thread are collected, and a line "." (or "done") summarizes them.
- scene: pasted Fountain, else the scene of this thread's /dialogue reply, else the
  channel's latest one, else the last scene saved to the bible.
- story: the story so far from the bible.

A thread digest that proposes story changes carries a Save button (and answers "save" in
its thread): the changes go to the bible as notes, each with who said it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.context import Context
from bot.params import internal, param
from bot.registry import CommandSpec
from core.errors import CommandError
from core.models import Conversation
from core.types import Action, Args, Reply
from generation.summarize import engine as summarizers
from generation.summarize.model import Digest, ThreadMessage, render_markdown
from generation.summarize.paste import messages_from_lines, parse_pasted
from generation.summarize.scene import render_scene
from generation.summarize.storyline import render_story

THREAD_KIND = "summary"
PASTE_KIND = "summary-paste"
SUMMARY_KINDS = frozenset({THREAD_KIND, PASTE_KIND})
"""Conversation kinds whose follow-ups and buttons this module answers."""
DONE_WORDS = frozenset({".", "done", "end", "go", "summarize", "summarise", "/end"})
MAX_PASTED_LINES = 20_000
PASTE_PROMPT = (
    "I can't read this thread's history here, so paste it: one message per line, as "
    "**Name: message** (a line without a name continues the message before). "
    "Then send a line with just **.** (or **done**) and I'll summarize it."
)


Delivery = Literal["thread", "private"]


@dataclass(frozen=True, slots=True)
class DeliveredArgs(Args):
    delivery: Delivery = internal("thread")
    """Where the digest goes: the Slack shortcut lets its user choose "private"."""

    @property
    def private(self) -> bool:
        return self.delivery == "private"


@dataclass(frozen=True, slots=True)
class PastedArgs(DeliveredArgs):
    pasted: str = param("A pasted thread or scene (optional)", text=True, default="")


async def summarize_thread(ctx: Context[PastedArgs]) -> None:
    pasted = ctx.args.pasted
    if pasted:
        messages = parse_pasted(pasted)
        if len(messages) < 1:
            raise CommandError(
                "I couldn't read a thread from that. Paste one message per line, as Name: message."
            )
    else:
        messages = [ThreadMessage.of(m) for m in await ctx.responder.thread_history()]
    if not messages:
        await _ask_for_paste(ctx)
        return
    await digest_reply(ctx, messages, private=ctx.args.private)


async def _ask_for_paste(ctx: Context) -> None:
    story = await ctx.story()
    handle = await ctx.reply(Reply(title="Summarize a pasted thread", body=PASTE_PROMPT))
    place = ctx.place
    await ctx.store.create_conversation(
        (place.platform, place.workspace, place.channel, handle.thread),
        story.id,
        PASTE_KIND,
        "",
        {},
        0,
    )


async def digest_reply(
    ctx: Context, messages: list[ThreadMessage], *, private: bool = False
) -> Digest | None:
    """Summarize ``messages`` and post the digest, with Save when it proposes changes.

    Delivered privately (the Slack shortcut's choice), there is no placeholder, since an
    ephemeral message cannot be replaced, and no Save button."""
    title = "Thread summary"
    handle = None
    if not private:
        handle = await ctx.reply(
            Reply(title=title, body=f"_Reading {len(messages):,} messages…_", partial=True)
        )

    async def progress(text: str, fraction: float | None) -> None:
        await ctx.responder.progress(text, fraction)

    try:
        digest = await summarizers.summarize_thread(messages, ctx.engine, progress=progress)
    except CommandError as exc:
        if handle is None:
            raise
        await ctx.responder.update(handle, Reply.error(exc.message))
        return None
    for usage in digest.usage:
        await ctx.store.record_usage(ctx.place.story_key, ctx.author.id, usage)
    body = render_markdown(digest)
    if handle is None:
        await ctx.reply(Reply(title=title, body=body, footer=_footer(digest), private=True))
        return digest
    story = await ctx.story()
    place = ctx.place
    thread_key = (place.platform, place.workspace, place.channel, handle.thread)
    params: dict[str, Any] = {"story_changes": _changes(digest), "messages": len(messages)}
    conv = await ctx.store.conversation_at(thread_key)
    if conv is not None and conv.kind in SUMMARY_KINDS:
        conv = await ctx.store.update_conversation(conv.id, body, {**conv.params, **params}, 0)
    else:
        conv = await ctx.store.create_conversation(
            thread_key, story.id, THREAD_KIND, body, params, 0
        )
    actions: tuple[Action, ...] = ()
    if digest.story_changes:
        actions = (Action("save", "Save story changes to bible", str(conv.id)),)
    await ctx.responder.update(
        handle, Reply(title=title, body=body, actions=actions, footer=_footer(digest))
    )
    return digest


def _footer(d: Digest) -> str:
    if d.extractive:
        label = "Offline extractive summary (no model configured): every point is quoted"
    else:
        label = f"Summarized by {d.engine}: every point names who said it"
    return f"{label} · /summarize thread again to refresh"


def _changes(d: Digest) -> list[dict[str, str]]:
    return [{"text": p.text, "author": p.author, "link": p.link or ""} for p in d.story_changes]


async def summary_follow_up(ctx: Context, conv: Conversation, what: str, text: str) -> None:
    """A line or a button in a summary's thread (routed here by commands.followup)."""
    if what == "save" and conv.params.get("story_changes") is not None:
        await save_changes(ctx, conv)
        return
    if conv.kind == PASTE_KIND:
        if text.strip().lower() not in DONE_WORDS:
            return  # one more pasted line: stored by the follow-up hook, nothing to say
        lines = [
            m.text
            for m in await ctx.store.messages(conv.id, MAX_PASTED_LINES)
            if m.role == "user" and m.text.strip().lower() not in DONE_WORDS
        ]
        messages = messages_from_lines(lines)
        if not messages:
            raise CommandError(
                "Nothing pasted yet: send the thread's messages as Name: message lines, "
                "then a line with just ."
            )
        await digest_reply(ctx, messages)
        return
    raise CommandError(
        "This thread holds a summary. Say **save** to keep its story changes in the bible, "
        "or run /summarize thread again."
    )


async def save_changes(ctx: Context, conv: Conversation) -> None:
    story = await ctx.store.active_story(ctx.place.story_key)
    if story is None or story.id != conv.story_id:
        raise CommandError(
            "This summary belongs to an archived story, so it can't be saved to the current one."
        )
    changes = list(conv.params.get("story_changes") or [])
    if not changes:
        raise CommandError("This summary proposes no story changes to save.")
    for change in changes:
        note = f"{change['text']} (proposed by {change['author']} in a thread"
        note += f": {change['link']})" if change.get("link") else ")"
        await ctx.store.add_note(story.id, note, ctx.author)
    await ctx.reply(
        Reply.info(
            f"Saved {len(changes)} story change{'s' if len(changes) != 1 else ''} to the bible "
            "as notes. /story history lists them; /story undo takes back one at a time."
        )
    )


async def summarize_scene(ctx: Context[PastedArgs]) -> None:
    text = ctx.args.pasted or await _scene_text(ctx)
    summary = await summarizers.summarize_scene(text, ctx.engine)
    await ctx.reply(
        Reply(title="Scene summary", body=render_scene(summary), private=ctx.args.private)
    )


async def _scene_text(ctx: Context) -> str:
    place = ctx.place
    if place.thread is not None:
        conv = await ctx.store.conversation_at(
            (place.platform, place.workspace, place.channel, place.thread)
        )
        if conv is not None and conv.kind == "dialogue" and conv.artifact:
            return conv.artifact
    latest = await ctx.store.latest_conversation(place.story_key)
    if latest is not None and latest.kind == "dialogue" and latest.artifact:
        return latest.artifact
    story = await ctx.store.active_story(place.story_key)
    if story is not None:
        scenes = await ctx.store.scenes(story.id)
        if scenes:
            return scenes[-1].text
    raise CommandError(
        "There is no scene to summarize yet. Paste one after /summarize scene, or write one "
        "with /dialogue first."
    )


async def summarize_story(ctx: Context[DeliveredArgs]) -> None:
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    summary = await summarizers.summarize_story(bible, ctx.engine)
    await ctx.reply(
        Reply(
            title=f"{story.title}: the story so far",
            body=render_story(summary),
            private=ctx.args.private,
        )
    )


SUMMARIZE = CommandSpec(
    name="summarize",
    help="Summarize a thread, a scene or the story so far.",
    subcommands=(
        CommandSpec(
            name="thread",
            help="Decisions, open questions, action items and story changes of this thread.",
            handler=summarize_thread,
            args=PastedArgs,
            job="text",
            needs_thread=True,
            examples=("/summarize thread", "/summarize thread Dana: lock the target\nTheo: on it"),
        ),
        CommandSpec(
            name="scene",
            help="Who wants what, what changes, and the turn of a scene.",
            handler=summarize_scene,
            args=PastedArgs,
            job="text",
            examples=("/summarize scene", "/summarize scene INT. AIRLOCK - DAY …"),
        ),
        CommandSpec(
            name="story",
            help="The story so far: synopsis, character arcs, what is undecided.",
            handler=summarize_story,
            args=DeliveredArgs,
            job="text",
            examples=("/summarize story",),
        ),
    ),
)
