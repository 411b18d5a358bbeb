"""A request the HTTP door acknowledged is kept in the database until it is handled, so a
process that dies holding it does not lose it: a survivor's door runs it again, once
(bot/accepted.py, door.py)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from bot.adapters.slack.app import resume_jobs
from bot.adapters.slack.door import ACCEPT_WAIT, form_field
from core.models import JobRecord
from storage.accepted import AcceptedRequest
from storage.coordination import ProcessRecord
from tests.adapters.slack.conftest import BOT_USER, TEAM, OpenSlack, Slack, texts
from tests.adapters.slack.fake_slack import FakeSlack

FORM = "application/x-www-form-urlencoded"


async def _rows(slack: Slack) -> list[Any]:
    return list(
        await slack.app.store.requests_database.query("SELECT key, owner FROM accepted_requests")
    )


async def _dead_process(slack: Slack) -> str:
    dead = ProcessRecord("dead-proc", "other-host", 1, ("slack",), 0.0, time.time() - 100)
    await slack.app.store.register_process(dead)
    return dead.id


async def _kept_by_dead_process(slack: Slack, key: str, logline: str) -> None:
    """A ``/story set logline`` a dead process kept before its 200 and never handled."""
    owner = await _dead_process(slack)
    body = slack.command_body("story", f"set logline {logline}")
    await slack.app.store.accept_request(
        AcceptedRequest(key, "slack", owner, body, FORM, time.time() - 5)
    )


def _kept_in_flushes(slack: Slack) -> list[list[AcceptedRequest]]:
    """Each flush of accepted requests the door commits, as it commits them."""
    store = slack.app.store
    flushes: list[list[AcceptedRequest]] = []
    accept = store.accept_requests

    async def spy(requests: Sequence[AcceptedRequest]) -> None:
        await accept(requests)
        flushes.append(list(requests))

    store.accept_requests = spy  # type: ignore[method-assign]
    return flushes


def _logline_posts(fake: FakeSlack, logline: str) -> list[Any]:
    return [p for p in fake.posts() if f"is now: {logline}" in " ".join(texts(p["blocks"]))]


async def test_a_command_is_kept_before_its_ack_and_its_row_goes_once_handled(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        store = slack.app.store
        flushes = _kept_in_flushes(slack)
        sent = await slack.command("story", "set logline a heist on Mars")
        kept = [request for flush in flushes for request in flush]
        assert sent.status == 200 and len(kept) == 1  # written before the 200 came back
        assert kept[0].owner == slack.app.lease.id and "logline" in kept[0].body
        await slack.idle()
        assert await _rows(slack) == []
        [made] = [j for j in await store.jobs(["done"]) if j.command == "story set"]
        assert made.id == kept[0].key  # the request's first job takes its key
        assert len(_logline_posts(fake, "a heist on Mars")) == 1


async def test_a_burst_is_kept_in_fewer_commits_than_requests_each_before_its_ack(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        flushes = _kept_in_flushes(slack)
        loglines = [f"heist {n} of twelve" for n in range(12)]
        sent = await asyncio.gather(
            *(slack.command("story", f"set logline {line}", channel=f"CB{n}")
              for n, line in enumerate(loglines))
        )  # fmt: skip
        assert [r.status for r in sent] == [200] * 12
        commits = [len(f) for f in flushes]
        assert sum(commits) == 12 and len(commits) < 12  # together, and every one kept
        await slack.idle()
        assert await _rows(slack) == []
        for line in loglines:
            assert len(_logline_posts(fake, line)) == 1


async def test_a_bursts_handled_requests_lose_their_rows_together_once_the_lane_is_idle(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """Each handled request's row goes, but in a few statements for the burst, not one
    write each between the preparations of the requests still in the start lane."""
    async with open_slack() as slack:
        store = slack.app.store
        finished: list[list[str]] = []
        finish = store.finish_requests

        async def spy(keys: Sequence[str]) -> None:
            finished.append(list(keys))
            await finish(keys)

        store.finish_requests = spy  # type: ignore[method-assign]
        flushes = _kept_in_flushes(slack)
        sent = await asyncio.gather(
            *(slack.command("story", f"set logline caper {n} of ten", channel=f"CF{n}")
              for n in range(10))
        )  # fmt: skip
        assert [r.status for r in sent] == [200] * 10
        await slack.idle()
        kept = sorted(r.key for flush in flushes for r in flush)
        assert sorted(k for keys in finished for k in keys) == kept and len(kept) == 10
        assert len(finished) < 10
        assert await _rows(slack) == []


async def test_a_flush_stopped_while_it_waits_leaves_its_rows_to_the_next_one(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """A flush of handled rows cancelled while it waits for the lane (a shutdown's grace
    ran out) deletes nothing; the next handled request's flush takes its rows too."""
    async with open_slack() as slack:
        rt, lane = slack.runtime, slack.app.jobs.lane
        gate = asyncio.Event()

        async def after_the_queue(*_: Any, **__: Any) -> None:
            await gate.wait()

        lane.after_the_queue = after_the_queue  # type: ignore[method-assign]
        await slack.command("story", "set logline first of two")
        for _ in range(500):
            if rt._handled:
                break
            await asyncio.sleep(0.01)
        [flush] = [t for t in rt._tasks if t.get_name() == "slack-finish-requests"]
        flush.cancel()
        await asyncio.gather(flush, return_exceptions=True)
        assert len(await _rows(slack)) == 1  # still kept
        gate.set()
        await slack.command("story", "set logline second of two")
        await slack.idle()
        assert await _rows(slack) == []
        assert len(_logline_posts(fake, "first of two")) == 1


async def test_a_database_that_will_not_keep_the_burst_still_gets_every_request_answered(
    open_slack: OpenSlack, fake: FakeSlack, caplog: Any
) -> None:
    """Every request of a flush that fails is acknowledged and handled all the same, as
    without a row (and said at WARNING, without the request's text)."""
    async with open_slack() as slack:

        async def refuse(requests: Sequence[AcceptedRequest]) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        slack.app.store.accept_requests = refuse  # type: ignore[method-assign]
        sent = await asyncio.gather(
            *(slack.command("story", f"set logline refused {n} times", channel=f"CR{n}")
              for n in range(3))
        )  # fmt: skip
        assert [r.status for r in sent] == [200] * 3
        await slack.idle()
        for n in range(3):
            assert len(_logline_posts(fake, f"refused {n} times")) == 1
        warned = [r for r in caplog.records if "could not keep a request" in r.getMessage()]
        assert len(warned) == 3 and not any("refused" in r.getMessage() for r in warned)


async def test_a_database_too_slow_to_keep_a_request_does_not_hold_its_ack(
    open_slack: OpenSlack, fake: FakeSlack, caplog: Any
) -> None:
    """PostgreSQL down holds a write for its pool's timeout (10 s): Slack's 3 s would run
    out and it would retry. The ack goes after ACCEPT_WAIT, the request is handled, and
    the row the write makes late goes with the rest."""
    async with open_slack() as slack:
        store = slack.app.store
        accept = store.accept_requests

        async def slow(requests: Sequence[AcceptedRequest]) -> None:
            await asyncio.sleep(ACCEPT_WAIT + 2.5)
            await accept(requests)

        store.accept_requests = slow  # type: ignore[method-assign]
        started = time.monotonic()
        sent = await slack.command("story", "set logline kept late")
        waited = time.monotonic() - started
        assert sent.status == 200 and ACCEPT_WAIT <= waited < ACCEPT_WAIT + 2.0
        await slack.idle()
        await asyncio.sleep(2.7)  # the late write lands
        await slack.idle()
        assert len(_logline_posts(fake, "kept late")) == 1
        assert any("acknowledged first" in r.getMessage() for r in caplog.records)
    async with open_slack() as again:  # a survivor finds nothing of it to run again
        await resume_jobs(again.app, again.runtime)
        await again.idle()
        assert len(_logline_posts(fake, "kept late")) == 1


def test_a_form_field_reads_as_parse_qs_reads_it() -> None:
    body = (
        "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fstory"
        "&text=set+logline+a+%26+b%3Dc&ssl_check=&response_url=https%3A%2F%2Fh%2Fx"
    )
    form = parse_qs(body)
    for name in ("command", "text", "response_url", "team_id"):
        assert form_field(body, name) == form[name][0]
    assert form_field(body, "ssl_check") is None and "ssl_check" not in form  # blank: absent
    assert form_field(body, "payload") is None
    assert form_field("commands=/x&command=/story", "command") == "/story"


async def test_a_dead_processs_unhandled_command_is_run_once_by_a_survivor(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        await _kept_by_dead_process(slack, "req000000001", "the tape is a fake")
        await resume_jobs(slack.app, slack.runtime)
        await slack.idle()
        assert len(_logline_posts(fake, "the tape is a fake")) == 1
        job = await slack.app.store.job("req000000001")
        assert job is not None and job.state == "done"
        assert await _rows(slack) == []
        await resume_jobs(slack.app, slack.runtime)  # the next round finds nothing
        await slack.idle()
        assert len(_logline_posts(fake, "the tape is a fake")) == 1


async def test_a_request_whose_job_was_saved_is_left_to_the_jobs_takeover(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        await _kept_by_dead_process(slack, "req000000002", "already done")
        done = JobRecord(
            "req000000002", "quick", "story set", ("slack", TEAM, "C1", None), "U1", "done", 1.0
        )
        await slack.app.store.save_job(done)
        await resume_jobs(slack.app, slack.runtime)
        await slack.idle()
        assert _logline_posts(fake, "already done") == []
        assert await _rows(slack) == []


def _mention(event_id: str, ts: str) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0WR",
            "type": "event_callback",
            "event": {
                "type": "app_mention",
                "channel": "C1",
                "user": "U2",
                "team": TEAM,
                "text": f"<@{BOT_USER}> /story set logline {event_id}",
                "ts": ts,
                "event_ts": ts,
            },
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


async def test_a_replayed_event_is_not_a_repeat_of_itself_but_is_of_another(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """The dead process had claimed its mention as seen (a mention is claimed by its
    message): run again for the same request, it goes on. One that another request
    claimed (Slack's retry reached a process that answered it) is dropped: the room gets
    one answer."""
    async with open_slack() as slack:
        store = slack.app.store
        owner = await _dead_process(slack)
        now = time.time()
        for key, claimant in (("EvMine", "req000000003"), ("EvRetried", "someone-else")):
            ts = fake.next_ts()
            await store.first_seen(f"slack:message\x1f{TEAM}\x1fC1\x1f{ts}", now, 900.0, claimant)
            body = _mention(key, ts)
            request = AcceptedRequest(
                claimant if key == "EvMine" else "req000000004",
                "slack",
                owner,
                body,
                "application/json",
                now - 5,
            )
            await store.accept_request(request)
        await resume_jobs(slack.app, slack.runtime)
        await slack.idle()
        assert len(_logline_posts(fake, "EvMine")) == 1
        assert _logline_posts(fake, "EvRetried") == []
        assert await _rows(slack) == []


async def test_a_command_the_writer_typed_again_is_not_run_a_second_time(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """The process died after keeping the command, before its 200 reached Slack, which
    told the writer it failed; the writer typed it again. The survivor does not run the
    first one too."""
    async with open_slack() as slack:
        await _kept_by_dead_process(slack, "req000000005", "typed twice")
        await slack.command("story", "set logline typed twice")  # the writer, again
        await slack.idle()
        await slack.command("story", "set logline something else")  # not the same line
        await slack.idle()
        await resume_jobs(slack.app, slack.runtime)
        await slack.idle()
        assert len(_logline_posts(fake, "typed twice")) == 1
        assert await slack.app.store.job("req000000005") is None
        assert await _rows(slack) == []
