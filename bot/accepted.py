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
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from bot.jobs import new_job_id
from storage.accepted import AcceptedRequest
from storage.api import Store

log = logging.getLogger(__name__)


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

    A flush slower than ``wait`` seconds (a database that is down holds a write for its
    pool's timeout) lets its requests go with TimeoutError, and its write goes on: one
    timer a batch, not one a request.
    """

    def __init__(self, store: Store, wait: float) -> None:
        self._store = store
        self._wait = wait
        self._pending: list[tuple[AcceptedRequest, asyncio.Future[None]]] = []
        self._flushing: set[asyncio.Future[None]] = set()

    async def accept(self, request: AcceptedRequest) -> None:
        """Return once ``request`` is written; raise what the write raised, or
        TimeoutError once its batch has waited ``wait`` seconds."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((request, done))
        if len(self._pending) == 1:
            self._keep(asyncio.create_task(self._flush(), name="accept-requests"))
        await done

    def _keep(self, future: asyncio.Future[None]) -> None:
        self._flushing.add(future)
        future.add_done_callback(self._flushing.discard)

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        rows = self._store.accept_requests([request for request, _ in batch])
        write = asyncio.create_task(rows, name="accept-rows")
        self._keep(write)
        try:
            await asyncio.wait_for(asyncio.shield(write), self._wait)
        except TimeoutError as exc:  # acknowledged first; the rows come when they come
            write.add_done_callback(_late)
            _settle(batch, exc)
            return
        except BaseException as exc:
            _settle(batch, exc if isinstance(exc, Exception) else ConnectionError("cancelled"))
            if not isinstance(exc, Exception):
                raise
            return
        _settle(batch, None)


def _settle(
    batch: list[tuple[AcceptedRequest, asyncio.Future[None]]], exc: Exception | None
) -> None:
    for _, done in batch:
        if not done.done():
            if exc is None:
                done.set_result(None)
            else:
                done.set_exception(exc)


def _late(write: asyncio.Future[None]) -> None:
    """A batch's write that ended after its requests went on: its failure was theirs
    (they were handled without a row), so it is only noted."""
    if not write.cancelled() and write.exception() is not None:
        log.info("requests acknowledged first were not kept (%s)", type(write.exception()).__name__)
