"""This process on the shared database: its id, its lease, and its dead neighbours.

Several bot processes can run on one database (PostgreSQL, or one SQLite file). Each
registers a row with a lease it renews every third of WRITERSROOM_JOB_LEASE seconds, and
stamps the jobs it takes with its id. A process that stops renewing (SIGKILL, a machine
that went away) is dead once its lease runs out; its jobs are then taken over, once, by
a survivor (bot/recovery.py, storage/coordination.py). A clean shutdown removes the row,
so its parked jobs are free at once. On one host a dead process is known sooner: its pid
is gone, so its lease is ended right away (a restart picks up its jobs at start, as a
single process always did).

The rules are plain functions (``is_alive``, ``dead_neighbours``); the clock is injected.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storage.api import Store
from storage.coordination import ProcessRecord

log = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def dead_neighbours(
    processes: Iterable[ProcessRecord],
    me: ProcessRecord,
    now: float,
    alive: Callable[[int], bool] = pid_alive,
) -> list[ProcessRecord]:
    """Processes on this host, other than ``me``, whose lease still runs but whose pid is
    gone (a different pid: several apps in one process, as in tests, share theirs)."""
    return [
        p
        for p in processes
        if p.host == me.host
        and p.id != me.id
        and p.pid != me.pid
        and p.lease_until >= now
        and not alive(p.pid)
    ]


@dataclass
class Lease:
    store: Store
    seconds: float = 30.0
    clock: Callable[[], float] = time.time
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    platforms: set[str] = field(default_factory=set)
    started_at: float = 0.0

    def record(self) -> ProcessRecord:
        now = self.clock()
        return ProcessRecord(
            self.id,
            self.host,
            self.pid,
            tuple(sorted(self.platforms)),
            self.started_at or now,
            now + self.seconds,
        )

    async def acquire(self) -> None:
        self.started_at = self.clock()
        await self.store.register_process(self.record())
        log.info(
            "process %s on %s (pid %d) holds a %.0f s lease",
            self.id,
            self.host,
            self.pid,
            self.seconds,
        )

    async def renew(self) -> None:
        """Extend the lease. A row that is gone (a survivor declared us dead during a long
        stall) is written again; what it took over stays with it."""
        if not await self.store.renew_process(
            self.id, self.clock() + self.seconds, sorted(self.platforms)
        ):
            log.warning("process %s: lease row was gone; registering again", self.id)
            await self.store.register_process(self.record())

    async def serve(self, platform: str) -> None:
        """This process answers ``platform`` from now on (its takeovers include it)."""
        if platform not in self.platforms:
            self.platforms.add(platform)
            await self.renew()

    async def release(self) -> None:
        await self.store.end_process(self.id)

    async def expire_dead_neighbours(self) -> int:
        """End the leases of this host's processes whose pid is gone; returns how many."""
        found = dead_neighbours(await self.store.processes(), self.record(), self.clock())
        for process in found:
            log.info("process %s (pid %d) is gone; its lease ends now", process.id, process.pid)
            await self.store.expire_process(process.id)
        return len(found)
