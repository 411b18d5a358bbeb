"""Leases: a live owner's jobs are left alone; once its lease runs out, the next sweep of a
survivor takes them over, once; a dead pid on this host ends its lease at once."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from bot.app import open_app
from bot.leases import dead_neighbours
from bot.recovery import encode
from bot.settings import Settings
from commands.story import SetArgs
from core.models import JobRecord
from core.types import Author, Capabilities, Invocation, Place
from storage.coordination import ProcessRecord
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)
PLACE = Place("terminal", "local", "writers")


def process(pid: str, host: str, number: int, until: float) -> ProcessRecord:
    return ProcessRecord(pid, host, number, ("terminal",), 0.0, until)


def test_dead_neighbours_are_this_hosts_other_pids_that_are_gone() -> None:
    me = process("me", "h1", 10, 100.0)
    others = [
        process("gone", "h1", 11, 100.0),
        process("alive", "h1", 12, 100.0),
        process("elsewhere", "h2", 13, 100.0),
        process("expired", "h1", 14, 5.0),
        process("same-pid", "h1", 10, 100.0),
    ]
    found = dead_neighbours([me, *others], me, now=50.0, alive=lambda pid: pid != 11)
    assert [p.id for p in found] == ["gone"]


def _job(owner: str) -> JobRecord:
    inv = Invocation(
        "story",
        "set",
        SetArgs(field="logline", value="Taken over"),
        "/story set logline Taken over",
        PLACE,
        Author("u1", "Uma"),
        Capabilities(),
    )
    return JobRecord(
        "j1",
        "quick",
        "story set",
        (*PLACE.story_key, None),
        "u1",
        "running",
        time.time(),
        payload=encode(inv),
        owner=owner,
    )


async def test_a_silent_owners_job_is_taken_over_once_its_lease_runs_out(
    settings: Settings,
) -> None:
    """Another machine's process stops renewing (no pid to look at): its running job is
    left alone while its lease runs, then reported by the survivor's sweep, once."""
    fast = dataclasses.replace(settings, job_lease=2.0)
    async with open_app(fast) as app:
        ghost = ProcessRecord("ghost", "other-host", 1, ("terminal",), 0.0, time.time() + 1.5)
        await app.store.register_process(ghost)
        await app.store.save_job(_job("ghost"))
        s = Session(app, channel="writers")
        await s.term.resume()
        assert "interrupted" not in s.out.getvalue()  # its owner's lease still runs
        t0 = time.monotonic()
        while "interrupted" not in s.out.getvalue():
            assert time.monotonic() - t0 < 2 * fast.job_lease + 1, "not taken over in time"
            await asyncio.sleep(0.05)
        await asyncio.sleep(fast.job_lease)  # more sweeps: nothing twice
        assert s.out.getvalue().count("A restart interrupted /story set") == 1
        record = await app.store.job("j1")
        assert record is not None and record.owner == app.lease.id


async def test_a_live_owners_job_is_never_touched(settings: Settings) -> None:
    fast = dataclasses.replace(settings, job_lease=2.0)
    async with open_app(fast) as app:
        alive = ProcessRecord("alive", "other-host", 1, ("terminal",), 0.0, time.time() + 60)
        await app.store.register_process(alive)
        await app.store.save_job(_job("alive"))
        s = Session(app, channel="writers")
        await s.term.resume()
        await asyncio.sleep(fast.job_lease)  # two sweeps
        record = await app.store.job("j1")
        assert record is not None and (record.owner, record.state) == ("alive", "running")
        assert s.out.getvalue() == ""


async def test_a_clean_shutdown_releases_the_lease_so_a_restart_resumes_at_once(
    settings: Settings,
) -> None:
    async with open_app(settings) as first:
        gone = first.lease.id
    async with open_app(settings) as second:
        assert gone not in {p.id for p in await second.store.processes()}
        assert second.lease.id in {p.id for p in await second.store.processes()}


async def test_a_failing_lease_round_is_said_once_and_tried_again_more_slowly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database refuses the renewals for 1.5 s: the rounds wait longer after each
    failure (no hot loop hammering it, no log line per try), and renew once it is back."""
    fast = dataclasses.replace(settings, job_lease=0.6)  # a renewal due every 0.2 s
    async with open_app(fast) as app:
        renew = app.store.renew_process
        tries: list[float] = []
        failing_until = time.monotonic() + 1.5

        async def refused(*args: object) -> bool:
            tries.append(time.monotonic())
            if time.monotonic() < failing_until:
                raise OSError("the database went away")
            return await renew(*args)

        monkeypatch.setattr(app.store, "renew_process", refused)
        with caplog.at_level("INFO", logger="bot.app"):
            await asyncio.sleep(2.6)
        failed = [r for r in caplog.records if r.getMessage().startswith("lease round failed")]
        assert len(failed) == 1
        assert any(r.getMessage() == "lease rounds work again" for r in caplog.records)
        during = [t for t in tries if t < failing_until]
        assert 2 <= len(during) <= 4  # 0.5 s, then 1 s between tries; not every loop turn
        assert len(tries) > len(during)  # renewed again once the database was back
        rows = {p.id: p for p in await app.store.processes()}
        assert rows[app.lease.id].lease_until > time.time()
