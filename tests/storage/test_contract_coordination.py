"""Store contract: what several processes on one database share (storage/coordination.py).

Each test runs on SQLite and on PostgreSQL; the concurrent ones open two stores on one
database, as two processes would."""

from __future__ import annotations

import asyncio
import dataclasses
import traceback

import pytest

from core.models import JobRecord, JobState
from storage import coordination
from storage.accepted import AcceptedRequest
from storage.api import Store
from storage.coordination import Allowance, ProcessRecord
from storage.sql import UniqueViolation
from tests.storage.conftest import Opener

pytestmark = pytest.mark.timeout(30)

UNREPORTED = "interrupted; not reported yet"


def job(
    job_id: str,
    state: JobState = "queued",
    owner: str | None = None,
    platform: str = "slack",
    kind: str = "text",
    author: str = "U1",
) -> JobRecord:
    return JobRecord(
        job_id,
        kind,
        "synopsis",
        (platform, "T1", "C1", None),
        author,
        state,
        float(len(job_id)),
        owner=owner,
    )


def process(pid: str, until: float, platforms: tuple[str, ...] = ("slack",)) -> ProcessRecord:
    return ProcessRecord(pid, "host", 100, platforms, 0.0, until)


async def test_only_a_dead_owners_jobs_are_claimed(store: Store) -> None:
    await store.register_process(process("me", until=200.0))
    await store.register_process(process("alive", until=200.0))
    await store.register_process(process("dead", until=50.0))
    await store.save_job(job("a1", "running", owner="alive"))
    await store.save_job(job("d1", "running", owner="dead"))
    await store.save_job(job("d2", "queued", owner="dead"))
    await store.save_job(job("d3", "done", owner="dead"))
    await store.save_job(job("d4", "interrupted", owner="dead"))
    unreported = dataclasses.replace(job("d5", "interrupted", owner="dead"), error=UNREPORTED)
    await store.save_job(unreported)
    await store.save_job(job("x1", "running", owner="dead", platform="discord"))
    await store.save_job(job("nobody", "queued", owner=None))

    claimed = await store.claim_orphans("me", ["slack"], now=100.0, unreported=UNREPORTED)

    assert sorted(j.id for j in claimed) == ["d1", "d2", "d5", "nobody"]
    assert {j.id: j.state for j in claimed}["d1"] == "running"
    still = await store.job("a1")
    assert still is not None and still.owner == "alive"
    taken = await store.job("d1")
    assert taken is not None and taken.owner == "me"
    assert await store.claim_orphans("me", ["slack"], now=100.0, unreported=UNREPORTED) == []


async def test_two_survivors_claim_each_orphan_exactly_once(
    store: Store, open_driver: Opener
) -> None:
    other = await open_driver()
    await store.register_process(process("dead", until=1.0))
    await store.register_process(process("s1", until=1e9))
    await store.register_process(process("s2", until=1e9))
    for i in range(40):
        await store.save_job(job(f"j{i:02}", "running", owner="dead"))

    first, second = await asyncio.gather(
        store.claim_orphans("s1", ["slack"], 10.0, UNREPORTED),
        other.claim_orphans("s2", ["slack"], 10.0, UNREPORTED),
    )

    ids = [j.id for j in first] + [j.id for j in second]
    assert sorted(ids) == [f"j{i:02}" for i in range(40)]
    assert len(ids) == len(set(ids))


async def test_a_lease_is_renewed_ended_and_expired(store: Store) -> None:
    await store.register_process(process("p", until=10.0))
    assert await store.renew_process("p", 99.0, ["slack", "discord"])
    [found] = await store.processes()
    assert (found.lease_until, found.platforms) == (99.0, ("slack", "discord"))
    await store.expire_process("p")
    assert (await store.processes())[0].lease_until == 0
    await store.end_process("p")
    assert await store.processes() == []
    assert not await store.renew_process("p", 100.0)


async def test_cancel_is_requested_of_the_owner(store: Store) -> None:
    await store.save_job(job("j1", "running", owner="p1"))
    await store.save_job(job("j2", "done", owner="p1"))

    requested = await store.request_cancel("j1")

    assert requested is not None and requested.owner == "p1"
    assert await store.request_cancel("j2") is None
    assert await store.request_cancel("nope") is None
    assert await store.cancel_requests("p1") == ["j1"]
    assert await store.cancel_requests("p2") == []


async def test_an_event_is_first_seen_once_across_stores(store: Store, open_driver: Opener) -> None:
    other = await open_driver()
    results = await asyncio.gather(
        *((store if i % 2 else other).first_seen("Ev1", 100.0, keep=60.0) for i in range(10))
    )
    assert results.count(True) == 1
    assert not await store.first_seen("Ev1", 150.0, keep=60.0)
    assert await store.first_seen("Ev1", 161.0, keep=60.0)  # past the window: new again


def _one_token(capacity: float) -> object:
    def decide(bucket: Allowance | None, images: int) -> tuple[Allowance | None, str | None]:
        tokens = capacity if bucket is None else bucket.tokens
        if tokens < 1:
            return None, "slow down"
        return Allowance(tokens - 1, 0.0), None

    return decide


async def test_admission_is_atomic_across_stores(store: Store, open_driver: Opener) -> None:
    """Two processes admitting at once cannot both take the last token."""
    other = await open_driver()
    decide = _one_token(3)
    results = await asyncio.gather(
        *(
            (store if i % 2 else other).admit("rate:U1", job(f"j{i}"), decide)  # type: ignore[arg-type]
            for i in range(10)
        )
    )
    assert results.count(None) == 3
    assert len(await store.jobs(["queued"])) == 3


async def test_admission_counts_the_authors_image_jobs(store: Store) -> None:
    await store.save_job(job("i1", "running", kind="image"))
    await store.save_job(job("i2", "done", kind="image"))
    await store.save_job(job("i3", "queued", kind="image", author="U2"))
    seen: list[int] = []

    def decide(bucket: Allowance | None, images: int) -> tuple[Allowance | None, str | None]:
        seen.append(images)
        return None, None if images < 1 else "one at a time"

    refusal = await store.admit("k", job("i4", kind="image"), decide)

    assert seen == [1] and refusal == "one at a time"
    assert await store.job("i4") is None


async def test_a_bucket_changes_under_its_lock(store: Store, open_driver: Opener) -> None:
    other = await open_driver()

    def add_one(bucket: Allowance | None) -> tuple[Allowance, float]:
        tokens = (bucket.tokens if bucket else 0.0) + 1
        return Allowance(tokens, 0.0), tokens

    answers = await asyncio.gather(
        *((store if i % 2 else other).take("edits:T1", add_one) for i in range(20))
    )
    assert sorted(answers) == [float(n) for n in range(1, 21)]


async def test_a_task_lease_has_one_holder_at_a_time(store: Store) -> None:
    assert await store.hold_task("retention", "p1", now=0.0, until=60.0)
    assert not await store.hold_task("retention", "p2", now=30.0, until=90.0)
    assert await store.hold_task("retention", "p1", now=30.0, until=90.0)  # renewed
    assert await store.hold_task("retention", "p2", now=91.0, until=150.0)  # p1's ran out


async def test_task_leases_long_ended_are_pruned_and_live_ones_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A press holds a lease per message, button and person: ended ones must not pile up."""
    monkeypatch.setattr(coordination, "HOLD_PRUNE_EVERY", 4)
    later = 100.0 + coordination.LEASE_KEPT + 1.0  # a day past the old leases' ends
    for n in range(3):
        assert await store.hold_task(f"press:old{n}", "p1", now=10.0, until=100.0)
    assert await store.hold_task("press:live", "p1", now=later, until=later + 60.0)  # prunes
    database = store.database  # type: ignore[attr-defined]
    names = {str(r[0]) for r in await database.query("SELECT name FROM task_leases")}
    assert names == {"press:live"}
    assert not await store.hold_task("press:live", "p2", now=later + 1.0, until=later + 9.0)


def accepted(key: str, owner: str, at: float = 1.0) -> AcceptedRequest:
    return AcceptedRequest(key, "slack", owner, f"body of {key}", "application/json", at)


async def test_requests_kept_together_are_all_kept_or_none(store: Store) -> None:
    await store.register_process(process("dead", until=50.0))
    await store.accept_requests([])
    await store.accept_requests([accepted(f"r{n}", "dead", at=1.0 + n) for n in range(3)])
    with pytest.raises(UniqueViolation):  # r1 again: the whole group is refused
        await store.accept_requests([accepted("r9", "dead"), accepted("r1", "dead")])
    claimed = await store.claim_requests("s1", "slack", now=100.0)
    assert [r.key for r in claimed] == ["r0", "r1", "r2"]


async def test_requests_handled_together_lose_their_rows_in_one_go(store: Store) -> None:
    await store.register_process(process("dead", until=50.0))
    await store.accept_requests([accepted(f"r{n}", "dead", at=1.0 + n) for n in range(4)])
    await store.finish_requests([])
    await store.finish_requests(["r0", "r2", "r-never-kept"])
    claimed = await store.claim_requests("s1", "slack", now=100.0)
    assert [r.key for r in claimed] == ["r1", "r3"]


async def test_a_dead_owners_unhandled_requests_are_claimed_once(
    store: Store, open_driver: Opener
) -> None:
    for live in ("alive", "s1", "s2", "s3"):
        await store.register_process(process(live, until=200.0))
    await store.register_process(process("dead", until=50.0))
    await store.accept_request(accepted("r-live", "alive"))
    await store.accept_request(accepted("r-late", "dead", at=3.0))
    await store.accept_request(accepted("r-early", "dead", at=2.0))
    await store.accept_request(accepted("r-done", "dead"))
    await store.finish_request("r-done")
    await store.accept_request(accepted("r-job", "dead"))
    await store.save_job(job("r-job", "running", owner="dead"))  # its first job exists
    other = await open_driver()
    first, second = await asyncio.gather(
        store.claim_requests("s1", "slack", now=100.0),
        other.claim_requests("s2", "slack", now=100.0),
    )
    claimed = first + second
    assert [r.key for r in claimed] == ["r-early", "r-late"]
    assert {r.owner for r in claimed} == {"s1"} or {r.owner for r in claimed} == {"s2"}
    assert claimed[0].body == "body of r-early" and claimed[0].content_type == "application/json"
    assert await store.claim_requests("s3", "slack", now=100.0) == []  # claimed by a live one
    assert await store.claim_requests("s3", "discord", now=100.0) == []


async def test_an_event_claimed_by_a_request_is_new_again_for_that_request(store: Store) -> None:
    assert await store.first_seen("Ev9", 100.0, keep=60.0, claimant="r1")
    assert await store.first_seen("Ev9", 101.0, keep=60.0, claimant="r1")  # run again
    assert not await store.first_seen("Ev9", 102.0, keep=60.0, claimant="r2")
    assert not await store.first_seen("Ev9", 103.0, keep=60.0)


async def test_a_refused_write_quotes_none_of_the_values_it_refused(store: Store) -> None:
    """A refusal may reach a traceback in the log: it names the constraint, never the
    values (PostgreSQL's own message adds "DETAIL: Key (…)=(…)", which may be story text)."""
    marker = "a-key-that-stays-out-of-logs"
    await store.register_process(process("dead", until=50.0))
    await store.accept_requests([accepted(marker, "dead")])
    with pytest.raises(UniqueViolation) as refused:
        await store.accept_requests([accepted(marker, "dead")])
    logged = "".join(traceback.format_exception(refused.value))  # with its chain
    assert marker not in logged
    assert "accepted_requests" in logged or "unique" in logged.lower()  # still says what
