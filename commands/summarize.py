"""/summarize thread | channel | scene | story: digests for producers and editors.

- thread: the messages of the thread it is asked in (the adapter pages the platform's
  history), or a thread pasted after the command ("Name: message" per line). Where there
  is neither (the terminal), the reply asks for a paste: the lines that follow in its
  thread are collected, and a line "." (or "done") summarizes them. In a thread already
  summarized it answers what changed since that digest (new decisions, reversed ones,
  questions answered, new action items); "again" (or Full summary) gives the whole
  digest afresh. The story bible's character names tell characters from the room.
- channel: a recap of the channel's threads and messages over a period
  (commands/summarize_channel.py).
- scene: a scene of the script by its number (as /scene list numbers them), or pasted
  Fountain, else the scene of this thread's /dialogue reply, else the channel's latest
  one, else the last scene saved to the bible.
- story: the story so far from the bible.

A thread digest that proposes story changes carries a Save button (and answers "save" in
its thread): the changes go to the bible as notes, each with who said it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.params import internal, param
from bot.registry import CommandSpec
from commands.render import short
from commands.scene import scene_numbered
from commands.summaries import DeliveredArgs, cast_names
from commands.summarize_channel import ChannelArgs, summarize_channel
from core.errors import CommandError
from core.models import Conversation
from core.types import Action, ChatMessage, Reply
from generation.summarize import engine as summarizers
from generation.summarize.catchup import DigestState, render_catch_up
from generation.summarize.model import Digest, ThreadMessage, render_markdown
from generation.summarize.paste import messages_from_lines, parse_pasted
from generation.summarize.scene import render_scene
from generation.summarize.storyline import render_story

THREAD_KIND = "summary"
PASTE_KIND = "summary-paste"
SUMMARY_KINDS = frozenset({THREAD_KIND, PASTE_KIND})
"""Conversation kinds whose follow-ups and buttons this module answers."""
DIGEST_STATE = "digest"
"""The conversation param holding what the thread's last digest said (DigestState JSON)."""
DONE_WORDS = frozenset({".", "done", "end", "go", "summarize", "summarise", "/end"})
MAX_PASTED_LINES = 20_000
"""Messages a channel recap reads at most; a busier period is cut to its newest."""
PASTE_PROMPT = (
    "I can't read this thread's history here, so paste it: one message per line, as "
    "**Name: message** (a line without a name continues the message before). "
    "Then send a line with just **.** (or **done**) and I'll summarize it."
)


@dataclass(frozen=True, slots=True)
class ThreadArgs(DeliveredArgs):
    pasted: str = param("A pasted thread (optional)", text=True, default="")
    start: str = internal("")
    """The first message to read (its ``ts``): a "Summarize from here" menu leaves out the
    thread's earlier messages. Empty: the whole thread."""


async def summarize_thread(ctx: Context[ThreadArgs]) -> None:
    pasted = ctx.args.pasted
    if pasted:
        messages = parse_pasted(pasted)
        if len(messages) < 1:
            raise CommandError(
                "I couldn't read a thread from that. Paste one message per line, as Name: message."
            )
    else:
        read = await ctx.responder.thread_history()
        messages = [ThreadMessage.of(m) for m in _from(read, ctx.args.start)]
    if not messages:
        await _ask_for_paste(ctx)
        return
    whole = not pasted and not ctx.args.start
    await digest_reply(ctx, messages, private=ctx.args.private, catch_up=whole)


def _from(messages: list[ChatMessage], start: str) -> list[ChatMessage]:
    """The messages sent at ``start`` or later (all of them when ``start`` is empty)."""
    if not start:
        return messages
    first = float(start)
    return [m for m in messages if float(m.ts or 0) >= first]


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


async def _summarized_here(ctx: Context) -> Conversation | None:
    """The digest already posted in the thread this is asked in, if there is one."""
    thread = ctx.place.thread
    if thread is None:
        return None
    place = ctx.place
    conv = await ctx.store.conversation_at((place.platform, place.workspace, place.channel, thread))
    if conv is None or conv.kind != THREAD_KIND or DIGEST_STATE not in conv.params:
        return None
    return conv


async def digest_reply(
    ctx: Context, messages: list[ThreadMessage], *, private: bool = False, catch_up: bool = False
) -> Digest | None:
    """Summarize ``messages`` and post the digest, with Save when it proposes changes.

    ``catch_up``: in a thread already summarized, say what changed since that digest
    instead (with a Full summary button). Delivered privately (the Slack shortcut's
    choice), there is no placeholder, since an ephemeral message cannot be replaced, no
    button, and the thread's stored digest stays the one everyone saw."""
    before = await _summarized_here(ctx) if catch_up else None
    title = "Thread summary" if before is None else "Thread summary: what changed"
    handle = None
    if not private:
        handle = await ctx.reply(
            Reply(title=title, body=f"_Reading {len(messages):,} messages…_", partial=True)
        )

    async def progress(text: str, fraction: float | None) -> None:
        await ctx.responder.progress(text, fraction)

    names = await cast_names(ctx)
    try:
        if before is not None:
            state = before.params[DIGEST_STATE]
            digest, changes = await summarizers.summarize_catch_up(
                messages, ctx.engine, state, progress=progress, characters=names
            )
        else:
            digest = await summarizers.summarize_thread(
                messages, ctx.engine, progress=progress, characters=names
            )
            changes = None
    except CommandError as exc:
        if handle is None:
            raise
        await ctx.responder.update(handle, Reply.error(exc.message))
        return None
    for usage in digest.usage:
        await ctx.store.record_usage(ctx.place.story_key, ctx.author.id, usage)
    body = render_markdown(digest) if changes is None else render_catch_up(changes)
    if handle is None:
        await ctx.reply(Reply(title=title, body=body, footer=_footer(digest), private=True))
        return digest
    proposed = _changes(digest)
    if before is not None:  # only what the earlier digest did not already propose
        seen = {(c["text"], c["author"]) for c in before.params.get("story_changes") or []}
        proposed = [c for c in proposed if (c["text"], c["author"]) not in seen]
    conv = await _store_digest(ctx, handle.thread, body, digest, proposed, len(messages))
    actions: tuple[Action, ...] = ()
    if proposed:
        actions = (Action("save", "Save story changes to bible", str(conv.id)),)
    if changes is not None:
        actions += (Action("regenerate", "Full summary", str(conv.id)),)
    await ctx.responder.update(
        handle, Reply(title=title, body=body, actions=actions, footer=_footer(digest))
    )
    return digest


async def _store_digest(
    ctx: Context,
    thread: str,
    body: str,
    digest: Digest,
    proposed: list[dict[str, str]],
    count: int,
) -> Conversation:
    """Remember the digest in its thread: what it proposes (for Save) and what it said
    (for the next catch-up)."""
    story = await ctx.story()
    place = ctx.place
    thread_key = (place.platform, place.workspace, place.channel, thread)
    params: dict[str, Any] = {
        "story_changes": proposed,
        "messages": count,
        DIGEST_STATE: DigestState.of(digest).to_json(),
    }
    conv = await ctx.store.conversation_at(thread_key)
    if conv is not None and conv.kind in SUMMARY_KINDS:
        return await ctx.store.update_conversation(conv.id, body, {**conv.params, **params}, 0)
    return await ctx.store.create_conversation(thread_key, story.id, THREAD_KIND, body, params, 0)


def _footer(d: Digest) -> str:
    if d.extractive:
        label = "Offline extractive summary (no model configured): every point is quoted"
    else:
        label = f"Summarized by {d.engine}: every point names who said it"
    return f"{label} · /summarize thread again for what changes next"


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
    if what == "again":
        history = [ThreadMessage.of(m) for m in await ctx.responder.thread_history()]
        if history:
            await digest_reply(ctx, history)
            return
    raise CommandError(
        "This thread holds a summary. Say **save** to keep its story changes in the bible, "
        "**again** for the full summary, or run /summarize thread for what changed since."
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


SCENE_NUMBER = re.compile(r"\s*(?:scene\s*)?(?:no\.?\s*|#\s*)?(\d{1,4})\s*", re.IGNORECASE)
"""What /summarize scene takes for a scene of the script: "3", "#3", "scene 3"."""


@dataclass(frozen=True, slots=True)
class SceneArgs(DeliveredArgs):
    pasted: str = param(
        "A pasted scene, or a scene's number in the script (optional)", text=True, default=""
    )


async def summarize_scene(ctx: Context[SceneArgs]) -> None:
    title = "Scene summary"
    if number := SCENE_NUMBER.fullmatch(ctx.args.pasted):
        n = int(number.group(1))
        scene = await scene_numbered(ctx, n)
        if not scene.text.strip():
            raise CommandError(
                f"Scene {n}, **{short(scene.title, 80)}**, has no text yet. Write it with "
                f"/draft, or paste a scene after /summarize scene."
            )
        text, title = scene.text, f"Scene {n} · {short(scene.title, 80)} · summary"
    else:
        text = ctx.args.pasted or await _scene_text(ctx)
    summary = await summarizers.summarize_scene(text, ctx.engine)
    await ctx.reply(Reply(title=title, body=render_scene(summary), private=ctx.args.private))


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
    help="Summarize a thread, a channel's period, a scene or the story so far.",
    subcommands=(
        CommandSpec(
            name="thread",
            help="Decisions, open questions, action items and story changes of this thread.",
            handler=summarize_thread,
            args=ThreadArgs,
            job="text",
            needs_thread=True,
            examples=("/summarize thread", "/summarize thread Dana: lock the target\nTheo: on it"),
        ),
        CommandSpec(
            name="channel",
            help="Recap the channel's threads and messages over a period, thread by thread.",
            handler=summarize_channel,
            args=ChannelArgs,
            job="text",
            examples=(
                "/summarize channel",
                "/summarize channel since:monday",
                "/summarize channel since:2026-11-30",
            ),
        ),
        CommandSpec(
            name="scene",
            help="Who wants what, what changes, and the turn of a scene.",
            handler=summarize_scene,
            args=SceneArgs,
            job="text",
            examples=(
                "/summarize scene",
                "/summarize scene 3",
                "/summarize scene INT. AIRLOCK - DAY …",
            ),
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
