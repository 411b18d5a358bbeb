"""Jobs (so a restart knows what was interrupted) and token usage per channel."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import NotFound
from core.models import JobRecord, JobState, StoryKey, Usage
from storage.db import Database, Row

_FINISHED: tuple[JobState, ...] = ("done", "failed", "cancelled", "interrupted")
_COLUMNS = (
    "id, kind, command, platform, workspace, channel, thread, author_id, state, "
    "created_at, started_at, finished_at, error, payload"
)


def _job(row: Row) -> JobRecord:
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
    )


async def save_job(db: Database, job: JobRecord) -> None:
    """Insert the job, or overwrite every field of the one with its id."""
    await db.execute(
        f"""
        INSERT INTO jobs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind, command = excluded.command, platform = excluded.platform,
            workspace = excluded.workspace, channel = excluded.channel,
            thread = excluded.thread, author_id = excluded.author_id, state = excluded.state,
            created_at = excluded.created_at, started_at = excluded.started_at,
            finished_at = excluded.finished_at, error = excluded.error,
            payload = excluded.payload
        """,
        (
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
        ),
    )


async def set_job_state(db: Database, job_id: str, state: JobState, error: str | None) -> None:
    """Move a job to ``state``; "running" stamps started_at once, a final state finished_at."""
    at = db.clock()
    rows = await db.execute(
        """
        UPDATE jobs SET
            state = ?,
            error = ?,
            started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END,
            finished_at = CASE WHEN ? THEN ? ELSE finished_at END
        WHERE id = ? RETURNING id
        """,
        (state, error, state, at, state in _FINISHED, at, job_id),
    )
    if not rows:
        raise NotFound(f"There is no job {job_id}.")


async def jobs(db: Database, states: Sequence[JobState]) -> list[JobRecord]:
    if not states:
        return []
    marks = ", ".join("?" for _ in states)
    sql = f"SELECT {_COLUMNS} FROM jobs WHERE state IN ({marks}) ORDER BY created_at, id"
    return [_job(r) for r in await db.query(sql, list(states))]


async def record_usage(db: Database, key: StoryKey, user_id: str, usage: Usage) -> None:
    await db.execute(
        """
        INSERT INTO usage (platform, workspace, channel, user_id, engine, prompt_tokens,
                           completion_tokens, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (*key, user_id, usage.engine, usage.prompt_tokens, usage.completion_tokens, db.clock()),
    )


async def usage_totals(db: Database, key: StoryKey) -> dict[str, int]:
    sql = """
        SELECT coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), count(*)
        FROM usage WHERE platform = ? AND workspace = ? AND channel = ?
    """
    [row] = await db.query(sql, key)  # an aggregate always returns one row
    return {"prompt_tokens": int(row[0]), "completion_tokens": int(row[1]), "requests": int(row[2])}
