"""Jobs: every command's record, so a restart (or another process) knows what was left."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import NotFound
from core.models import JobRecord, JobState
from storage.sql import Database, Row, marks

_FINISHED: tuple[JobState, ...] = ("done", "failed", "cancelled", "interrupted")
COLUMNS = (
    "id, kind, command, platform, workspace, channel, thread, author_id, state, "
    "created_at, started_at, finished_at, error, payload, owner, reply"
)


def job_row(row: Row) -> JobRecord:
    return JobRecord(
        id=row["id"],
        kind=row["kind"],
        command=row["command"],
        place=(row["platform"], row["workspace"], row["channel"], row["thread"]),
        author_id=row["author_id"],
        state=row["state"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        error=row["error"],
        payload=row["payload"],
        owner=row["owner"],
        reply=row["reply"],
    )


SAVE_JOB = f"""
    INSERT INTO jobs ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
        kind = excluded.kind, command = excluded.command, platform = excluded.platform,
        workspace = excluded.workspace, channel = excluded.channel, thread = excluded.thread,
        author_id = excluded.author_id, state = excluded.state,
        created_at = excluded.created_at, started_at = excluded.started_at,
        finished_at = excluded.finished_at, error = excluded.error,
        payload = excluded.payload, owner = excluded.owner,
        reply = coalesce(excluded.reply, jobs.reply)
"""
"""Insert a job, or overwrite every field of the one with its id."""


def job_params(job: JobRecord) -> tuple[object, ...]:
    return (
        job.id,
        job.kind,
        job.command,
        *job.place,
        job.author_id,
        job.state,
        job.created_at,
        job.started_at,
        job.finished_at,
        job.error,
        job.payload,
        job.owner,
        job.reply,
    )


class Jobs:
    """Job records (mixed into the store; needs ``_db``)."""

    _db: Database

    async def save_job(self, job: JobRecord) -> None:
        """Insert the job, or overwrite every field of the one with its id."""
        await self._db.execute(SAVE_JOB, job_params(job))

    async def set_job_state(self, job_id: str, state: JobState, error: str | None = None) -> None:
        """Move a job to ``state``; "running" stamps started_at once, a final state
        finished_at."""
        at = self._db.clock()
        started = at if state == "running" else None
        finished = at if state in _FINISHED else None
        rows = await self._db.execute(
            """
            UPDATE jobs SET state = ?, error = ?, started_at = coalesce(started_at, ?),
                            finished_at = coalesce(?, finished_at)
            WHERE id = ? RETURNING id
            """,
            (state, error, started, finished, job_id),
        )
        if not rows:
            raise NotFound(f"There is no job {job_id}.")

    async def set_job_reply(self, job_id: str, reply: str) -> None:
        """Remember the first message the job posted (a handle as JSON)."""
        await self._db.execute("UPDATE jobs SET reply = ? WHERE id = ?", (reply, job_id))

    async def take_interrupted(self, job_id: str) -> bool:
        """Mark an interrupted job retried (cancelled), once: True for the one caller
        that did it, False if it was not interrupted (anymore)."""
        rows = await self._db.execute(
            "UPDATE jobs SET state = 'cancelled', error = 'retried', finished_at = ? "
            "WHERE id = ? AND state = 'interrupted' RETURNING id",
            (self._db.clock(), job_id),
        )
        return bool(rows)

    async def job(self, job_id: str) -> JobRecord | None:
        rows = await self._db.query(f"SELECT {COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return job_row(rows[0]) if rows else None

    async def jobs_since(
        self, key: tuple[str, str, str], author_id: str, since: float
    ) -> list[JobRecord]:
        """The jobs ``author_id`` started in the channel ``key`` after ``since``, oldest
        first."""
        rows = await self._db.query(
            f"SELECT {COLUMNS} FROM jobs WHERE platform = ? AND workspace = ? AND channel = ? "
            "AND author_id = ? AND created_at > ? ORDER BY created_at, id",
            (*key, author_id, since),
        )
        return [job_row(r) for r in rows]

    async def jobs(self, states: Sequence[JobState]) -> list[JobRecord]:
        if not states:
            return []
        sql = f"SELECT {COLUMNS} FROM jobs WHERE state IN ({marks(states)}) ORDER BY created_at, id"
        return [job_row(r) for r in await self._db.query(sql, list(states))]
