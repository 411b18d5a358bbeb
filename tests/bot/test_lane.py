"""The start lane (bot/lane.py): requests prepared a few at a time, oldest first."""

from __future__ import annotations

import asyncio

from bot import lane
from bot.lane import StartLane
from generation.base import REQUEST_SENT


class Model:
    """An engine that says when its request has left (as the OpenAI engine does)."""

    reports_sent = True


MODEL = Model()


async def _request(
    found: list[str], name: str, steps: int = 3, sent_after: int | None = None
) -> None:
    """A request's preparation: ``steps`` turns of the loop, noting each; with
    ``sent_after``, it asks a model whose request leaves after that step (as an engine
    says through REQUEST_SENT)."""
    with lane.asking_the_model(MODEL):
        for step in range(steps):
            found.append(f"{name}{step}")
            sent = REQUEST_SENT.get()
            if sent_after == step and sent is not None:
                sent()
            await asyncio.sleep(0)


async def test_requests_are_prepared_one_after_another_in_arrival_order() -> None:
    through = StartLane(width=1, hold=5.0)
    found: list[str] = []
    await asyncio.gather(*(through.through(_request(found, n)) for n in "abc"))
    assert found == ["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"]


async def test_without_the_lane_the_same_requests_advance_together() -> None:
    found: list[str] = []
    await asyncio.gather(*(_request(found, n) for n in "abc"))
    assert found[:3] == ["a0", "b0", "c0"]  # what the lane is for


async def _a_then_b(steps: int, sent_after: int) -> list[str]:
    """Request a (``steps`` steps, its model request leaving after ``sent_after``), then
    request b (one step), through a lane one wide."""
    through = StartLane(width=1, hold=5.0)
    found: list[str] = []
    await asyncio.gather(
        through.through(_request(found, "a", steps=steps, sent_after=sent_after)),
        through.through(_request(found, "b", steps=1)),
    )
    return found


async def test_a_request_whose_model_request_has_left_lets_the_next_one_in() -> None:
    found = await _a_then_b(steps=4, sent_after=1)
    assert found.index("a1") < found.index("b0") < found.index("a3")


async def test_a_request_keeps_its_pass_until_its_model_request_has_left() -> None:
    found = await _a_then_b(steps=3, sent_after=2)
    assert found == ["a0", "a1", "a2", "b0"]


async def test_outside_the_lane_asking_the_model_sets_no_hook() -> None:
    with lane.asking_the_model(MODEL):
        assert REQUEST_SENT.get() is None


async def test_an_engine_that_does_not_report_its_sends_lets_the_next_request_in_at_once() -> None:
    through = StartLane(width=1, hold=5.0)
    found: list[str] = []

    async def offline(name: str) -> None:
        with lane.asking_the_model(object()):  # no reports_sent: the offline engine
            assert REQUEST_SENT.get() is None
            for step in range(3):
                found.append(f"{name}{step}")
                await asyncio.sleep(0)

    await asyncio.gather(through.through(offline("a")), through.through(offline("b")))
    assert found.index("b0") < found.index("a2")


async def test_a_pass_held_too_long_is_given_up_after_hold() -> None:
    through = StartLane(width=1, hold=0.05)
    started: list[float] = []
    loop = asyncio.get_running_loop()

    async def slow() -> None:
        started.append(loop.time())
        await asyncio.sleep(1.0)

    async def quick() -> None:
        started.append(loop.time())

    first = asyncio.create_task(through.through(slow()))
    await asyncio.sleep(0)
    await asyncio.wait_for(through.through(quick()), 0.5)  # not after the whole second
    assert started[1] - started[0] >= 0.04
    first.cancel()


async def test_work_queued_inside_a_request_keeps_its_pass_until_it_ends() -> None:
    """A job queued by the request's work holds the pass: the next request waits for
    the job (or its ``leave``), not only for the work that queued it."""
    through = StartLane(width=1, hold=5.0)
    found: list[str] = []
    job_may_end = asyncio.Event()

    async def job() -> None:
        found.append("job runs")
        await job_may_end.wait()
        found.append("job ends")

    async def first() -> None:
        ticket = lane.current()
        assert ticket is not None
        ticket.hold()
        task = asyncio.create_task(job())
        task.add_done_callback(lambda _: ticket.drop())

    async def second() -> None:
        found.append("second starts")

    await through.through(first())
    waiting = asyncio.create_task(through.through(second()))
    await asyncio.sleep(0.01)
    assert found == ["job runs"]
    job_may_end.set()
    await waiting
    assert found == ["job runs", "job ends", "second starts"]


async def test_work_started_inside_a_held_pass_does_not_take_another() -> None:
    through = StartLane(width=1, hold=5.0)

    async def inner() -> str:
        return "inner ran"

    async def outer() -> str:
        return await through.through(inner())  # would wait for itself with width 1

    assert await asyncio.wait_for(through.through(outer()), 1.0) == "inner ran"


async def test_after_the_queue_waits_until_every_request_has_left_the_lane() -> None:
    through = StartLane(width=1, hold=5.0)
    await asyncio.wait_for(through.after_the_queue(), 0.1)  # nobody waits: at once
    found: list[str] = []

    async def later() -> None:
        await through.after_the_queue()
        found.append("placeholder")

    requests = [asyncio.create_task(through.through(_request(found, n))) for n in "abc"]
    await asyncio.sleep(0)  # the first is being prepared, the others wait for the lane
    placeholder = asyncio.create_task(later())
    await asyncio.gather(*requests, placeholder)
    assert found[-1] == "placeholder"  # after the last one's work, not once it got in


async def test_after_the_queue_waits_at_most_so_long() -> None:
    through = StartLane(width=1, hold=5.0)
    stuck = asyncio.Event()
    first = asyncio.create_task(through.through(stuck.wait()))
    second = asyncio.create_task(through.through(stuck.wait()))  # waits behind the first
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    began = loop.time()
    await through.after_the_queue(at_most=0.05)
    assert 0.04 <= loop.time() - began < 1.0
    stuck.set()
    await asyncio.gather(first, second)


async def test_a_placeholder_waits_for_its_own_requests_model_request() -> None:
    """Work a request defers (its "Writing…" post) comes after the model request it
    made, and after those of the requests behind it."""
    through = StartLane(width=2, hold=5.0)
    found: list[str] = []

    async def request(name: str) -> None:
        async def placeholder() -> None:
            await through.after_the_queue()
            found.append(f"{name} posts")

        posting = asyncio.create_task(placeholder())
        with lane.asking_the_model(MODEL):
            for step in range(3):
                await asyncio.sleep(0)
                found.append(f"{name}{step}")
            sent = REQUEST_SENT.get()
            assert sent is not None
            sent()
            found.append(f"{name} sent")
        await posting

    await asyncio.gather(*(through.through(request(n)) for n in "abc"))
    sends = max(found.index(f"{n} sent") for n in "abc")
    assert all(found.index(f"{n} posts") > sends for n in "abc")


async def test_after_the_queue_returns_as_soon_as_the_work_is_wanted() -> None:
    """A placeholder whose model answered first goes out at once, not after the others."""
    through = StartLane(width=1, hold=5.0)
    stuck = asyncio.Event()
    holder = asyncio.create_task(through.through(stuck.wait()))
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    now: asyncio.Future[None] = loop.create_future()
    began = loop.time()
    waiting = asyncio.create_task(through.after_the_queue(at_most=5.0, sooner=now))
    await asyncio.sleep(0.02)
    assert not waiting.done()  # the lane is not idle: it waits
    now.set_result(None)
    await asyncio.wait_for(waiting, 0.5)
    assert loop.time() - began < 1.0
    done_already: asyncio.Future[None] = loop.create_future()
    done_already.set_result(None)
    await asyncio.wait_for(through.after_the_queue(sooner=done_already), 0.1)
    stuck.set()
    await holder
    assert through._after == []  # no waiter left behind


async def test_the_lane_going_idle_wakes_every_waiter_once() -> None:
    through = StartLane(width=1, hold=5.0)
    stuck = asyncio.Event()
    holder = asyncio.create_task(through.through(stuck.wait()))
    await asyncio.sleep(0)
    woken: list[int] = []

    async def later(n: int) -> None:
        await through.after_the_queue(at_most=5.0)
        woken.append(n)

    waiters = [asyncio.create_task(later(n)) for n in range(3)]
    await asyncio.sleep(0.01)
    assert woken == []
    stuck.set()
    await asyncio.wait_for(asyncio.gather(holder, *waiters), 1.0)
    assert sorted(woken) == [0, 1, 2] and through._after == []
