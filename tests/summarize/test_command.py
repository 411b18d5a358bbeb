"""/summarize through the dispatcher and through the terminal adapter."""

from __future__ import annotations

from typing import Any

from bot.app import App
from commands.summarize import PastedArgs
from core.types import (
    ACTION,
    ActionArgs,
    Author,
    ChatMessage,
    Invocation,
    MessageHandle,
    Place,
    Reply,
)
from tests.bot.helpers import Session
from tests.summarize.threads import held_out_thread

PLACE = Place("slack", "T1", "C1", "1700000000.000100")
DANA = Author("U0NOOR", "Noor Haddad")


class ThreadResponder:
    """A Responder whose thread has history, as the Slack and Discord adapters give it."""

    def __init__(self, history: list[ChatMessage]) -> None:
        self.history = history
        self.posts: list[Reply] = []
        self.updates: list[Reply] = []
        self.progressed: list[float | None] = []

    async def post(self, reply: Reply) -> MessageHandle:
        self.posts.append(reply)
        return MessageHandle(str(len(self.posts)), PLACE, PLACE.thread or "t")

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        self.updates.append(reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        self.progressed.append(fraction)

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return self.history[:limit]


def history() -> list[ChatMessage]:
    return [ChatMessage(m.author, m.author_id, m.ts, m.text, m.link) for m in held_out_thread()]


async def run(app: App, inv: Invocation, responder: Any) -> None:
    job = await app.dispatcher.handle(inv, responder)
    assert job is not None
    await job.wait()


async def test_summarize_thread_reads_the_thread_history_and_offers_save(app: App) -> None:
    responder = ThreadResponder(history())
    inv = Invocation("summarize", "thread", PastedArgs(), "/summarize thread", PLACE, DANA)
    await run(app, inv, responder)
    assert responder.posts[0].partial  # the placeholder, then the digest in its place
    [final] = responder.updates
    assert final.title == "Thread summary" and "27 messages" in final.body
    assert "**Decisions**" in final.body
    assert "— Noor Haddad (https://example.slack.com/p7)" in final.body
    [save] = final.actions
    assert save.kind == "save"
    await run(
        app,
        Invocation(ACTION, None, ActionArgs.of("save", save.ref), "", PLACE, DANA),
        responder,
    )
    assert "Saved" in responder.posts[-1].body
    story = await app.store.active_story(PLACE.story_key)
    assert story is not None
    notes = await app.store.notes(story.id)
    assert notes and all("(proposed by " in n.text for n in notes)


async def test_a_private_summary_is_one_private_reply_without_buttons(app: App) -> None:
    responder = ThreadResponder(history())
    inv = Invocation(
        "summarize", "thread", PastedArgs(delivery="private"), "/summarize thread", PLACE, DANA
    )
    await run(app, inv, responder)
    [reply] = responder.posts
    assert reply.private and not reply.partial and reply.actions == ()
    assert responder.updates == []


async def test_summarize_thread_with_pasted_text(app: App) -> None:
    responder = ThreadResponder([])
    pasted = "Noor: we're going with the subway finale\nFelix: Oskar, can you mix it by Friday?"
    inv = Invocation("summarize", "thread", PastedArgs(pasted=pasted), "", PLACE, DANA)
    await run(app, inv, responder)
    body = responder.updates[-1].body
    assert "2 messages" in body  # the pasted lines, read as messages by their speakers
    decisions = body.split("**Decisions**")[1].split("\n\n")[0]
    assert "subway finale" in decisions and "Noor" in decisions
    assert "Felix" not in decisions


async def test_the_terminal_summarizes_a_pasted_thread(app: App) -> None:
    session = Session(app, channel="audio-drama")
    asked = await session.say("/summarize thread")
    assert "paste it" in asked
    for m in held_out_thread():
        printed = await session.say(f"{m.author}: {m.text}")
        assert printed == ""  # pasted lines are collected quietly
    out = await session.say(".")
    assert "== Thread summary ==" in out and "27 messages" in out
    assert "Reversed or dropped" in out and "lighthouse" in out
    assert "bramble_fox: mix the subway ambience" in out
    assert "Open questions" in out and "Detective Amara Osei" in out
    saved = await session.say("save")
    assert "Saved" in saved and "story change" in saved


async def test_the_terminal_summarizes_the_scene_it_just_wrote_and_the_story(app: App) -> None:
    session = Session(app)
    await session.say("/character new Mara role:protagonist a salvage pilot who owes everyone")
    await session.say("/character new Jonah role:antagonist the harbour master")
    await session.say("/dialogue Mara Jonah: salvage rights, in the airlock")
    scene = await session.say("/summarize scene")
    assert "Who wants what" in scene and "Mara" in scene and "The turn" in scene
    story = await session.say("/summarize story")
    assert "Character arcs" in story and "Mara" in story and "Still undecided" in story
    assert "No outline yet" in story


async def test_summarize_scene_without_a_scene_says_what_to_do(app: App) -> None:
    out = await Session(app).say("/summarize scene")
    assert "/dialogue" in out


async def test_summarize_appears_in_help(app: App) -> None:
    out = await Session(app).say("/help summarize")
    assert "thread" in out and "scene" in out and "story" in out
