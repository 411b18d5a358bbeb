"""Takeover: from a bot process's death to its job being reported by a survivor.

Three real ``python -m bot slack --http`` processes on one PostgreSQL database
(tests/multiprocess/bots.py), a fake model that never finishes, the fake Slack Web API.
One process starts a /synopsis; while the model call is in flight it is stopped, two ways:

- **SIGKILL**: the process is gone. A survivor on the same host sees its pid gone at its
  next sweep (every half lease) and ends its lease at once.
- **SIGSTOP**: the process is frozen (a hung machine, a partition): its pid still exists,
  so only the lease decides. Survivors take its job once the lease has run out, at their
  next sweep: between one lease and one and a half.

Measured: seconds from the signal to the "interrupted" note (with Retry) at the fake
Slack, and how many notes were sent (must be exactly 1): the note is written over the
job's draft stuck at "Writing…" (chat.update), or posted when the job had posted none.
WRITERSROOM_JOB_LEASE is LEASE seconds here (30 by default in production).

Run: python -m bench takeover
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import run_loop, table

LEASE = 6
ROUNDS = 3


async def _round(how: str, cluster: object, tmp: Path) -> tuple[float, int]:
    from tests.adapters.slack.conftest import texts
    from tests.adapters.slack.fake_slack import FakeSlack
    from tests.fakes import FakeOpenAIServer, FakeReply
    from tests.multiprocess.bots import bots

    database = cluster.database()  # type: ignore[attr-defined]
    async with (
        FakeSlack() as fake,
        FakeOpenAIServer(FakeReply.say("never", delay=600)) as model,
        bots(3, database, fake, tmp, model_url=model.base_url, lease=LEASE) as procs,
    ):
        victim = procs[0]
        await victim.slack.command("synopsis", "short")
        await fake.wait_for(lambda: model.requests, within=30)
        assert victim.proc is not None
        t0 = time.monotonic()
        if how == "SIGKILL":
            victim.kill()  # and reaped, as a service manager does at once
        else:
            victim.proc.send_signal(signal.SIGSTOP)

        def notes() -> int:
            """Notes sent: posted, or (as the recovery does when the job's draft was
            posted) written over the draft stuck at "Writing…"."""
            sent = [c for c in fake.calls if c.method in ("chat.postMessage", "chat.update")]
            return sum(
                bool(c.result.get("ok"))
                and "interrupted /synopsis" in " ".join(texts(c.args.get("blocks") or []))
                for c in sent
            )

        with contextlib.suppress(AssertionError):  # none within the bound: reported below
            await fake.wait_for(notes, within=4 * LEASE)
        seconds = time.monotonic() - t0
        await asyncio.sleep(LEASE)  # further sweeps: a second note would show here
        count = notes()
        if how == "SIGSTOP":
            victim.kill()
        return seconds, count


def run() -> list[dict[str, object]]:
    from tests.pg import running_cluster

    rows = []
    with running_cluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        for how in ("SIGKILL", "SIGSTOP"):
            found = [run_loop(_round(how, cluster, Path(tmp) / f"{how}{i}")) for i in range(ROUNDS)]
            times = [s for s, _ in found]
            rows.append(
                {
                    "stopped by": how,
                    "rounds": ROUNDS,
                    "to report s, median": f"{statistics.median(times):.2f}",
                    "min-max s": f"{min(times):.2f}-{max(times):.2f}",
                    "in leases": f"{statistics.median(times) / LEASE:.2f}",
                    "notes posted": "/".join(str(c) for _, c in found),
                    "bound": "half a lease" if how == "SIGKILL" else "1.5 leases",
                }
            )
    return rows


def main() -> None:
    rows = run()
    print(f"Takeover of a dead process's job, 3 processes on PostgreSQL, lease {LEASE} s")
    print(table(rows, list(rows[0])))
    ok = all(set(str(r["notes posted"]).split("/")) == {"1"} for r in rows)
    print(f"every job reported exactly once: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
