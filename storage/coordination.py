"""What several bot processes on one database must agree on, kept in the database.

- **Processes and leases**: each process has a row it renews; a job records its owner,
  and ``claim_orphans`` hands a dead owner's jobs to exactly one survivor (one UPDATE:
  on PostgreSQL the second claimer waits for the first's row locks, then finds the rows
  owned by a live process and passes them over; on SQLite writers take turns anyway).
- **Cancel from anywhere**: ``request_cancel`` marks the job; its owner picks it up
  (``cancel_requests``), woken at once where the database can notify.
- **Events seen once** (``first_seen``): an insert-if-absent before the work starts, so a
  Slack retry reaching another process is dropped there.
- **Accepted requests** (storage/accepted.py): a request kept from its acknowledgment
  until it is handled.
- **Token buckets** every process draws from (``admit``, ``take``): the rule is a plain
  function the caller passes (bot/limits.py); the row is changed under a named lock in
  one transaction, and ``admit`` saves the job in the same transaction, so two requests
  at once on two processes cannot both pass a cap.
- **Once-only work** (``hold_task``): one holder at a time until its lease ends.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from core.models import JobRecord, JobState
from storage.jobs import COLUMNS, SAVE_JOB, job_params, job_row
from storage.sql import Database, Row, Tx, marks

T = TypeVar("T")

CANCEL_CHANNEL = "writersroom_cancel"
SEEN_PRUNE_EVERY = 500
"""Inserts between two prunings of expired event keys."""
HOLD_PRUNE_EVERY = 500
"""Holds between two prunings of task leases that ended (a button's press holds one per
message, button and person: bot/adapters/presses.py)."""
LEASE_KEPT = 86_400.0
"""Seconds an ended task lease is kept before a pruning deletes it (an ended lease means
nothing: deleting it changes no answer of ``hold_task``)."""


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    id: str
    host: str
    pid: int
    platforms: tuple[str, ...]
    started_at: float
    lease_until: float


@dataclass(frozen=True, slots=True)
class Allowance:
    """A token bucket's state: ``tokens`` left at time ``at``."""

    tokens: float
    at: float


Decide = Callable[[Allowance | None, int], tuple[Allowance | None, str | None]]
"""Given the bucket (None: never used) and how many image jobs the person has queued or
running, the new bucket (None: unchanged) and a refusal (None: admitted)."""


def _process(row: Row) -> ProcessRecord:
    platforms = tuple(p for p in str(row["platforms"]).split(",") if p)
    return ProcessRecord(
        row["id"], row["host"], int(row["pid"]), platforms, row["started_at"], row["lease_until"]
    )


_BUCKET = "SELECT tokens, at FROM buckets WHERE key = ?"


def _allowance(row: Row | None) -> Allowance | None:
    return None if row is None else Allowance(float(row[0]), float(row[1]))


async def _bucket(tx: Tx, key: str) -> Allowance | None:
    return _allowance(await tx.fetchone(_BUCKET, (key,)))


async def _save_bucket(tx: Tx, key: str, bucket: Allowance) -> None:
    await tx.fetchall(
        "INSERT INTO buckets (key, tokens, at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, at = excluded.at",
        (key, bucket.tokens, bucket.at),
    )


TAKE_TRIES = 50
"""Compare-and-set tries of ``take`` before it gives up (each try loses only to another
draw that succeeded)."""


class Coordination:
    """Shared state of the processes on one database (mixed into the store; needs ``_db``)."""

    _db: Database
    _seen_inserts: int = 0
    _holds: int = 0

    # --- processes and their jobs ---------------------------------------------------
    async def register_process(self, process: ProcessRecord) -> None:
        await self._db.execute(
            "INSERT INTO processes (id, host, pid, platforms, started_at, lease_until) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "platforms = excluded.platforms, lease_until = excluded.lease_until",
            (
                process.id,
                process.host,
                process.pid,
                ",".join(process.platforms),
                process.started_at,
                process.lease_until,
            ),
        )

    async def renew_process(
        self, process_id: str, until: float, platforms: Sequence[str] | None = None
    ) -> bool:
        """Extend the lease (and update what it answers for); False if the row is gone."""
        if platforms is None:
            rows = await self._db.execute(
                "UPDATE processes SET lease_until = ? WHERE id = ? RETURNING id",
                (until, process_id),
            )
        else:
            rows = await self._db.execute(
                "UPDATE processes SET lease_until = ?, platforms = ? WHERE id = ? RETURNING id",
                (until, ",".join(platforms), process_id),
            )
        return bool(rows)

    async def end_process(self, process_id: str) -> None:
        """The process is gone (a clean shutdown): its parked jobs are free to take over."""
        await self._db.execute("DELETE FROM processes WHERE id = ?", (process_id,))

    async def expire_process(self, process_id: str) -> None:
        """Known dead (its pid is gone on this host): its lease ends now."""
        await self._db.execute("UPDATE processes SET lease_until = 0 WHERE id = ?", (process_id,))

    async def processes(self) -> list[ProcessRecord]:
        rows = await self._db.query(
            "SELECT id, host, pid, platforms, started_at, lease_until FROM processes "
            "ORDER BY started_at, id"
        )
        return [_process(r) for r in rows]

    async def claim_orphans(
        self, owner: str, platforms: Sequence[str], now: float, unreported: str
    ) -> list[JobRecord]:
        """Make ``owner`` the owner of every job of ``platforms`` that is queued, running,
        or interrupted with error ``unreported``, whose owner holds no live lease; returns
        them (with their state as it was), oldest first. Each job is claimed once."""
        if not platforms:
            return []
        rows = await self._db.execute(
            f"""
            UPDATE jobs SET owner = ?
            WHERE platform IN ({marks(platforms)})
              AND (state IN ('queued', 'running') OR (state = 'interrupted' AND error = ?))
              AND (owner IS NULL
                   OR owner NOT IN (SELECT id FROM processes WHERE lease_until >= ?))
            RETURNING {COLUMNS}
            """,
            (owner, *platforms, unreported, now),
        )
        return sorted((job_row(r) for r in rows), key=lambda j: (j.created_at, j.id))

    async def release_jobs(self, job_ids: Sequence[str], owner: str) -> None:
        """Give claimed jobs back (this process cannot answer their place: another shard's
        guild, another terminal's channel), for a process that can to take."""
        if job_ids:
            await self._db.execute(
                f"UPDATE jobs SET owner = NULL WHERE owner = ? AND id IN ({marks(job_ids)})",
                (owner, *job_ids),
            )

    async def request_cancel(self, job_id: str) -> JobRecord | None:
        """Ask the job's owner to stop it; returns the job if it was still queued or running."""
        rows = await self._db.execute(
            f"UPDATE jobs SET cancel_requested = 1 WHERE id = ? "
            f"AND state IN ('queued', 'running') RETURNING {COLUMNS}",
            (job_id,),
        )
        if rows:
            await self._db.notify(CANCEL_CHANNEL, job_id)
        return job_row(rows[0]) if rows else None

    def cancel_wakeups(self) -> AsyncGenerator[str, None] | None:
        """Job ids as cancels are requested, where the database can notify (PostgreSQL's
        LISTEN); None where callers must poll ``cancel_requests``."""
        return self._db.listen(CANCEL_CHANNEL)

    async def cancel_requests(self, owner: str) -> list[str]:
        """Ids of ``owner``'s queued or running jobs that someone asked to cancel."""
        rows = await self._db.query(
            "SELECT id FROM jobs WHERE owner = ? AND cancel_requested = 1 "
            "AND state IN ('queued', 'running') ORDER BY created_at, id",
            (owner,),
        )
        return [str(r[0]) for r in rows]

    # --- events seen once -----------------------------------------------------------
    async def first_seen(
        self, key: str, now: float, keep: float, claimant: str | None = None
    ) -> bool:
        """True the first time ``key`` is claimed (by any process) within ``keep`` seconds,
        and again for the same ``claimant`` (an accepted request run again by a survivor
        is not a repeat of itself)."""
        rows = await self._db.execute(
            "INSERT INTO seen_events (key, at, claimant) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET at = excluded.at, claimant = excluded.claimant "
            "WHERE seen_events.at < ? OR seen_events.claimant = excluded.claimant "
            "RETURNING key",
            (key, now, claimant, now - keep),
        )
        self._seen_inserts += 1
        if self._seen_inserts % SEEN_PRUNE_EVERY == 0:
            await self._db.execute("DELETE FROM seen_events WHERE at < ?", (now - keep,))
        return bool(rows)

    # --- buckets --------------------------------------------------------------------
    async def take(
        self, key: str, decide: Callable[[Allowance | None], tuple[Allowance | None, T]]
    ) -> T:
        """Change the bucket ``key`` by ``decide`` (a plain rule), as if under its lock;
        a rule that returns no bucket leaves it as it was (a refusal is one read).

        Read, decide, then write only if the bucket is still what was read (compare and
        set): one read and one statement, no transaction, so on SQLite both run on the
        loop's own connections while the file is free, and under a burst a draw never
        holds the file across turns of the loop. A draw another process made in between
        makes this one read again (after a short random pause once it has lost twice);
        one of the racers always wins, and no draw is ever lost."""
        db = self._db
        for attempt in range(TAKE_TRIES):
            rows = await db.query(_BUCKET, (key,))
            seen = _allowance(rows[0] if rows else None)
            bucket, answer = decide(seen)
            if bucket is None:
                return answer
            if seen is None:
                written = await db.execute(
                    "INSERT INTO buckets (key, tokens, at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO NOTHING RETURNING key",
                    (key, bucket.tokens, bucket.at),
                )
            else:
                written = await db.execute(
                    "UPDATE buckets SET tokens = ?, at = ? "
                    "WHERE key = ? AND tokens = ? AND at = ? RETURNING key",
                    (bucket.tokens, bucket.at, key, seen.tokens, seen.at),
                )
            if written:
                return answer
            if attempt >= 1:
                await asyncio.sleep(random.uniform(0, 0.001 * attempt))
        raise TimeoutError(f"the bucket {key} changed under {TAKE_TRIES} draws in a row")

    async def admit(
        self,
        key: str,
        job: JobRecord,
        decide: Decide,
        *,
        states: Sequence[JobState] = ("queued", "running"),
    ) -> str | None:
        """Judge a new job by the bucket ``key`` and its author's image jobs in ``states``;
        if ``decide`` admits it, save the bucket and the job together. Returns the
        refusal, or None (then the job row exists)."""
        db = self._db
        platform, workspace = job.place[0], job.place[1]
        async with db.write() as tx:
            await db.lock(tx, "bucket:" + key)
            rows = await tx.fetchall(
                "SELECT count(*) FROM jobs WHERE platform = ? AND workspace = ? "
                f"AND author_id = ? AND kind = 'image' AND state IN ({marks(states)})",
                (platform, workspace, job.author_id, *states),
            )
            bucket, refusal = decide(await _bucket(tx, key), int(rows[0][0]))
            if refusal is not None:
                return refusal
            if bucket is not None:
                await _save_bucket(tx, key, bucket)
            await tx.fetchall(SAVE_JOB, job_params(job))
            return None

    # --- once-only work -------------------------------------------------------------
    async def hold_task(self, name: str, holder: str, now: float, until: float) -> bool:
        """Take (or keep) the lease on task ``name`` until ``until``; False while another
        holder's lease runs."""
        rows = await self._db.execute(
            "INSERT INTO task_leases (name, holder, until) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until "
            "WHERE task_leases.holder = excluded.holder OR task_leases.until < ? "
            "RETURNING holder",
            (name, holder, until, now),
        )
        self._holds += 1
        if self._holds % HOLD_PRUNE_EVERY == 0:
            await self._db.execute("DELETE FROM task_leases WHERE until < ?", (now - LEASE_KEPT,))
        return bool(rows)
