"""Map-reduce over the fake OpenAI-compatible server: chunks, concurrency, attribution,
a failing chunk retried and then reported."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
from aiohttp import web

from generation.openai_engine import OpenAIEngine
from generation.summarize.engine import summarize_thread
from generation.summarize.mapreduce import (
    chunk_sizes,
    expected_calls,
    summarize_with_model,
    thread_tokens,
)
from generation.summarize.model import ThreadMessage, render_markdown
from generation.summarize.render import budget, read_length
from tests.fakes import FakeOpenAIServer, FakeReply
from tests.summarize import fake_model
from tests.summarize.threads import FELIX, INES, NOOR, OSKAR, thread


class CountingServer(FakeOpenAIServer):
    """The fake server, counting how many chat requests it holds at once."""

    in_flight = 0
    peak = 0

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await super()._chat(request)
        finally:
            self.in_flight -= 1


@pytest.fixture
async def server() -> AsyncIterator[CountingServer]:
    async with CountingServer(default=fake_model.answer, delay=0.02) as s:
        yield s


@pytest.fixture
async def model(server: CountingServer) -> AsyncIterator[OpenAIEngine]:
    async with OpenAIEngine(
        base_url=server.base_url, api_key="sk-test", max_retries=0, model="fake-model"
    ) as engine:
        yield engine


def long_thread(n: int) -> list[ThreadMessage]:
    """A room chat where about one message in ten is a decision, a question or a task
    (the annotated samples have about that many)."""
    people = [NOOR, FELIX, INES, OSKAR]
    lines = []
    for i in range(n):
        who = people[i % 4]
        if i % 30 == 3:
            text = f"Felix, can you redraft scene {i} of the radio play by Friday?"
        elif i % 30 == 7:
            text = f"we're going with the harbour ending for episode {i}"
        elif i % 30 == 9:
            text = f"what does the narrator know in scene {i}?"
        else:
            text = f"notes on scene {i}: the foghorn cue lands late and the pacing drags a bit"
        lines.append((who, text))
    return thread(*lines)


def test_chunks_keep_order_and_need_no_more_than_total_over_budget() -> None:
    sizes = [7 + (i * 37) % 60 for i in range(500)]
    chunks = chunk_sizes(sizes, 300)
    assert [i for c in chunks for i in c] == list(range(500))
    assert len(chunks) == math.ceil(sum(sizes) / 300)
    assert all(sum(sizes[i] for i in c) <= 300 + max(sizes) for c in chunks)


async def test_a_long_thread_is_summarized_in_chunks_within_the_call_bound(
    server: CountingServer, model: OpenAIEngine
) -> None:
    messages = long_thread(400)
    budget = 800
    digest = await summarize_with_model(messages, model, budget=budget, concurrency=3)
    assert len(server.bodies) == expected_calls(messages, budget)  # the parts and one merge
    sent = [fake_model.refs_sent(b) for b in server.bodies[:-1]]
    assert sorted(r for refs in sent for r in refs) == list(range(1, 401))  # every message once
    assert not digest.gaps and not digest.extractive and digest.engine == "fake-model"
    [tldr] = digest.tldr  # the merge's TL;DR, in words of the thread
    assert tldr.startswith("Felix, can you redraft scene 3") and digest.untraced == 0


async def test_prompts_carry_at_most_a_fifth_more_than_the_thread(
    server: CountingServer, model: OpenAIEngine
) -> None:
    messages = long_thread(2000)
    digest = await summarize_with_model(messages, model)  # the engine's own budget
    assert len(server.bodies) == expected_calls(messages, model.context_budget)
    sent = sum(u.prompt_tokens for u in digest.usage)
    assert sent <= 1.2 * thread_tokens(messages)


async def test_no_more_than_the_concurrency_limit_is_in_flight(
    server: CountingServer, model: OpenAIEngine
) -> None:
    await summarize_with_model(long_thread(300), model, budget=400, concurrency=2)
    assert len(server.bodies) > 4
    assert server.peak == 2


async def test_every_point_cites_the_message_it_rests_on(
    server: CountingServer, model: OpenAIEngine
) -> None:
    messages = long_thread(120)
    digest = await summarize_with_model(messages, model, budget=500)
    by_ts = {m.ts: m for m in messages}
    assert digest.decisions and digest.action_items and digest.open_questions
    for point in [*digest.decisions, *digest.open_questions]:
        source = by_ts[point.ts]
        assert point.author == source.author and point.link == source.link
        assert point.text == source.text
    for item in digest.action_items:
        assert item.owner == "Felix Moreau"  # "Felix" resolved to the thread's display name
        assert item.source.author == by_ts[item.source.ts].author
    assert "— Felix Moreau (https://example.slack.com/p" in render_markdown(digest)


async def test_a_cited_number_outside_the_chunk_is_dropped(
    server: CountingServer, model: OpenAIEngine
) -> None:
    server.push(
        FakeReply.say_json(
            fake_model.map_json(
                tldr=["x"],
                decisions=[
                    {"text": "the foghorn cue lands late", "ref": 999},
                    {"text": "the foghorn cue lands late", "ref": 1},
                ],
            )
        )
    )
    digest = await summarize_with_model(long_thread(5), model)
    assert [p.text for p in digest.decisions] == ["the foghorn cue lands late"]
    assert digest.untraced == 1


def failing_once_then(fail_times: int) -> Any:
    """A server default that fails the chunk holding message 1 ``fail_times`` times."""
    failures = {"left": fail_times}

    def default(body: Mapping[str, Any]) -> FakeReply:
        if 1 in fake_model.refs_sent(body) and failures["left"] > 0:
            failures["left"] -= 1
            return FakeReply.fail(500, "The model tripped over this part.", kind="server_error")
        return fake_model.answer(body)

    return default


async def test_a_failing_chunk_is_retried() -> None:
    async with (
        FakeOpenAIServer(default=failing_once_then(1)) as server,
        OpenAIEngine(base_url=server.base_url, api_key="sk-t", max_retries=0) as m,
    ):
        digest = await summarize_with_model(long_thread(200), m, budget=500)
    first_chunk = [b for b in server.bodies[:-1] if 1 in fake_model.refs_sent(b)]
    assert len(first_chunk) == 2
    assert digest.gaps == []


async def test_a_chunk_that_keeps_failing_is_reported_and_the_rest_summarized() -> None:
    async with (
        FakeOpenAIServer(default=failing_once_then(10)) as server,
        OpenAIEngine(base_url=server.base_url, api_key="sk-t", max_retries=0) as m,
    ):
        digest = await summarize_with_model(long_thread(200), m, budget=500)
    first_chunk = [b for b in server.bodies[:-1] if 1 in fake_model.refs_sent(b)]
    assert len(first_chunk) == 2  # tried, retried once, then given up
    [gap] = digest.gaps
    assert gap.startswith("Messages 1–") and "after 2 tries" in gap and "(500)" in gap
    assert digest.decisions  # the other chunks still count
    assert "**Not covered**" in render_markdown(digest)


async def test_a_failed_merge_keeps_the_parts_and_says_so(
    server: CountingServer, model: OpenAIEngine
) -> None:
    def default(body: Mapping[str, Any]) -> FakeReply:
        if str(body["messages"][0]["content"]).startswith("You merge"):
            return FakeReply.say("not json at all")
        return fake_model.answer(body)

    server.default = default
    digest = await summarize_with_model(long_thread(200), model, budget=500)
    assert digest.decisions
    assert any("final merge failed" in g for g in digest.gaps)


async def test_the_engine_entry_point_uses_the_model_when_there_is_one(
    server: CountingServer, model: OpenAIEngine
) -> None:
    digest = await summarize_thread(long_thread(10), model)
    assert digest.engine == "fake-model" and len(server.bodies) == 1  # one chunk, no merge
    assert digest.tldr == [long_thread(10)[0].text]


async def test_points_the_thread_does_not_bear_out_are_dropped_and_counted() -> None:
    async with (
        FakeOpenAIServer(default=fake_model.untraceable) as server,
        OpenAIEngine(base_url=server.base_url, api_key="sk-t", max_retries=0) as m,
    ):
        digest = await summarize_with_model(long_thread(10), m)
    assert digest.decisions == [] and digest.action_items == [] and digest.tldr == []
    assert digest.characters == []
    assert digest.untraced == 4  # the TL;DR, the decision, the task for nobody, the character
    assert "4 points the model made could not be traced to a message and were dropped" in (
        render_markdown(digest)
    )


async def test_the_model_characters_are_the_stories_not_the_rooms(
    server: CountingServer, model: OpenAIEngine
) -> None:
    messages = thread(
        (NOOR, "Felix, can you rewrite the Amara scene? the keeper finds her at dawn"),
        (FELIX, "sure, Amara and the keeper it is"),
    )
    server.push(
        FakeReply.say_json(fake_model.map_json(characters=["Amara", "Felix Moreau", "Noor"]))
    )
    digest = await summarize_with_model(messages, model, characters=["Amara Osei"])
    assert digest.characters == ["Amara Osei"] and digest.untraced == 0


async def test_a_thread_of_only_emoji_asks_the_model_nothing(
    server: CountingServer, model: OpenAIEngine
) -> None:
    digest = await summarize_with_model(thread((NOOR, ":tada:"), (FELIX, "🔥🔥")), model)
    assert server.bodies == [] and "only emoji" in render_markdown(digest)
    empty = await summarize_with_model([], model)
    assert "No messages" in render_markdown(empty)


async def test_the_model_digest_keeps_the_size_budget(
    server: CountingServer, model: OpenAIEngine
) -> None:
    digest = await summarize_with_model(long_thread(400), model, budget=800)
    assert read_length(render_markdown(digest)) <= budget(digest)
    assert digest.thread_chars == sum(len(m.text) for m in long_thread(400))
