"""The event loop choice (bot/runtime.py): uvloop by default where installed."""

from __future__ import annotations

import asyncio
import sys
import warnings

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
