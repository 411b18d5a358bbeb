"""/story forget: everything of the channel goes, from the rows and from the file's bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.adapters.terminal import TerminalResponder
from bot.app import App
from commands.forget import BUTTON_MINUTES
from core.models import Location, Usage
from core.types import ACTION, Action, ActionArgs, Author, Capabilities, Invocation, Place
from tests.bot.helpers import Session
from tests.bot.test_dispatch import Recorder
from tests.pg import Cluster

pytestmark = pytest.mark.timeout(30)

PHRASE = "quokka-zeppelin-4417"
KEY = ("terminal", "local", "general")
OTHER = ("terminal", "local", "elsewhere")


def raw_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


async def plant(app: App, s: Session) -> None:
    """The phrase in every kind of thing a channel keeps."""
    await s.say(f"/story set logline A pilot hunts the {PHRASE} through the rings.")
    await s.say(f"/story set tone bleak, {PHRASE}")
    await s.say(f"/character new Mara pronouns:she/her role:pilot backstory:born on the {PHRASE}")
    await s.say("/character new Jonah")
    await s.say("/dialogue Mara Jonah: the airlock argument")
    await s.say("save")
    await s.say("/synopsis")
    await s.say(f"make it about the {PHRASE}")
    await s.say("/portrait Mara")
    story = await app.store.active_story(KEY)
    assert story is not None
    author = Author("terminal:dana", "dana", manager=True)
    await app.store.add_note(story.id, f"remember the {PHRASE}", author)
    await app.store.add_location(story.id, Location(name="Dock", description=PHRASE), author)
    await app.store.record_usage(KEY, "terminal:dana", Usage("fake", 10, 20))
    # An archived story of the channel holds it too.
    await s.say(f"/story new The {PHRASE} Affair")
    await s.say(f"/story set logline archived no more: {PHRASE}")


async def test_forget_without_confirm_warns_and_deletes_nothing(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara")
    out = await s.say("/story forget")
    assert "/story forget confirm" in out and "cannot be undone" in out
    assert "Forget everything" not in out  # no buttons in a terminal: typed words only
    assert "1 characters" in out
    story = await app.store.active_story(KEY)
    assert story is not None and len(await app.store.characters(story.id)) == 1


async def test_forget_confirm_deletes_every_row_file_and_byte_of_the_channel(app: App) -> None:
    s = Session(app)
    other = Session(app, channel="elsewhere")
    await plant(app, s)
    await other.say("/story set logline The other channel keeps its own story.")
    await other.say("/character new Ada")
    db = app.settings.db_path
    assert PHRASE.encode() in raw_bytes(db)
    image_dir = app.settings.data_dir / "images"
    files_before = [p for p in image_dir.rglob("*.png")]
    assert files_before

    out = await s.say("/story forget confirm")
    assert "Forgotten" in out and "2 stories" in out

    assert await app.store.stories(KEY) == []
    assert await app.store.latest_conversation(KEY) is None
    assert await app.store.usage_totals(KEY) == {
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "requests": 0,
    }
    jobs = await app.store.jobs(["queued", "running", "done", "failed", "cancelled"])
    assert all(j.place[:3] != KEY or j.command == "story forget" for j in jobs)
    assert not [p for p in image_dir.rglob("*.png")]
    data = raw_bytes(db)
    assert PHRASE.encode() not in data
    assert PHRASE.upper().encode() not in data  # the Fountain scene shouts names, not this

    # The other channel is untouched.
    kept = await app.store.active_story(OTHER)
    assert kept is not None and "own story" in kept.logline
    assert [c.name for c in await app.store.characters(kept.id)] == ["Ada"]
    # The channel starts fresh afterwards.
    assert "Untitled" in await s.say("/story show")


async def test_forget_survives_reopening_the_file(app: App) -> None:
    s = Session(app)
    await plant(app, s)
    await s.say("/story forget confirm")
    await app.store.close()
    assert PHRASE.encode() not in raw_bytes(app.settings.db_path)


async def test_forget_is_refused_to_writers_who_are_neither_creator_nor_manager(
    app: App,
) -> None:
    s = Session(app)
    await s.say(f"/story set logline {PHRASE}")
    place = Place(*KEY)
    buf = io.StringIO()
    responder = TerminalResponder(buf, place)
    guest = Author("terminal:guest", "guest", manager=False)
    job = await app.dispatcher.handle_text("/story forget confirm", place, guest, responder)
    if job is not None:
        await job.wait()
    assert "Only the story's creator or a channel manager" in buf.getvalue()
    story = await app.store.active_story(KEY)
    assert story is not None and PHRASE in story.logline


async def test_image_files_outside_the_data_dir_are_never_removed(tmp_path: Path) -> None:
    from commands.forget import remove_files

    data = tmp_path / "data"
    (data / "images" / "3").mkdir(parents=True)
    (data / "images" / "3" / "a.png").write_bytes(b"x")
    outside = tmp_path / "keep.png"
    outside.write_bytes(b"x")
    removed = remove_files(data, ("images/3/a.png", "../keep.png"), (3,))
    assert removed == 1 and outside.exists() and not (data / "images" / "3").exists()


async def test_store_forget_empties_the_write_ahead_log(tmp_path: Path) -> None:
    from storage import open_store

    path = tmp_path / "w.db"
    store = await open_store(path)
    try:
        author = Author("u1", "Ann")
        story = await store.ensure_story(KEY, author)
        await store.add_note(story.id, PHRASE * 50, author)  # spills to an overflow page
        conv = await store.create_conversation((*KEY, "t1"), story.id, "synopsis", PHRASE, {}, 1)
        await store.add_message(conv.id, "user", "Ann", PHRASE)
        assert PHRASE.encode() in raw_bytes(path)
        gone = await store.forget_channel(KEY)
        assert (gone.stories, gone.conversations, gone.messages) == (1, 1, 1)
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size == 0
        assert PHRASE.encode() not in raw_bytes(path)
    finally:
        await store.close()


async def test_forget_on_postgresql_leaves_no_text_in_the_table_files(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """Deleted rows in PostgreSQL stay in the table files, marked dead, until the space is
    reused; forget rewrites the tables it touched, so the text is gone from base/."""
    from storage import open_store

    store = await open_store(pg_url)
    dbname = pg_url.rsplit("/", 1)[1]
    needle = PHRASE.encode()

    def on_disk() -> bool:
        return any(needle in path.read_bytes() for path in pg_cluster.files(dbname))

    try:
        author = Author("u1", "Ann")
        story = await store.ensure_story(KEY, author)
        await store.add_note(story.id, PHRASE * 400, author)  # long enough to be TOASTed
        await store.add_location(story.id, Location(PHRASE), author)
        conv = await store.create_conversation((*KEY, "t1"), story.id, "synopsis", PHRASE, {}, 1)
        await store.add_message(conv.id, "user", "Ann", PHRASE)
        await store.database.execute("CHECKPOINT")
        assert on_disk()
        kept = await store.ensure_story(("terminal", "local", "other"), author)
        await store.add_note(kept.id, "another channel keeps this", author)

        gone = await store.forget_channel(KEY)

        assert (gone.stories, gone.conversations, gone.messages) == (1, 1, 1)
        await store.database.execute("CHECKPOINT")
        assert not on_disk()
        assert [n.text for n in await store.notes(kept.id)] == ["another channel keeps this"]
    finally:
        await store.close()


class _Gate:
    """An engine that holds its draft until released, so a job is mid-flight."""

    name = "gate"

    def __init__(self) -> None:
        import asyncio

        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def write(self, task, on_text=None):  # type: ignore[no-untyped-def]
        from generation.base import Draft

        self.entered.set()
        await self.release.wait()
        return Draft(
            text="A story that should never come back.",
            engine=self.name,
            usage=Usage(self.name, 120, 80),
        )


async def test_forget_stops_the_channels_running_drafts_first(make_app) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    gate = _Gate()
    async with make_app(engine=gate) as app:
        s = Session(app, channel="room")
        await s.say("/story set logline A planted logline")
        drafting = asyncio.create_task(s.say("/synopsis"))
        await asyncio.wait_for(gate.entered.wait(), 5)
        out = await Session(app, channel="room").say("/story forget confirm")
        assert "Forgotten" in out
        gate.release.set()
        await asyncio.wait_for(drafting, 5)
        key = ("terminal", "local", "room")
        assert await app.store.stories(key) == []
        assert await app.store.latest_conversation(key) is None
        assert not any((await app.store.usage_totals(key)).values())  # no usage after forget
        assert not [j for j in app.jobs.running() if j.record.place[2] == "room"]


async def test_forget_removes_the_channels_exports_too(app: App) -> None:
    s = Session(app, channel="room")
    await s.say("/story set logline A logline to export")
    out = await s.say("/story export markdown")
    folder = app.settings.data_dir / "exports"
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert written, out
    other = Session(app, channel="elsewhere")
    await other.say("/story set logline Another room")
    await other.say("/story export json")
    await s.say("/story forget confirm")
    left = [p for p in folder.rglob("*") if p.is_file()]
    assert left and all("elsewhere" in str(p) for p in left)


async def _press(app: App, action: Action, author: Author) -> Recorder:
    rec = Recorder()
    inv = Invocation(ACTION, None, ActionArgs.of(action.kind, action.ref), "", Place(*KEY), author)
    job = await app.dispatcher.handle(inv, rec)
    if job is not None:
        await job.wait()
    return rec


async def _warning_button(app: App) -> Action:
    rec = Recorder()
    job = await app.dispatcher.handle_text(
        "/story forget", Place(*KEY), DANA, rec, Capabilities(buttons=True)
    )
    assert job is not None
    await job.wait()
    (warning,) = rec.final()
    (button,) = warning.actions
    assert button.kind == "forget" and "Forget everything" in warning.body
    return button


DANA = Author("terminal:dana", "dana", manager=True)


async def test_the_warnings_button_forgets_for_whoever_may_run_the_command(app: App) -> None:
    s = Session(app)
    await s.say(f"/story set logline {PHRASE}")
    button = await _warning_button(app)

    guest = await _press(app, button, Author("terminal:guest", "guest", manager=False))
    assert "Only the story's creator or a channel manager" in guest.final()[-1].body
    assert await app.store.stories(KEY) != []

    done = await _press(app, button, DANA)
    assert "Forgotten" in done.final()[-1].body
    assert await app.store.stories(KEY) == []


@pytest.mark.parametrize("ref", ["expired", "garbage", "future"])
async def test_a_stale_or_forged_button_deletes_nothing(app: App, ref: str) -> None:
    s = Session(app)
    await s.say(f"/story set logline {PHRASE}")
    button = await _warning_button(app)
    shown = int(button.ref)
    forged = {
        "expired": str(shown - BUTTON_MINUTES * 60 - 5),
        "garbage": "x1; DROP TABLE stories",
        "future": str(shown + 3600),
    }[ref]
    rec = await _press(app, Action("forget", "Forget everything", forged), DANA)
    assert "nothing was deleted" in rec.final()[-1].body
    story = await app.store.active_story(KEY)
    assert story is not None and PHRASE in story.logline
