from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

import pytest

from bot.app import App
from bot.lane import StartLane
from core.errors import GenerationError
from core.types import ActionArgs, Author, MessageHandle, Place, Reply
from generation.base import REQUEST_SENT, Draft, OnText, WritingTask

PLACE = Place("terminal", "local", "room")
DANA = Author("u1", "Dana")


class Recorder:
    """A Responder that keeps what it was sent."""

    def __init__(self) -> None:
        self.posts: list[Reply] = []
        self.updates: list[Reply] = []
        self.n = 0

    async def post(self, reply: Reply) -> MessageHandle:
        self.n += 1
        self.posts.append(reply)
        return MessageHandle(str(self.n), PLACE, f"t{self.n}")

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        self.updates.append(reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        pass

    async def thread_history(self, limit: int = 10_000) -> list[Any]:
        return []

    def final(self) -> list[Reply]:
        return [r for r in self.posts + self.updates if not r.partial]


class GatedEngine:
    """Writes only once released: shows that the dispatcher returns before the work ends."""

    name = "gated"
    reports_sent = True

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.tasks: list[WritingTask] = []

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        self.tasks.append(task)
        if (sent := REQUEST_SENT.get()) is not None:
            sent()  # as a model's engine says its request has left
        await self.release.wait()
        return Draft(text="A draft.", engine=self.name)


class BrokenEngine:
    name = "broken"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        raise self.exc


async def test_a_requests_job_keeps_its_start_lane_pass_until_its_model_request_leaves(
    make_app: Any,
) -> None:
    """Through the start lane (bot/lane.py) the next request starts once the job the first
    one queued has sent its model request (the engine says so), not when the first
    request's listener returns, and the model waiting does not hold the lane."""
    engine = GatedEngine()
    async with make_app(engine=engine) as app:
        app.jobs.lane = StartLane(width=1, hold=5.0)
        seen: list[str] = []

        async def request(name: str) -> None:
            seen.append(f"{name} starts, engine asked {len(engine.tasks)} time(s)")
            await app.dispatcher.handle_text("/synopsis", PLACE, DANA, Recorder())

        await asyncio.wait_for(
            asyncio.gather(
                app.jobs.lane.through(request("a")), app.jobs.lane.through(request("b"))
            ),
            timeout=5,
        )
        for _ in range(100):
            if len(engine.tasks) == 2:
                break
            await asyncio.sleep(0.01)
        assert seen == ["a starts, engine asked 0 time(s)", "b starts, engine asked 1 time(s)"]
        assert len(engine.tasks) == 2  # both wait on the engine at once
        engine.release.set()
        await asyncio.sleep(0.05)


async def test_dispatch_returns_before_the_job_finishes(make_app: Any) -> None:
    engine = GatedEngine()
    async with make_app(engine=engine) as app:
        rec = Recorder()
        job = await asyncio.wait_for(
            app.dispatcher.handle_text("/synopsis", PLACE, DANA, rec), timeout=1
        )
        assert job is not None and not job.task.done()
        engine.release.set()
        await job.wait()
        assert any(r.body == "A draft." for r in rec.final())


async def test_command_error_is_shown_to_the_user_as_is(make_app: Any) -> None:
    async with make_app(engine=BrokenEngine(GenerationError("The model is asleep."))) as app:
        rec = Recorder()
        job = await app.dispatcher.handle_text("/synopsis", PLACE, DANA, rec)
        assert job is not None
        await job.wait()
        assert rec.final()[-1].body == "The model is asleep."
        assert rec.final()[-1].tone == "error"


async def test_unexpected_error_is_logged_and_answered_with_an_error_id(
    make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_app(engine=BrokenEngine(RuntimeError("secret internals"))) as app:
        rec = Recorder()
        with caplog.at_level(logging.ERROR):
            job = await app.dispatcher.handle_text("/character new Mara", PLACE, DANA, rec)
            assert job is not None
            await job.wait()
        reply = rec.final()[-1]
        assert "error id" in reply.body and "secret internals" not in reply.body
        error_id = reply.body.split("error id ")[1][:8]
        assert error_id in caplog.text and "RuntimeError" in caplog.text
        story = await app.store.active_story(PLACE.story_key)
        assert story is not None and await app.store.characters(story.id) == []


async def test_usage_errors_are_answered_at_once_without_a_job(app: App) -> None:
    rec = Recorder()
    assert await app.dispatcher.handle_text("/character", PLACE, DANA, rec) is None
    assert "needs a subcommand" in rec.posts[0].body


async def test_jobs_are_persisted_with_their_final_state(app: App) -> None:
    rec = Recorder()
    job = await app.dispatcher.handle_text("/story show", PLACE, DANA, rec)
    assert job is not None
    await job.wait()
    await asyncio.sleep(0)
    done = await app.store.jobs(["done"])
    assert [j.command for j in done] == ["story show"]


async def test_button_for_another_channels_draft_does_nothing(app: App) -> None:
    from core.types import ACTION, Invocation

    rec = Recorder()
    job = await app.dispatcher.handle_text("/synopsis", PLACE, DANA, rec)
    assert job is not None
    await job.wait()
    conv = await app.store.latest_conversation(PLACE.story_key)
    assert conv is not None
    other = Place("terminal", "local", "elsewhere")
    rec2 = Recorder()
    inv = Invocation(ACTION, None, ActionArgs.of("save", str(conv.id)), "", other, DANA)
    job2 = await app.dispatcher.handle(inv, rec2)
    assert job2 is not None
    await job2.wait()
    assert "no longer exists in this channel" in rec2.final()[-1].body
    story = await app.store.active_story(PLACE.story_key)
    assert story is not None and story.synopsis == ""


class CountingEngine:
    name = "counting-model"

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        from core.models import Usage

        if on_text is not None:
            await on_text("A dr")
        return Draft(text="A draft.", engine=self.name, usage=Usage(self.name, 120, 30))


async def test_token_usage_is_recorded_per_channel(make_app: Any) -> None:
    async with make_app(engine=CountingEngine()) as app:
        for _ in range(2):
            job = await app.dispatcher.handle_text("/synopsis", PLACE, DANA, Recorder())
            assert job is not None
            await job.wait()
        totals = await app.store.usage_totals(PLACE.story_key)
        assert totals["prompt_tokens"] == 240 and totals["completion_tokens"] == 60
        other = await app.store.usage_totals(("terminal", "local", "elsewhere"))
        assert other["prompt_tokens"] == 0


async def test_model_footer_names_the_model(make_app: Any) -> None:
    async with make_app(engine=CountingEngine()) as app:
        rec = Recorder()
        job = await app.dispatcher.handle_text("/synopsis", PLACE, DANA, rec)
        assert job is not None
        await job.wait()
        assert rec.final()[-1].footer is not None
        assert "counting-model" in rec.final()[-1].footer


async def test_a_job_cancelled_before_its_first_step_gives_its_slot_back(app) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import dataclasses
    import time

    from bot.jobs import JobRunner
    from core.models import JobRecord

    runner = JobRunner(app.store, {"text": 1})
    ran: list[str] = []

    async def work() -> None:
        ran.append("x")

    record = JobRecord("c1", "text", "synopsis", ("t", "l", "c", None), "u", "queued", time.time())
    job = await runner.submit(record, work)
    assert job.task is not None
    job.task.cancel()  # before the task ever ran
    await asyncio.gather(job.task, return_exceptions=True)
    second = await runner.submit(dataclasses.replace(record, id="c2"), work)
    await second.wait()
    assert ran == ["x"]  # the second job got the slot back and ran


async def test_a_job_saved_while_the_runner_shuts_down_is_parked_not_started(app) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import time

    from bot.jobs import JobRunner
    from core.models import JobRecord

    gate = asyncio.Event()
    saving = asyncio.Event()

    class SlowSaves:
        """The app's store, with save_job held until the gate opens."""

        def __getattr__(self, name: str) -> object:
            return getattr(app.store, name)

        async def save_job(self, record: JobRecord) -> None:
            saving.set()
            await gate.wait()
            await app.store.save_job(record)

    runner = JobRunner(SlowSaves(), {"text": 4})  # type: ignore[arg-type]
    ran: list[str] = []

    async def work() -> None:
        ran.append("x")

    record = JobRecord("s1", "text", "synopsis", ("t", "l", "c", None), "u", "queued", time.time())
    submitting = asyncio.create_task(runner.submit(record, work))
    await saving.wait()
    await runner.shutdown(grace=1)  # nothing of this runner's is running yet
    gate.set()
    job = await submitting
    await job.wait()
    await asyncio.sleep(0.05)
    assert ran == [] and job.task is None
    (saved,) = await app.store.jobs(["queued"])
    assert saved.id == "s1"  # it runs after the restart


async def test_a_kind_may_wait_in_another_kinds_pool(app: App) -> None:
    """The app runs image jobs in the text pool (bot/app.py): one line, one set of slots."""
    import time

    from bot.jobs import JobRunner
    from core.models import JobRecord

    runner = JobRunner(app.store, {"text": 1}, shared={"image": "text"})
    gate = asyncio.Event()
    ran: list[str] = []

    async def held() -> None:
        await gate.wait()
        ran.append("text")

    async def picture() -> None:
        ran.append("image")

    text = JobRecord("p1", "text", "synopsis", ("t", "l", "c", None), "u", "queued", time.time())
    image = dataclasses.replace(text, id="p2", kind="image", command="portrait draw")
    first = await runner.submit(text, held)
    second = await runner.submit(image, picture)
    await asyncio.sleep(0.01)
    assert runner.position("p2") == 1 and ran == []
    gate.set()
    await first.wait()
    await second.wait()
    assert ran == ["text", "image"]


async def test_a_typed_line_is_parsed_once_and_its_command_looked_up_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[tuple[str, str | None]] = []
    real = app.registry.resolve

    def resolve(name: str, subcommand: str | None) -> Any:
        looked_up.append((name, subcommand))
        return real(name, subcommand)

    monkeypatch.setattr(app.registry, "resolve", resolve)
    job = await app.dispatcher.handle_text("/story set genre heist", PLACE, DANA, Recorder())
    assert job is not None
    await job.wait()
    assert looked_up == [("story", "set")]


async def test_a_command_given_another_commands_arguments_is_a_programming_error(
    app: App,
) -> None:
    from commands.outline import OutlineArgs
    from core.types import Invocation

    inv = Invocation("synopsis", None, OutlineArgs(), "", PLACE, DANA)
    with pytest.raises(TypeError, match="synopsis takes SynopsisArgs"):
        await app.dispatcher.handle(inv, Recorder())
