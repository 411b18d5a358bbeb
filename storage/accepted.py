"""Requests kept from their acknowledgment until they are handled, on the shared database.

A request is written before it is acknowledged (``accept_request``; a burst's in one
transaction) and deleted once handled; ``claim_requests`` hands a dead owner's unhandled
ones to exactly one survivor, except those whose first job exists (its id is the
request's key: the job's own takeover answers for it). On SQLite they live in a file of
their own (``_requests``; storage/store.py), so the leases and the jobs are read from the
main one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.coordination import ProcessRecord
from storage.sql import Database, Row, Tx, marks


@dataclass(frozen=True, slots=True)
class AcceptedRequest:
    """A request as it arrived (its body, as the platform signed it), acknowledged by
    ``owner`` before it was handled."""

    key: str
    platform: str
    owner: str
    body: str
    content_type: str
    received_at: float


class AcceptedRequests:
    """Mixed into the store beside ``Coordination`` (needs ``_db``, ``_requests`` and
    ``processes``)."""

    _db: Database
    _requests: Database
    """Where accepted requests are kept (on SQLite a file of their own; storage/store.py)."""

    async def processes(self) -> list[ProcessRecord]:
        raise NotImplementedError

    async def accept_request(self, request: AcceptedRequest) -> None:
        """Keep a request its owner is about to acknowledge, until it is handled."""
        await self.accept_requests([request])

    async def accept_requests(self, requests: Sequence[AcceptedRequest]) -> None:
        """Keep several requests at once, in one transaction (all of them or none): the
        requests of a burst that arrive together share one commit."""

        async def insert(tx: Tx) -> None:
            for request in requests:
                await tx.fetchall(_ACCEPT, _accepted_row(request))

        if requests:
            await self._requests.transact(insert)

    async def finish_request(self, key: str) -> None:
        """The request was handled (answered, or its first job is saved)."""
        await self.finish_requests([key])

    async def finish_requests(self, keys: Sequence[str]) -> None:
        """Several requests were handled: their rows go in one statement."""
        if keys:
            await self._requests.execute(
                f"DELETE FROM accepted_requests WHERE key IN ({marks(keys)})", tuple(keys)
            )

    async def claim_requests(self, owner: str, platform: str, now: float) -> list[AcceptedRequest]:
        """Make ``owner`` the owner of ``platform``'s accepted requests whose owner holds no
        live lease and whose first job was never saved, oldest first; each is claimed
        once (one UPDATE; the claimer's own lease is live, so a second claimer passes its
        rows over). Those whose job exists are deleted: the job's takeover answers for
        them. (On SQLite the requests are in a file of their own, so the leases and the
        jobs are read from the main one.)"""
        live = [p.id for p in await self.processes() if p.lease_until >= now]
        alive = f"AND owner NOT IN ({marks(live)}) " if live else ""
        rows = await self._requests.execute(
            f"UPDATE accepted_requests SET owner = ? WHERE platform = ? {alive}"
            "RETURNING key, platform, owner, body, content_type, received_at",
            (owner, platform, *live),
        )
        claimed = sorted((_request(r) for r in rows), key=lambda r: (r.received_at, r.key))
        if not claimed:
            return []
        keys = [r.key for r in claimed]
        jobs = await self._db.query(f"SELECT id FROM jobs WHERE id IN ({marks(keys)})", keys)
        saved = {str(r["id"]) for r in jobs}
        await self.finish_requests(sorted(saved))
        return [r for r in claimed if r.key not in saved]


def _request(row: Row) -> AcceptedRequest:
    return AcceptedRequest(
        str(row["key"]),
        str(row["platform"]),
        str(row["owner"]),
        str(row["body"]),
        str(row["content_type"]),
        float(row["received_at"]),
    )


_ACCEPT = (
    "INSERT INTO accepted_requests "
    "(key, platform, owner, body, content_type, received_at) VALUES (?, ?, ?, ?, ?, ?)"
)


def _accepted_row(request: AcceptedRequest) -> tuple[object, ...]:
    return (
        request.key,
        request.platform,
        request.owner,
        request.body,
        request.content_type,
        request.received_at,
    )
