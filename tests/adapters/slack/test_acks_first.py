"""The door's AcksFirst gate: the work of acknowledged requests starts once every request
that came in has had its ack and the door has been quiet since, and never later than
ACK_FIRST_MAX after the gate shut."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.slack import door
from bot.adapters.slack.door import AcksFirst

pytestmark = pytest.mark.timeout(10)


async def _request(gate: AcksFirst, log: list[str], name: str, ack_takes: float = 0.0) -> None:
    """A request through the door: its ack (which may wait ``ack_takes`` for its row),
    then its work, held by the gate."""
    with gate.acking():
        await asyncio.sleep(ack_takes)
        log.append(f"ack {name}")
        gate.then(lambda: log.append(f"work {name}"))


async def _stream(gate: AcksFirst, every: float, count: int, log: list[str]) -> None:
    for i in range(count):
        await _request(gate, log, str(i))
        await asyncio.sleep(every)


class Log(list[str]):
    """What happened, in order; ``changed`` is set by each entry."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def append(self, entry: str) -> None:
        super().append(entry)
        self.changed.set()


async def _until(log: Log, entry: str, within: float = 2.0) -> None:
    async with asyncio.timeout(within):
        while entry not in log:
            log.changed.clear()
            await log.changed.wait()


async def test_work_waits_until_the_requests_stop_coming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(door, "ACK_QUIET", 0.1)  # far above the 2 ms between requests
    gate = AcksFirst()
    log = Log()
    await _stream(gate, 0.002, 20, log)  # a request every 2 ms: never quiet
    assert not [e for e in log if e.startswith("work")]
    await _until(log, "work 19")
    assert log[:20] == [f"ack {i}" for i in range(20)]
    assert log[20:] == [f"work {i}" for i in range(20)]  # after every ack, in order


async def test_work_waits_for_an_ack_still_on_its_way_after_arrivals_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last requests of a burst stop arriving before their acks go (their rows are
    written after them): a pause in arrivals longer than ACK_QUIET must not let the
    first requests' work run between those acks."""
    monkeypatch.setattr(door, "ACK_QUIET", 0.01)
    gate = AcksFirst()
    log = Log()
    await _request(gate, log, "first")
    slow = asyncio.create_task(_request(gate, log, "slow", ack_takes=0.1))  # 10x the quiet
    await _until(log, "ack slow")
    assert "work first" not in log  # held while an ack was still on its way
    await slow
    await _until(log, "work slow")
    assert log == ["ack first", "ack slow", "work first", "work slow"]


async def test_a_request_alone_is_handled_at_once_after_the_quiet_time() -> None:
    gate = AcksFirst()
    log = Log()
    await _request(gate, log, "one")
    await _until(log, "work one", within=1.0)
    assert log == ["ack one", "work one"]
    gate.then(lambda: log.append("work unheld"))  # open again: nothing waits
    assert log[-1] == "work unheld"


async def test_a_steady_stream_never_holds_the_work_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(door, "ACK_QUIET", 0.1)
    monkeypatch.setattr(door, "ACK_FIRST_MAX", 0.05)
    gate = AcksFirst()
    log = Log()
    await _stream(gate, 0.002, 150, log)  # 0.3 s of requests, never quiet
    assert "work 0" in log[: len(log) - 40]  # let through long before the stream ended


async def test_work_held_when_the_watcher_is_cancelled_still_starts() -> None:
    """At shutdown the runtime cancels the watcher: what it held starts, as the work
    of acknowledged requests must (its rows go once it has run)."""
    watchers: list[asyncio.Task[None]] = []
    gate = AcksFirst(lambda watch: watchers.append(asyncio.create_task(watch)))
    log = Log()
    await _request(gate, log, "one")
    watchers[0].cancel()
    with pytest.raises(asyncio.CancelledError):
        await watchers[0]
    assert log == ["ack one", "work one"]
