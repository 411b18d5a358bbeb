"""The request being handled, when an adapter accepted it durably before acknowledging it.

An adapter that acknowledges a request before handling it (Slack's HTTP door) first
writes it to the database (``Store.accept_request``), then handles it in a context that
carries its ``Accepted``: every task started for it inherits that context, so without
passing it through every call,

- the first job the request makes takes the request's key as its id (``job_id``), which
  is how a survivor taking over a dead process's requests knows one whose job was saved
  (that job's own takeover answers for it: the request is not run twice);
- the events it claims as seen are claimed for it (``claimant``), so a survivor running
  it again is not dropped as a repeat of itself;
- the adapter deletes the row once the work it started has all ended.

``Acceptor`` writes the rows: the requests that arrive together (a burst, read from the
sockets in one turn of the event loop) share one transaction, and each acknowledgment
still waits for its own row's commit.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass

from bot.jobs import new_job_id
from storage.accepted import AcceptedRequest
from storage.api import Store


@dataclass(slots=True)
class Accepted:
    key: str
    job_taken: bool = False
    """Whether a job took the key as its id (a request's later jobs get new ids)."""
    pending: int = 0
    """Tasks started for the request that have not ended (the adapter counts them)."""


CURRENT: ContextVar[Accepted | None] = ContextVar("accepted_request", default=None)


def job_id() -> str:
    """A new job's id: the key of the request being handled, for its first job."""
    accepted = CURRENT.get()
    if accepted is None or accepted.job_taken:
        return new_job_id()
    accepted.job_taken = True
    return accepted.key


def claimant() -> str | None:
    """The key of the request being handled, if it was accepted durably."""
    accepted = CURRENT.get()
    return accepted.key if accepted is not None else None


class Acceptor:
    """Keeps requests before their acknowledgment, a burst's in one commit.

    The first request of a turn of the loop queues a flush behind the request handlers
    already waiting to run, so they add their rows first; the flush writes them all in
    one transaction and wakes each. A lone request waits that one turn (microseconds);
    under a burst each row costs one INSERT instead of a transaction of its own (its
    BEGIN and COMMIT, and their trips through the driver), on the acknowledgments' path.
    A failed flush fails every request in it, as a failed INSERT failed one.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: list[tuple[AcceptedRequest, asyncio.Future[None]]] = []
        self._flushing: set[asyncio.Task[None]] = set()

    async def accept(self, request: AcceptedRequest) -> None:
        """Return once ``request`` is written; raise what the write raised."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((request, done))
        if len(self._pending) == 1:
            task = asyncio.create_task(self._flush(), name="accept-requests")
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)
        await done

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        try:
            await self._store.accept_requests([request for request, _ in batch])
        except BaseException as exc:
            failed = exc if isinstance(exc, Exception) else ConnectionError("write cancelled")
            for _, done in batch:
                if not done.done():
                    done.set_exception(failed)
            if not isinstance(exc, Exception):
                raise
            return
        for _, done in batch:
            if not done.done():
                done.set_result(None)
