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
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from bot.jobs import new_job_id


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
