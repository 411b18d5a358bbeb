"""The event loop choice (bot/runtime.py): uvloop by default where installed."""

from __future__ import annotations

import asyncio
import sys
import warnings
from typing import Any

import pytest
import uvloop

from bot import runtime
from bot.settings import load_settings
from core.errors import ConfigError


async def _loop_type() -> type:
    return type(asyncio.get_running_loop())


def test_auto_runs_on_uvloop_when_it_is_installed() -> None:
    assert runtime.loop_factory("auto")[0] == "uvloop"
    assert runtime.run(_loop_type()) is uvloop.Loop


def test_asyncio_runs_on_the_standard_loop() -> None:
    assert runtime.loop_factory("asyncio")[0] == "asyncio"
    loop_type = runtime.run(_loop_type(), "asyncio")
    assert not issubclass(loop_type, uvloop.Loop)
    assert issubclass(loop_type, asyncio.BaseEventLoop)


def test_without_uvloop_auto_falls_back_and_uvloop_fails_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    assert runtime.loop_factory("auto")[0] == "asyncio"
    assert not issubclass(runtime.run(_loop_type()), uvloop.Loop)
    main = _loop_type()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a coroutine never awaited would warn
        with pytest.raises(ConfigError, match=r"WRITERSROOM_EVENT_LOOP=uvloop.*not installed"):
            runtime.run(main, "uvloop")
    assert main.cr_frame is None  # closed, not left pending


def test_the_setting_reads_and_checks_the_environment() -> None:
    assert load_settings({}, dotenv=None).event_loop == "auto"
    assert load_settings({"WRITERSROOM_EVENT_LOOP": "AsyncIO"}, dotenv=None).event_loop == (
        "asyncio"
    )
    with pytest.raises(ConfigError, match="WRITERSROOM_EVENT_LOOP"):
        load_settings({"WRITERSROOM_EVENT_LOOP": "trio"}, dotenv=None)


def test_settle_heap_freezes_what_start_up_made() -> None:
    import gc

    from bot.runtime import GC_THRESHOLDS, settle_heap

    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's defaults, whatever ran before
        settle_heap()
        assert gc.get_freeze_count() > before  # start-up's objects, out of every collection
        assert gc.get_threshold() == GC_THRESHOLDS != (700, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


class _OneRequestServer:
    """A plain socket server on a thread: it reads one HTTP request whole, says when it
    has, then answers 200. Not on the loop under test, so it sees bytes the moment they
    leave, whatever that loop is doing."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.bodies: list[bytes] = []
        self.got = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            while True:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                while len(body) < length:
                    body += conn.recv(65536)
                self.bodies.append(body)
                self.got.set()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


async def _body_left_before_the_next_callback(url: str, got: Any, wait: float = 2.0) -> bool:
    """POST with a callback queued just before the body is handed to aiohttp: whether the
    server had the whole request when that callback ran. The loop is held in the
    callback (up to ``wait`` s), so a body still waiting for its turn cannot leave
    meanwhile."""
    import aiohttp

    seen: list[bool] = []
    loop = asyncio.get_running_loop()

    async def queue_the_callback(*_: object) -> None:
        got.clear()
        loop.call_soon(lambda: seen.append(got.wait(wait)))

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(queue_the_callback)
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        session.post(url, data=b"a request body " * 100) as resp,
    ):
        assert resp.status == 200
    return seen[0]


@pytest.mark.parametrize("choice", ["uvloop", "asyncio"])
def test_a_request_body_leaves_before_the_loop_runs_anything_else(
    choice: runtime.EventLoopChoice,
) -> None:
    server = _OneRequestServer()
    try:
        assert runtime.run(_body_left_before_the_next_callback(server.url, server.got), choice)
        assert server.bodies == [b"a request body " * 100]
    finally:
        server.close()


def test_without_the_task_factory_the_body_waits_its_turn() -> None:
    """What the factory is for (Python 3.11): on a plain loop the body goes out only
    after the callback queued before it."""
    if sys.version_info >= (3, 12):
        pytest.skip("aiohttp writes the body eagerly itself on 3.12 and later")
    server = _OneRequestServer()
    try:
        loop = asyncio.new_event_loop()
        try:
            coro = _body_left_before_the_next_callback(server.url, server.got, wait=0.3)
            assert loop.run_until_complete(coro) is False
        finally:
            loop.close()
        assert server.bodies == [b"a request body " * 100]
    finally:
        server.close()


def _as_a_body_writer(fn: Any) -> Any:
    """A coroutine function the task factory takes for aiohttp's body writer."""
    fn.__code__ = fn.__code__.replace(
        co_qualname="ClientRequest.write_bytes", co_filename="aiohttp/client_reqrep.py"
    )
    return fn


def test_a_body_writer_cancelled_before_its_turn_closes_cleanly() -> None:
    """The factory's task for a started writer takes cancellation like any task."""

    async def main() -> str:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        @_as_a_body_writer
        async def write_bytes() -> str:
            try:
                await future
            except asyncio.CancelledError:
                return "cancelled inside"
            return "finished"

        task = runtime.request_bodies_now(loop, write_bytes())
        assert isinstance(task, asyncio.Task) and not task.done()  # started, then waited
        await asyncio.sleep(0)
        task.cancel()
        return str(await task)

    assert runtime.run(main()) == "cancelled inside"


def test_a_body_writer_that_ends_or_fails_at_once_is_a_done_future() -> None:
    async def main() -> tuple[Any, str, bool]:
        loop = asyncio.get_running_loop()

        @_as_a_body_writer
        async def write_bytes(fail: bool) -> str:
            if fail:
                raise OSError("connection reset")
            return "written"

        wrote = runtime.request_bodies_now(loop, write_bytes(False))
        failed = runtime.request_bodies_now(loop, write_bytes(True))
        assert wrote.done() and failed.done()  # neither waited for a turn of the loop
        return wrote.result(), str(failed.exception()), failed.cancelled()

    assert runtime.run(main()) == ("written", "connection reset", False)


def test_an_ordinary_task_waits_its_turn() -> None:
    async def main() -> list[str]:
        order: list[str] = []

        async def note() -> None:
            order.append("task")

        task = asyncio.get_running_loop().create_task(note())
        order.append("caller")
        await task
        return order

    assert runtime.run(main()) == ["caller", "task"]
