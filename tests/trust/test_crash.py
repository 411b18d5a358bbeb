"""Crash safety: SIGKILL in the middle of writes, SIGTERM with a job running, restarts.

The subprocesses run tests/trust/crashbot.py (a test-only entry point) and are always
killed and reaped, whatever the test's outcome.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.adapters.terminal import Terminal
from bot.app import open_app
from bot.jobs import REPORTED, UNREPORTED
from bot.recovery import encode
from bot.settings import Settings, load_settings
from commands.story import SetArgs
from core.models import JobRecord
from core.types import ACTION, ActionArgs, Author, Capabilities, Invocation, Place
from storage import open_store
from tests.bot.helpers import Session

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def child(*args: str, stdin: int | None = None) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.trust.crashbot", *args],
        cwd=ROOT,
        env=env,
        text=True,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def db_file(data_dir: Path) -> Path:
    return data_dir / "writersroom.db"


def test_sigkill_mid_writes_keeps_every_committed_revision(tmp_path: Path) -> None:
    committed: list[int] = []
    with child("writes", str(tmp_path)) as proc:
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        while len(committed) < 300 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("committed "):
                committed.append(int(line.split()[1]))
        assert len(committed) >= 300, proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)  # while it keeps writing
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_file(tmp_path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {r[0] for r in conn.execute("SELECT id FROM revisions")}
    finally:
        conn.close()
    assert set(committed) <= stored
    assert len(stored) >= len(committed)


def _say(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()


def _wait_for_engine(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "engine started" in line:
            return
        if not line and proc.poll() is not None:
            break
    raise AssertionError("the engine never started")


def _jobs(data_dir: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(db_file(data_dir))
    try:
        return conn.execute("SELECT command, state, error FROM jobs ORDER BY created_at").fetchall()
    finally:
        conn.close()


def test_sigterm_lets_a_running_job_finish_within_the_grace(tmp_path: Path) -> None:
    with child("shell", str(tmp_path), "1.0", "20", stdin=subprocess.PIPE) as proc:
        _say(proc, "/story set logline A diver finds a door under the reef")
        _say(proc, "/synopsis")
        _wait_for_engine(proc)
        proc.send_signal(signal.SIGTERM)
        out, _err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "== Synopsis" in out
    assert [state for _c, state, _e in _jobs(tmp_path)] == ["done", "done"]


async def test_sigterm_parks_a_job_that_outlives_the_grace_and_restart_reports_it(
    tmp_path: Path,
) -> None:
    with child("shell", str(tmp_path), "60", "0.3", stdin=subprocess.PIPE) as proc:
        _say(proc, "/synopsis")
        _wait_for_engine(proc)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(proc.wait, 20)
        assert time.monotonic() - started < 10
    assert proc.returncode == 0
    assert _jobs(tmp_path) == [("synopsis", "interrupted", UNREPORTED)]

    settings = load_settings({"WRITERSROOM_DATA_DIR": str(tmp_path)}, dotenv=None)
    async with open_app(settings) as app:
        s = Session(app)
        await s.term.resume()
        out = s.out.getvalue()
        assert "A restart interrupted /synopsis" in out
        (record,) = await app.store.jobs(["interrupted"])
        assert record.error == REPORTED
        # Reported once: a second start says nothing more.
        assert await app.jobs.pending() == []


async def _write_queued(settings: Settings, place: Place, line: str) -> JobRecord:
    """What a process that died right after acknowledging a command leaves behind."""
    store = await open_store(settings.db_path)
    try:
        inv = Invocation(
            "story",
            "set",
            SetArgs(field="logline", value=line),
            "",
            place,
            Author("u1", "Uma"),
            Capabilities(),
        )
        record = JobRecord(
            "q1",
            "quick",
            "story set",
            (*place.story_key, place.thread),
            "u1",
            "queued",
            time.time(),
            payload=encode(inv),
        )
        await store.save_job(record)
        return record
    finally:
        await store.close()


async def test_queued_jobs_run_after_a_restart_in_their_own_channel_only(
    settings: Settings,
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await _write_queued(settings, Place("terminal", "local", "writers"), "A queued logline")
    async with open_app(settings) as app:
        other = Session(app, channel="general")
        await other.term.resume()
        assert other.out.getvalue() == ""  # not this terminal's channel
        mine = Session(app, channel="writers")
        await mine.term.resume()
        assert "Logline is now: A queued logline" in mine.out.getvalue()
        story = await app.store.active_story(("terminal", "local", "writers"))
        assert story is not None and story.logline == "A queued logline"
        (done,) = await app.store.jobs(["done"])
        assert done.id == "q1"


async def test_retry_runs_an_interrupted_job_once_and_only_in_its_channel(
    settings: Settings,
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    place = Place("terminal", "local", "writers")
    await _write_queued(settings, place, "Retried logline")
    store = await open_store(settings.db_path)
    await store.set_job_state("q1", "interrupted", UNREPORTED)
    await store.close()
    async with open_app(settings) as app:
        s = Session(app, channel="writers")
        await s.term.resume()
        assert "A restart interrupted /story set" in s.out.getvalue()

        def press(channel: str) -> Invocation:
            return Invocation(
                ACTION,
                None,
                ActionArgs.of("retry", "q1"),
                "",
                Place("terminal", "local", channel),
                Author("u2", "Vic"),
            )

        elsewhere = Session(app, channel="general")
        responder = elsewhere.term
        assert isinstance(responder, Terminal)
        from bot.adapters.terminal import TerminalResponder

        out = TerminalResponder(elsewhere.out, press("general").place)
        assert await app.dispatcher.handle(press("general"), out) is None
        assert "not from this channel" in elsewhere.out.getvalue()

        here = TerminalResponder(s.out, place)
        job = await app.dispatcher.handle(press("writers"), here)
        assert job is not None
        await job.wait()
        story = await app.store.active_story(place.story_key)
        assert story is not None and story.logline == "Retried logline"
        assert await app.dispatcher.handle(press("writers"), here) is None
        assert "already retried" in s.out.getvalue()


@pytest.mark.parametrize("state", ["running", "queued"])
async def test_a_crash_leaves_nothing_the_next_start_ignores(
    settings: Settings, state: str
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await _write_queued(settings, Place("terminal", "local", "writers"), "x")
    store = await open_store(settings.db_path)
    if state == "running":
        await store.set_job_state("q1", "running")
    await store.close()
    async with open_app(settings) as app:
        (pending,) = await app.jobs.pending()
        assert (pending.id, pending.state) == ("q1", state)  # as the crash left it
        s = Session(app, channel="writers")
        await s.term.resume()
        if state == "running":
            assert "A restart interrupted /story set" in s.out.getvalue()
        else:
            assert "Logline is now: x" in s.out.getvalue()
        assert await app.jobs.pending() == []


async def test_a_command_that_arrives_during_shutdown_runs_after_the_restart(
    settings: Settings,
) -> None:
    from tests.adapters.slack.doubles import GatedEngine

    engine = GatedEngine()
    lifespan = open_app(settings, engine=engine, shutdown_grace=10)
    app = await lifespan.__aenter__()
    s = Session(app, channel="writers")
    first = asyncio.create_task(s.say("/synopsis logline"))
    await asyncio.wait_for(engine.started.wait(), 5)
    closing = asyncio.create_task(lifespan.__aexit__(None, None, None))
    for _ in range(500):  # until the grace has begun; the first job is still writing
        if app.jobs._stopping:
            break
        await asyncio.sleep(0.01)

    await asyncio.wait_for(s.say("/story set logline Arrived while closing"), 5)
    engine.gate.set()
    await asyncio.wait_for(asyncio.gather(first, closing), 10)

    states = {(r.command, r.state) for r in await _jobs_of(settings)}
    assert states == {("synopsis", "done"), ("story set", "queued")}  # saved, not run
    async with open_app(settings) as reopened:
        again = Session(reopened, channel="writers")
        await again.term.resume()
        story = await reopened.store.active_story(("terminal", "local", "writers"))
        assert story is not None and story.logline == "Arrived while closing"


async def _jobs_of(settings: Settings) -> list[JobRecord]:
    store = await open_store(settings.db_path)
    try:
        return await store.jobs(["queued", "running", "done", "interrupted", "failed"])
    finally:
        await store.close()
