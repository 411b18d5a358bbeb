"""A worker killed mid-job, a cancel from the room, no worker at all: real processes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from commands.portrait_queue import NO_WORKER
from tests.workers.fleet import Proc, query, start_bot, start_worker, until, workers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def _row(url: str) -> tuple[str, str, int, int, int]:
    rows = query(url, "SELECT job_id, state, step, total, lost, worker FROM image_jobs")
    return rows[0] if rows else None  # type: ignore[return-value]


async def _character(bot: Proc, name: str, channel: str = "c1") -> None:
    await bot.send(op="run", ref="new", channel=channel, line=f"/character new {name}")
    await bot.wait_for(lambda: bot.of("finished", "new"))


async def test_a_worker_killed_mid_job_has_its_job_finished_by_the_other_answered_once(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with workers(pg_url, data, tiny_model, steps=60) as fleet:
        bot = await start_bot(pg_url, data, tiny_model)
        try:
            await _character(bot, "Mara")
            await bot.send(op="run", ref="p", channel="c1", line="/portrait Mara")
            row = await until(lambda: (r := _row(pg_url)) and r[1] == "running" and r[2] >= 2 and r)
            victim = next(w for w in fleet if f":{w.pid} " in row[5])
            os.kill(victim.pid, signal.SIGKILL)
            await bot.wait_for(lambda: bot.of("finished", "p"), within=120)
        finally:
            await bot.send(op="quit")
            await bot.stop()
    survivor = next(w for w in fleet if w is not victim)
    _, state, _, _, lost, worker = _row(pg_url)
    assert (state, lost) == ("posted", 1)
    assert f":{survivor.pid} " in worker
    finals = [e for e in bot.of("update", "p") if not e["partial"] and e["images"]]
    assert len(finals) == 1
    assert bot.of("finished", "p")[0]["state"] == "done"


async def test_cancel_from_the_room_stops_the_worker_within_a_step(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with workers(pg_url, data, tiny_model, steps=200, count=1) as (worker,):
        bot = await start_bot(pg_url, data, tiny_model)
        try:
            await _character(bot, "Mara")
            await bot.send(op="run", ref="p", channel="c1", line="/portrait Mara")
            row = await until(lambda: (r := _row(pg_url)) and r[1] == "running" and r[2] >= 3 and r)
            pressed = time.monotonic()
            await bot.send(op="press", ref="x", channel="c1", action="cancel", target=row[0])
            await until(lambda: _row(pg_url)[1] == "cancelled", within=10, every=0.02)
            stopped = time.monotonic() - pressed
            await bot.wait_for(lambda: bot.of("finished", "p"))
            # the worker goes on serving: the next portrait is made
            await bot.send(op="run", ref="q", channel="c1", line="/portrait Mara")
            await bot.wait_for(lambda: bot.of("finished", "q"), within=60)
        finally:
            await bot.send(op="quit")
            await bot.stop()
    state, step, total = query(
        pg_url, "SELECT state, step, total FROM image_jobs WHERE job_id = %s", (row[0],)
    )[0]
    assert state == "cancelled" and step < total
    assert stopped < 2.0, stopped  # a step is ~50 ms here; the rest is the round trip
    assert bot.of("finished", "p")[0]["state"] == "cancelled"
    assert any("Cancelled." in (e["body"] or "") for e in bot.of("update", "p"))
    finals = [e for e in bot.of("update", "q") if not e["partial"] and e["images"]]
    assert len(finals) == 1
    assert any("cancelled" in line.lower() or "aborted" in line.lower() for line in worker.lines)


async def test_with_no_worker_the_writer_is_told_and_nothing_is_queued(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    bot = await start_bot(pg_url, tmp_path / "data", tiny_model)
    try:
        await _character(bot, "Mara")
        await bot.send(op="run", ref="p", channel="c1", line="/portrait Mara")
        await bot.wait_for(lambda: bot.of("finished", "p"))
    finally:
        await bot.send(op="quit")
        await bot.stop()
    said = [e["body"] for e in bot.of("post", "p") + bot.of("update", "p")]
    assert any(NO_WORKER in (b or "") for b in said), said
    assert query(pg_url, "SELECT count(*) FROM image_jobs") == [(0,)]
    assert query(pg_url, "SELECT count(*) FROM procrastinate_jobs") == [(0,)]


async def test_a_queued_job_whose_workers_all_died_is_cancelled_when_the_room_asks(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    worker = await start_worker(pg_url, data, tiny_model, steps=200)
    bot = await start_bot(pg_url, data, tiny_model)
    try:
        await until(lambda: query(pg_url, "SELECT count(*) FROM procrastinate_workers")[0][0])
        await _character(bot, "Mara")
        await _character(bot, "Jonah", channel="c2")
        await bot.send(op="run", ref="a", channel="c1", line="/portrait Mara")
        await until(lambda: (r := _row(pg_url)) and r[1] == "running")
        await bot.send(op="run", ref="b", channel="c2", line="/portrait Jonah")
        await bot.wait_for(
            lambda: any("in line" in (e["body"] or "") for e in bot.of("update", "b"))
        )
        await worker.stop(signal.SIGKILL)
        # once the heartbeat has run out, the room is told no worker is there
        await bot.wait_for(
            lambda: any(NO_WORKER in (e["body"] or "") for e in bot.of("update", "b")), within=30
        )
        await until(
            lambda: len(query(pg_url, "SELECT 1 FROM image_jobs WHERE state = 'queued'")) == 2
        )
        queued = query(
            pg_url,
            "SELECT i.job_id, j.channel FROM image_jobs i JOIN jobs j ON j.id = i.job_id "
            "WHERE i.state = 'queued'",
        )
        for job_id, channel in queued:  # the room gives up: Cancel on each
            await bot.send(
                op="press", ref=f"x{job_id}", channel=channel, action="cancel", target=job_id
            )
        await bot.wait_for(lambda: bot.of("finished", "a") and bot.of("finished", "b"))
    finally:
        await bot.send(op="quit")
        await bot.stop()
        await worker.stop()
    assert bot.of("finished", "b")[0]["state"] == "cancelled"
    assert query(pg_url, "SELECT DISTINCT state FROM image_jobs") == [("cancelled",)]
    assert query(
        pg_url, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
    ) == [(0,)]


async def test_a_bot_process_that_dies_has_its_image_posted_by_the_one_that_takes_over(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with workers(pg_url, data, tiny_model, steps=60, count=1):
        first = await start_bot(pg_url, data, tiny_model)
        try:
            await _character(first, "Mara")
            await first.send(op="run", ref="p", channel="c1", line="/portrait Mara")
            await until(lambda: (r := _row(pg_url)) and r[1] == "running" and r[2] >= 2)
            placeholder = first.of("post", "p")[0]
        finally:
            await first.stop(signal.SIGKILL)
        second = await start_bot(pg_url, data, tiny_model)  # its start takes the job over
        try:
            await second.wait_for(
                lambda: [
                    e for e in second.of("update", "takeover") if e["images"] and not e["partial"]
                ],
                within=60,
            )
            await until(lambda: _row(pg_url)[1] == "posted", within=10)
        finally:
            await second.send(op="quit")
            await second.stop()
    finals = [e for e in second.of("update", "takeover") if e["images"] and not e["partial"]]
    assert len(finals) == 1
    assert (finals[0]["id"], finals[0]["thread"]) == (placeholder["id"], placeholder["thread"])
    assert not second.of("post", "takeover")  # no new message: the same one, edited
    assert query(pg_url, "SELECT state, lost FROM image_jobs") == [("posted", 0)]
    assert query(pg_url, "SELECT count(*) FROM images") == [(1,)]
