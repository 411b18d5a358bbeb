"""The door's AcksFirst gate: the work of acknowledged requests waits while more requests
keep coming (their acks go first), and never longer than ACK_FIRST_MAX."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.slack import door
from bot.adapters.slack.door import AcksFirst

pytestmark = pytest.mark.timeout(10)


async def _arrivals(gate: AcksFirst, every: float, count: int, log: list[str]) -> None:
    for _ in range(count):
        gate.arrived()
        log.append("ack")
        await asyncio.sleep(every)


async def _work(gate: AcksFirst, log: list[str]) -> None:
    await gate.wait()
    log.append("work")


async def test_work_waits_until_the_requests_stop_coming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(door, "ACK_QUIET", 0.1)  # far above the 2 ms between requests
    gate = AcksFirst()
    log: list[str] = []
    gate.arrived()
    worker = asyncio.create_task(_work(gate, log))
    await _arrivals(gate, 0.002, 20, log)  # a request every 2 ms: never quiet
    await worker
    assert log.index("work") == len(log) - 1  # after every ack
    assert log.count("ack") == 20


async def test_a_request_alone_is_handled_at_once_after_the_quiet_time() -> None:
    gate = AcksFirst()
    log: list[str] = []
    gate.arrived()
    await asyncio.wait_for(_work(gate, log), timeout=1.0)
    assert log == ["work"]
    await _work(gate, log)  # open again: nothing waits
    assert log == ["work", "work"]


async def test_a_steady_stream_never_holds_the_work_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(door, "ACK_QUIET", 0.1)
    monkeypatch.setattr(door, "ACK_FIRST_MAX", 0.05)
    gate = AcksFirst()
    log: list[str] = []
    gate.arrived()
    worker = asyncio.create_task(_work(gate, log))
    await _arrivals(gate, 0.002, 150, log)  # 0.3 s of requests, never quiet
    await worker
    assert "work" in log[: len(log) - 20]  # let through long before the stream ended
