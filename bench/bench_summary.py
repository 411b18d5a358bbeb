"""Summaries of a 5,000-message thread: offline time, and model calls and prompt tokens.

The thread is the annotated threads of bench/threads, repeated with fresh
timestamps until it holds 5,000 messages (or a generated room chat when the samples are
not there). Targets, from the issue:

- offline summary, and its reply body, under 2 s on one core (median of RUNS);
- with the fake model server (tests/fakes): model calls at most ceil(thread tokens /
  chunk budget) + 1, prompt tokens sent at most 1.2 x the thread's tokens.

Run: python -m bench summary   (or python -m bench.bench_summary); it also prints the
quality scores of bench.summary_quality.
"""

from __future__ import annotations

import math
import time

from bench.common import median, run_loop, table
from generation.openai_engine import OpenAIEngine
from generation.summarize.mapreduce import DEFAULT_BUDGET, summarize_with_model, thread_tokens
from generation.summarize.model import Digest, ThreadMessage, render_markdown
from generation.summarize.offline import summarize_offline
from generation.summarize.render import read_length

MESSAGES = 5_000
RUNS = 5
TARGET_OFFLINE_S = 2.0
TOKEN_RATIO = 1.2


def big_thread(n: int = MESSAGES) -> list[ThreadMessage]:
    from bench.summary_threads import load_all, threads_dir

    base: list[ThreadMessage] = []
    if threads_dir().is_dir():
        for sample in load_all():
            base += sample.messages
    if not base:
        names = ["Dana Okafor", "Priya Raman", "Theo Brandt", "Marcus Feld"]
        base = [
            ThreadMessage(names[i % 4], f"U{i % 4}", str(i), line)
            for i, line in enumerate(
                [
                    "ok target first. where did we land friday?",
                    "calling it: the target is the ledger in the vault.",
                    "Priya, can you draft the cold open by Thursday?",
                    "does SABLE talk out loud? parking it for now",
                ]
                * 10
            )
        ]
    return [
        ThreadMessage(
            m.author,
            m.author_id,
            f"{1_700_000_000 + i}.000100",
            m.text,
            f"https://example.slack.com/archives/C1/p{1_700_000_000 + i}000100",
        )
        for i, m in enumerate(base[i % len(base)] for i in range(n))
    ]


def _points(d: Digest) -> str:
    return f"{len(d.decisions)}d/{len(d.open_questions)}q/{len(d.action_items)}a"


def offline_row(messages: list[ThreadMessage]) -> dict[str, object]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        digest = summarize_offline(messages)
        body = render_markdown(digest)
        times.append(time.perf_counter() - start)
    return {
        "case": f"offline, {len(messages):,} messages",
        "median": f"{median(times):.2f} s",
        "max": f"{max(times):.2f} s",
        "calls": "0",
        "prompt tokens": "-",
        "target": f"< {TARGET_OFFLINE_S:g} s: "
        + ("ok" if median(times) < TARGET_OFFLINE_S else "MISSED"),
        "points": _points(digest) + f", {read_length(body) / digest.thread_chars:.1%} of thread",
    }


async def model_row(messages: list[ThreadMessage], budget: int) -> dict[str, object]:
    from tests.fakes import FakeOpenAIServer
    from tests.summarize.fake_model import answer

    times, calls, prompt = [], 0, 0
    for _ in range(RUNS):
        async with FakeOpenAIServer(default=answer) as server:
            async with OpenAIEngine(
                base_url=server.base_url, api_key="sk-bench", model="fake-model", max_retries=0
            ) as model:
                start = time.perf_counter()
                digest = await summarize_with_model(messages, model, budget=budget)
                times.append(time.perf_counter() - start)
            calls = len(server.bodies)
            prompt = sum(u.prompt_tokens for u in digest.usage)
    tokens = thread_tokens(messages)
    bound = math.ceil(tokens / budget) + 1
    ok = calls <= bound and prompt <= TOKEN_RATIO * tokens
    return {
        "case": f"fake model, {len(messages):,} messages, chunk budget {budget:,}",
        "median": f"{median(times):.2f} s",
        "max": f"{max(times):.2f} s",
        "calls": f"{calls} (bound {bound})",
        "prompt tokens": f"{prompt:,} = {prompt / tokens:.2f} x thread ({tokens:,})",
        "target": f"calls <= bound, tokens <= {TOKEN_RATIO} x: {'ok' if ok else 'MISSED'}",
        "points": _points(digest),
    }


def main() -> None:
    messages = big_thread()
    rows = [offline_row(messages), run_loop(model_row(messages, DEFAULT_BUDGET))]
    print(f"Summaries of a {len(messages):,}-message thread (median of {RUNS} runs)")
    print(table(rows, ["case", "median", "max", "calls", "prompt tokens", "target", "points"]))
    print()
    from bench import summary_quality

    summary_quality.main()


if __name__ == "__main__":
    main()
