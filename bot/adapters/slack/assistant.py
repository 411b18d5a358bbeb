"""Slack's assistant side panel, where the app has it enabled.

- ``assistant_thread_started``: the panel opens a thread in the person's DM with the app;
  it gets suggested prompts drawn from the story of the channel the person is looking at
  (its beats, its cast: "Write the scene for beat 4", "Summarize today's threads"), and
  the thread remembers that channel (a conversation of kind ``assistant`` in the DM
  thread), so what is asked there works on that channel's story;
  ``assistant_thread_context_changed`` moves it to the channel looked at now.
- While a job runs in such a thread, its status says what it does (``status_of``, set
  by the responder with assistant.threads.setStatus).

Everything asked in the thread still goes through the dispatcher as a command line or a
follow-up; nothing here decides about the story.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.feedback import Made
from bot.adapters.slack.markup import escape_within, plain
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import PLATFORM
from core.models import Bible, Character
from core.types import Place

log = logging.getLogger(__name__)

KIND = "assistant"
"""The conversation kind of an assistant thread that works on a channel's story."""
MAX_PROMPTS = 4
_STATUS = {
    "dialogue": "is writing the scene…",
    "synopsis": "is writing the synopsis…",
    "outline": "is outlining the story…",
    "character": "is writing the character sheet…",
    "summarize": "is reading the thread…",
    "portrait": "is painting the portrait…",
    "story": "is reading the story bible…",
}
Body = Mapping[str, Any]


def status_of(made: Made | None) -> str:
    """What the thread's status says while a job runs (by the command that runs)."""
    command = (made.command if made is not None else "").split(" ")[0]
    return _STATUS.get(command, "is working on it…")


@dataclass(frozen=True, slots=True)
class Prompt:
    title: str
    message: str

    def payload(self) -> dict[str, str]:
        """As Slack takes it. The message is what the person sends by clicking it, so it
        is message text, escaped as all text the bot sends (it comes back unescaped as
        the command line); the title is shown as it is. A character's name or a beat
        with a mention or a broadcast in it pings nobody from either."""
        return {"title": plain(self.title)[:75], "message": escape_within(self.message, 4000)}


def suggested_prompts(bible: Bible | None) -> list[Prompt]:
    """Prompts drawn from a channel's story: the next beat to write, its cast, a recap."""
    if bible is None:
        return [
            Prompt("Start a story here", "/story new Untitled"),
            Prompt("Summarize today's threads", "/summarize channel since:today"),
            Prompt("What can you do?", "/help"),
        ]
    prompts: list[Prompt] = []
    beat = None
    if bible.beats:
        n = min(len(bible.scenes) + 1, len(bible.beats))
        beat = bible.beats[n - 1]
    cast = _cast(bible, beat.text if beat is not None else "")
    if beat is not None:
        who = " ".join(f'"{name}"' if " " in name else name for name in cast[:2])
        if who:
            title = f"Write the scene for beat {n}"
            prompts.append(Prompt(title, f"/dialogue {who}: {beat.text}"))
    else:
        prompts.append(Prompt("Outline the story", "/outline"))
    prompts.append(Prompt("Summarize today's threads", "/summarize channel since:today"))
    if cast:
        lead = cast[0]
        name = f'"{lead}"' if " " in lead else lead
        prompts.append(Prompt(f"Deepen {lead}'s backstory", f"/character develop {name} backstory"))
    prompts.append(Prompt("Write a synopsis", "/synopsis"))
    return prompts[:MAX_PROMPTS]


def _cast(bible: Bible, beat: str) -> list[str]:
    """The cast, those the beat names first, then the protagonist, then the rest."""
    text = beat.lower()

    def rank(c: Character) -> tuple[int, int, str]:
        named = c.name.lower() in text
        at = text.find(c.name.lower()) if named else len(text)
        return (0 if named else 1 if "protagonist" in c.role.lower() else 2, at, c.name)

    return [c.name for c in sorted(bible.characters, key=rank)]


def _thread_of(event: Body) -> tuple[str, str, str] | None:
    """(DM channel, thread, channel looked at) of an assistant thread event."""
    thread = event.get("assistant_thread") or {}
    context = thread.get("context") or {}
    channel, ts = thread.get("channel_id"), thread.get("thread_ts")
    if not channel or not ts:
        return None
    return str(channel), str(ts), str(context.get("channel_id") or "")


async def on_thread_started(rt: SlackRuntime, team: str, event: Body) -> None:
    """Offer prompts from the channel's story and remember which channel it is."""
    found = _thread_of(event)
    if found is None:
        return
    dm, thread, looked_at = found
    store = rt.app.store
    story = await store.active_story((PLATFORM, team, looked_at)) if looked_at else None
    bible = await store.bible(story.id) if story is not None else None
    if story is not None:
        await remember(rt, team, dm, thread, looked_at, story.id)
    client = await rt.client_for(team)
    try:
        await client.assistant_threads_setSuggestedPrompts(
            channel_id=dm,
            thread_ts=thread,
            title=plain(f"For {story.title}") if story is not None else "Try one of these",
            prompts=[p.payload() for p in suggested_prompts(bible)],
        )
    except SlackApiError as exc:
        log.info("suggested prompts refused: %s", exc.response.get("error"))


async def on_context_changed(rt: SlackRuntime, team: str, event: Body) -> None:
    """The person looks at another channel: the thread works on that one's story, or,
    where it has none, on none of a channel's (as a thread opened there starts): never
    on the channel looked at before, which they may no longer see."""
    found = _thread_of(event)
    if found is None or not found[2]:
        return
    dm, thread, looked_at = found
    story = await rt.app.store.active_story((PLATFORM, team, looked_at))
    if story is not None:
        await remember(rt, team, dm, thread, looked_at, story.id)
    else:
        await forget(rt, team, dm, thread)


async def remember(
    rt: SlackRuntime, team: str, dm: str, thread: str, channel: str, story_id: int
) -> None:
    key = (PLATFORM, team, dm, thread)
    store = rt.app.store
    params = {"channel": channel}
    conv = await store.conversation_at(key)
    if conv is not None and conv.kind == KIND:
        await store.update_conversation(conv.id, "", params, 0)
    elif conv is None:
        await store.create_conversation(key, story_id, KIND, "", params, 0)


async def forget(rt: SlackRuntime, team: str, dm: str, thread: str) -> None:
    """The thread no longer works on a channel (its conversation stays, channel-less)."""
    store = rt.app.store
    conv = await store.conversation_at((PLATFORM, team, dm, thread))
    if conv is not None and conv.kind == KIND and conv.params.get("channel"):
        await store.update_conversation(conv.id, "", {"channel": ""}, 0)


async def works_on(rt: SlackRuntime, place: Place) -> Place:
    """The place a request in ``place`` works on: in an assistant thread that remembers a
    channel, that channel (same thread); anywhere else, ``place`` itself."""
    if place.thread is None or not place.channel.startswith("D"):
        return place
    conv = await rt.app.store.conversation_at(
        (place.platform, place.workspace, place.channel, place.thread)
    )
    if conv is None or conv.kind != KIND or not conv.params.get("channel"):
        return place
    return Place(place.platform, place.workspace, str(conv.params["channel"]), place.thread)
