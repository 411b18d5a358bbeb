"""An image job as the queue sees it: a row of ``image_jobs``, and where it stands in line.

Plain data and the names every part of the queue shares (storage/queue/__init__.py says
how the queue works).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.sql import Row

QUEUE = "images"
TASK = "writersroom.image"
CHANNEL = "writersroom_images"
"""NOTIFY channel: ``<job id> state`` when a row changes state, ``<job id> step`` on progress."""
MAX_LOST = 1
"""Times a job goes back in line after its worker died; the next death fails it."""
FOLLOW_POLL = 2.0
"""Seconds between two looks at a followed job when no notification comes (and a sweep
for dead workers)."""
LOST_TWICE = (
    "The image worker stopped twice while making this image (out of memory, or the machine "
    "went away). Press Retry to try again, perhaps smaller or with fewer steps."
)
COLUMNS = (
    "job_id, queue_id, story_id, state, request, reply, worker, step, total, eta, preview, "
    "result, error, lost, enqueued_at, started_at, finished_at"
)
FINAL = ("done", "failed", "cancelled", "posted")
QUEUE_POOL_MAX = 4


@dataclass(frozen=True, slots=True)
class ImageJob:
    """One image job as the queue sees it (a row of ``image_jobs``)."""

    job_id: str
    story_id: int
    state: str
    request: dict[str, Any]
    """The image request and the file name to save under (JSON-able)."""
    reply: dict[str, Any]
    """Where the room's placeholder is (its handle and title), for the owning process."""
    queue_id: int | None = None
    worker: str = ""
    step: int = 0
    total: int = 0
    eta: float | None = None
    preview: str | None = None
    """The newest preview file, relative to the data directory."""
    result: dict[str, Any] | None = None
    error: str | None = None
    lost: int = 0
    enqueued_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def final(self) -> bool:
        return self.state in FINAL


@dataclass(frozen=True, slots=True)
class Line:
    """Where a queued job stands: ``ahead`` queued before it, ``running`` on the workers,
    ``devices`` live workers' devices, ``seconds`` a recent job's average (None: no
    history yet)."""

    ahead: int
    running: int
    devices: int
    seconds: float | None


def image_job(row: Row) -> ImageJob:
    return ImageJob(
        job_id=row["job_id"],
        queue_id=row["queue_id"],
        story_id=int(row["story_id"]),
        state=row["state"],
        request=json.loads(row["request"]),
        reply=json.loads(row["reply"] or "{}"),
        worker=row["worker"],
        step=int(row["step"]),
        total=int(row["total"]),
        eta=row["eta"],
        preview=row["preview"],
        result=json.loads(row["result"]) if row["result"] else None,
        error=row["error"],
        lost=int(row["lost"]),
        enqueued_at=row["enqueued_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )
