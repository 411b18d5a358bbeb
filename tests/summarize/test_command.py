"""/summarize through the dispatcher and through the terminal adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import App
from commands.summarize import ChannelArgs, ThreadArgs
from core.models import Character
from core.types import (
    ACTION,
    ActionArgs,
    Author,
    ChatMessage,
    HistoryThread,
    Invocation,
    MessageHandle,
    Place,
    Reply,
    Shown,
)
from tests.bot.helpers import Session
from tests.summarize.threads import FELIX, INES, NOOR, held_out_thread, thread

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
    inv = Invocation("summarize", "thread", ThreadArgs(), "/summarize thread", PLACE, DANA)
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
        "summarize", "thread", ThreadArgs(delivery="private"), "/summarize thread", PLACE, DANA
    )
    await run(app, inv, responder)
    [reply] = responder.posts
    assert reply.private and not reply.partial and reply.actions == ()
    assert responder.updates == []


async def test_summarize_thread_with_pasted_text(app: App) -> None:
    responder = ThreadResponder([])
    pasted = "Noor: we're going with the subway finale\nFelix: Oskar, can you mix it by Friday?"
    inv = Invocation("summarize", "thread", ThreadArgs(pasted=pasted), "", PLACE, DANA)
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


# --- the bible's cast, catch-up, channel recaps ------------------------------------------


class ChannelResponder(ThreadResponder):
    """A thread responder that also reads its channel over a period."""

    def __init__(self, history: list[ChatMessage], threads: list[HistoryThread]) -> None:
        super().__init__(history)
        self.threads = threads
        self.asked: list[tuple[datetime, int]] = []

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        self.asked.append((since, limit))
        return self.threads

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        return None


def kestrel_thread() -> list[ChatMessage]:
    return [
        ChatMessage(m.author, m.author_id, m.ts, m.text, m.link)
        for m in thread(
            (NOOR, "ok so the Kestrel scene: Vex opens the hatch and we hear the storm"),
            (FELIX, "we decided Vex keeps the key, not Jonah"),
            (INES, "love it. can Felix draft the hatch scene by Monday?"),
            (FELIX, "yes, monday"),
        )
    ]


async def test_the_bibles_characters_are_told_from_the_room(app: App) -> None:
    story = await app.store.ensure_story(PLACE.story_key, DANA)
    await app.store.add_character(story.id, Character(name="Jonah"), DANA)
    responder = ThreadResponder(kestrel_thread())
    inv = Invocation("summarize", "thread", ThreadArgs(), "/summarize thread", PLACE, DANA)
    await run(app, inv, responder)
    characters = responder.updates[-1].body.split("**Characters:**")[1]
    assert "Jonah" in characters and "Vex" in characters
    assert "Felix" not in characters and "Noor" not in characters


async def test_a_thread_summarized_again_says_what_changed_since(app: App) -> None:
    everything = history()
    responder = ThreadResponder(everything[:12])
    inv = Invocation("summarize", "thread", ThreadArgs(), "/summarize thread", PLACE, DANA)
    await run(app, inv, responder)
    first = responder.updates[-1]
    assert first.title == "Thread summary" and "12 messages" in first.body

    responder.history = everything
    await run(app, inv, responder)
    again = responder.updates[-1]
    assert again.title == "Thread summary: what changed"
    assert "**Since the last summary** · 15 new messages" in again.body
    assert "**New action items**" in again.body and "bramble_fox" in again.body
    assert "ok team, audio drama" not in again.body  # what the first digest said is not repeated
    assert [a.label for a in again.actions][-1] == "Full summary"

    responder.history = everything
    await run(app, inv, responder)
    assert "No new decisions, answers or action items" in responder.updates[-1].body

    full = again.actions[-1]
    await run(
        app,
        Invocation(ACTION, None, ActionArgs.of(full.kind, full.ref), "", PLACE, DANA),
        responder,
    )
    assert responder.updates[-1].title == "Thread summary"
    assert "27 messages" in responder.updates[-1].body


async def test_a_pasted_thread_is_never_a_catch_up(app: App) -> None:
    responder = ThreadResponder(history())
    inv = Invocation("summarize", "thread", ThreadArgs(), "/summarize thread", PLACE, DANA)
    await run(app, inv, responder)
    pasted = Invocation(
        "summarize", "thread", ThreadArgs(pasted="Noor: we keep the subway"), "", PLACE, DANA
    )
    await run(app, pasted, responder)
    assert responder.updates[-1].title == "Thread summary"
    assert "· 1 messages ·" in responder.updates[-1].body  # the paste, whole, not a catch-up


async def test_summarize_channel_recaps_each_thread_since_the_period(app: App) -> None:
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0)
    base = max(now.timestamp() - 3600, monday.timestamp() + 1)  # in the week on a Monday too
    old = f"{now.timestamp() - 9 * 86400:.6f}"

    def at(k: int) -> str:
        return f"{base + k * 60:.6f}"

    finale = tuple(
        ChatMessage(m.author, m.author_id, at(i), m.text, m.link)
        for i, m in enumerate(history()[:10])
    )
    stale = (ChatMessage("Noor Haddad", "U0NOOR", old, "this is from last week", None),)
    loose = (ChatMessage("Felix Moreau", "U0FELIX", at(30), "we decided: table read on Friday"),)
    responder = ChannelResponder(
        [],
        [
            HistoryThread(finale, link="https://example.slack.com/t1"),
            HistoryThread((*stale, *finale[:2]), title="Casting the detective"),
            HistoryThread(loose, loose=True),
        ],
    )
    args = ChannelArgs(since="monday")
    inv = Invocation("summarize", "channel", args, "/summarize channel", PLACE, DANA)
    await run(app, inv, responder)
    [reply] = responder.posts
    assert reply.title == "Channel recap" and not reply.private
    assert "**Channel recap** since" in reply.body and "3 threads" in reply.body
    assert "(https://example.slack.com/t1) · 10 messages" in reply.body
    # the thread started last week: named by its title, cut to the period
    assert "**Casting the detective** (https://example.slack.com/p0) · 2 messages" in reply.body
    assert "**In the channel** · 1 messages" in reply.body
    assert "last week" not in reply.body
    [(since, limit)] = responder.asked
    assert since.weekday() == 0 and since <= now and limit == 5_001


async def test_summarize_channel_with_a_bad_period_says_what_it_reads(app: App) -> None:
    responder = ChannelResponder([], [])
    inv = Invocation("summarize", "channel", ChannelArgs(since="next blue moon"), "", PLACE, DANA)
    await run(app, inv, responder)
    [reply] = responder.posts
    assert reply.tone == "error" and "since:yesterday" in reply.body
    assert responder.asked == []


async def test_summarize_channel_over_five_thousand_messages_keeps_the_newest(app: App) -> None:
    # Two hours ago, inside "since yesterday" at any time of day (since "today" is not,
    # before 02:00 UTC).
    start = datetime.now(UTC).timestamp() - 7200
    many = tuple(
        ChatMessage("Noor Haddad", "U0NOOR", f"{start + i:.6f}", f"note {i} about the finale")
        for i in range(5_001)
    )
    responder = ChannelResponder([], [HistoryThread(many)])
    inv = Invocation("summarize", "channel", ChannelArgs(since="yesterday"), "", PLACE, DANA)
    await run(app, inv, responder)
    [reply] = responder.posts
    assert "More than 5,000 messages" in reply.body and "5,000 messages" in reply.body


async def test_the_terminal_says_it_has_no_channel_to_recap(app: App) -> None:
    out = await Session(app).say("/summarize channel since:yesterday")
    assert "no channel history" in out and "Traceback" not in out


async def test_summarize_from_a_message_leaves_out_the_threads_earlier_messages(app: App) -> None:
    messages = kestrel_thread()
    responder = ThreadResponder(messages)
    args = ThreadArgs(start=messages[1].ts)
    inv = Invocation("summarize", "thread", args, "/summarize thread", PLACE, DANA)
    await run(app, inv, responder)
    digest = responder.updates[-1]
    assert "3 messages" in digest.body or "Vex keeps the key" in digest.body
    assert "we hear the storm" not in digest.body
    assert digest.title == "Thread summary"  # a part of a thread is never a catch-up


async def test_summarize_scene_takes_a_scene_of_the_script_by_its_number(app: App) -> None:
    """ "/summarize scene 2" (or "#2", "scene 2") is scene 2 as /scene list numbers it;
    it summarized the latest scene, reading "2" as a pasted one."""
    s = Session(app)
    for act, beat in ((1, "Isla finds the logbook"), (1, "Callum lies about the wreck")):
        await s.say(f"/outline add {act} {beat}")
    await s.say("/character new Isla role:protagonist the keeper's daughter")
    await s.say("/character new Callum role:antagonist the salvager")
    await s.say("/draft 1-2")
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    texts = [scene.text for scene in await app.store.scenes(story.id)]
    assert len(texts) == 2 and texts[0] != texts[1]

    for asked in ("/summarize scene 1", "/summarize scene #1", "/summarize scene scene 1"):
        out = await s.say(asked)
        assert "Scene 1 · Isla finds the logbook · summary" in out, out
        assert "Who wants what" in out
    second = await s.say("/summarize scene 2")
    assert "Scene 2 · Callum lies about the wreck · summary" in second
    assert second != out  # another scene's summary, not the latest scene's twice

    missing = await s.say("/summarize scene 9")
    assert "There is no scene 9 in the script; it has 2. See /scene list." in missing
