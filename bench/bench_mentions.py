"""100 concurrent mentions, each in its own thread, against a model that takes 1.0 s.

The bot (SQLite in a temp dir) serves Slack's HTTP door on 127.0.0.1 with an
OpenAI-compatible fake model in a process of its own that answers every request after
MODEL_DELAY seconds, all at once; the fake Slack Web API runs in a second process and the
load in a third, which also watches the fake Slack for the replies (so the bot's process
runs nothing but the bot while it is measured). Each mention asks in plain words
("@writersroom write a short synopsis of a heist, case N"), in its own thread. Measured:
the acknowledgment (the HTTP answer to the event) p50/p99, and the final reply (from the
event sent to its reply's last edit, with its buttons, at the fake Slack) p50/p99.
Beside them, the floor: the same load against a server that answers 200 at once, which
is what the load generator itself costs. And, to see where a final reply's time goes:
when the burst's last model request reached the model (the bot is CPU-bound until then;
a reply lands about MODEL_DELAY after its request), and how much of the bot's event loop
thread's CPU the burst took until then (``LoopClock``), which varies less with a noisy
machine than wall time.

Targets: ack p99 under 100 ms above the floor; final reply p99 under 1.3 s.
Run: python -m bench mentions (also run by python -m bench slack)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import multiprocessing as mp
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.bench_slack import SECRET, TOKEN, WRITERS, CallLog, _fake_slack, finished_reply, send_all
from bench.common import child_process, helper_process, percentile, run_loop, table

MENTIONS = 100
ROUNDS = ("1", "2")
"""Two bursts on one bot: the first finds it just started (its first model call, its
first database writes), the second warm, as a service runs most of the time."""
MODEL_DELAY = 1.0
TARGET_ACK_ABOVE_FLOOR_MS = 100.0
TARGET_FINAL_P99_S = 1.3


def _serve_model(conn: Connection) -> None:
    """Child process: a model that answers every request after MODEL_DELAY, at once;
    asked "arrivals", it sends the wall-clock times its requests came in."""
    from tests.fakes import FakeOpenAIServer, FakeReply

    arrivals: list[float] = []

    def reply(body: object) -> FakeReply:
        arrivals.append(time.time())
        return FakeReply.say("A crew of misfits robs the vault under a storm.", chunk_chars=200)

    async def main() -> None:
        async with FakeOpenAIServer(default=reply, delay=MODEL_DELAY) as server:
            conn.send(server.base_url)
            while await asyncio.to_thread(conn.recv) == "arrivals":
                conn.send(list(arrivals))

    run_loop(main())


@contextlib.contextmanager
def _model() -> Iterator[tuple[str, Callable[[], list[float]]]]:
    """The fake model's process: its URL, and a way to ask when its requests came in."""
    with helper_process(_serve_model) as (url, pipe):

        def arrivals() -> list[float]:
            pipe.send("arrivals")
            found: list[float] = pipe.recv()
            return found

        yield url, arrivals


def _serve_floor(conn: Connection) -> None:
    """Child process: an HTTP server that answers 200 at once (the load's own cost)."""
    from aiohttp import web

    async def main() -> None:
        async def ok(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(status=200)

        app = web.Application()
        app.router.add_post("/slack/events", ok)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        host, port = runner.addresses[0][:2]
        conn.send(f"http://{host}:{port}/slack/events")
        await asyncio.to_thread(conn.recv)
        await runner.cleanup()

    run_loop(main())


def _events(url: str, tag: str) -> list[tuple[str, bytes]]:
    from tests.adapters.slack.conftest import signature

    target = urlparse(url)
    out = []
    for i in range(MENTIONS):
        thread = f"1800000{tag}.{i:06d}"
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T0WRITERS",
                "api_app_id": "A0WR",
                "type": "event_callback",
                "event": {
                    "type": "app_mention",
                    "channel": f"CM{i % 20:04d}",
                    "user": f"U{i % WRITERS}",
                    "team": "T0WRITERS",
                    "text": f"<@UBOT> write a short synopsis of a heist, case {i}",
                    "ts": f"1800000{tag}.{i:06d}9",
                    "thread_ts": thread,
                    "event_ts": f"1800000{tag}.{i:06d}9",
                },
                "event_id": f"Ev{tag}{i:06d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": "T0WRITERS", "user_id": "UBOT", "is_bot": True}],
            }
        ).encode()
        ts = int(time.time())
        head = (
            f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {ts}\r\n"
            f"X-Slack-Signature: {signature(body, ts, SECRET)}\r\n"
            "Connection: close\r\n\r\n"
        )
        out.append((url, head.encode() + body))
    return out


def _load(url: str, fake_url: str | None, tag: str, conn: Connection) -> None:
    """Child process: send the burst, then (given the fake Slack) wait for its replies."""

    async def main() -> tuple[list[tuple[int, float]], list[float], float]:
        went: list[float] = []
        results = await send_all(_events(url, tag), went)
        finals = [] if fake_url is None else await _watch(fake_url, tag, went[0])
        return results, finals, went[0]

    conn.send(run_loop(main()))


async def _watch(fake_url: str, tag: str, started: float) -> list[float]:
    """Each reply's time to its final state, polling the fake Slack for up to a minute."""
    log = CallLog(fake_url)
    deadline = time.monotonic() + 60
    finals: list[float] = []
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        finals = _finals(await log.fetch(), tag, started)
        if len(finals) >= MENTIONS:
            break
    return finals


async def _burst(
    url: str, tag: str, fake_url: str | None = None
) -> tuple[list[tuple[int, float]], list[float], float]:
    """One burst from a load process: each event's (status, ack seconds), with
    ``fake_url`` each reply's seconds to its final state, and when the burst went."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    load = ctx.Process(target=_load, args=(url, fake_url, tag, child))
    load.start()
    found: tuple[list[tuple[int, float]], list[float], float] = await asyncio.to_thread(parent.recv)
    await asyncio.to_thread(load.join)
    return found


Seen = tuple[str, bool, bool, float]
"""A post or edit of a reply: (kind, final, accepted, wall time)."""


def _replies(calls: list[dict[str, Any]], tag: str) -> dict[str, list[Seen]]:
    """Each mention's thread: the posts and edits of its reply as the fake Slack saw them,
    in order."""
    threads = {f"1800000{tag}.{i:06d}" for i in range(MENTIONS)}
    posted: dict[str, str] = {}  # reply ts -> thread
    seen: dict[str, list[Seen]] = {thread: [] for thread in threads}
    for c in calls:
        args, result = c["args"], c.get("result") or {}
        if c["method"] == "chat.postMessage" and args.get("thread_ts") in threads:
            thread, kind = str(args["thread_ts"]), "post"
            posted[str(result.get("ts"))] = thread
        elif c["method"] == "chat.update" and str(args.get("ts")) in posted:
            thread, kind = posted[str(args["ts"])], "edit"
        else:
            continue
        final = finished_reply(args.get("blocks", []))
        seen[thread].append((kind, final, bool(result.get("ok")), c["wall"]))
    return seen


def _finals(calls: list[dict[str, Any]], tag: str, started: float) -> list[float]:
    """Seconds from the burst's start to each mention's reply reaching its final state."""
    finals = (
        [wall for _, final, _, wall in states if final][-1]
        for states in _replies(calls, tag).values()
        if any(final for _, final, _, _ in states)
    )
    return sorted(t - started for t in finals)


def _unfinished(calls: list[dict[str, Any]], tag: str) -> str:
    """What the fake Slack saw of the threads whose reply never reached its final state
    (a burst that did not finish): how many got no post at all, and how many got a
    post and how many edits, with how many of those Slack refused."""
    kinds = Counter(
        ", ".join(
            f"{kind}{' final' if final else ''}{'' if ok else ' refused'}"
            for kind, final, ok, _ in states
        )
        or "nothing posted"
        for states in _replies(calls, tag).values()
        if not any(final and ok for _, final, ok, _ in states)
    )
    return "; ".join(f"{n} × [{kind}]" for kind, n in kinds.most_common())


class LoopClock:
    """The bot's event loop thread's CPU time, sampled every SAMPLE seconds while it
    runs: how much of the loop a stretch of a burst took (the burst is CPU-bound until
    its last model request leaves, and this varies less than wall time)."""

    SAMPLE = 0.005

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []

    async def run(self) -> None:
        while True:
            self.samples.append((time.time(), time.thread_time()))
            await asyncio.sleep(self.SAMPLE)

    def cpu_between(self, start: float, end: float) -> float:
        """Loop CPU seconds from wall time ``start`` to ``end`` (to a sample's precision)."""

        def at(t: float) -> float:
            return min(self.samples, key=lambda s: abs(s[0] - t))[1]

        return at(end) - at(start)


async def _round(
    url: str, fake_url: str, tag: str, arrivals: Callable[[], list[float]], clock: LoopClock
) -> dict[str, Any]:
    """One burst of mentions: each ack, when each reply reached its final state, when
    the last model request arrived, and the loop's CPU until then."""
    results, finals, started = await _burst(url, tag, fake_url)
    came = [t - started for t in await asyncio.to_thread(arrivals) if t >= started]
    last = max(came, default=float("nan"))
    unfinished = ""
    if len(finals) < MENTIONS:
        unfinished = _unfinished(await CallLog(fake_url).fetch(), tag)
    return {
        "acks": [t * 1000 for _, t in results],
        "finals": finals,
        "last request": last,
        "loop cpu": clock.cpu_between(started, started + last) if came else float("nan"),
        "requests": len(came),
        "unfinished": unfinished,
    }


async def _bot(
    fake_url: str, model_url: str, arrivals: Callable[[], list[float]]
) -> list[dict[str, Any]]:
    import aiohttp

    from bot.adapters.slack import build_slack_app, make_runtime
    from bot.adapters.slack.app import http_app, start_http
    from bot.app import open_app
    from bot.engines import make_openai_engine
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(
            load_settings({"WRITERSROOM_DATA_DIR": str(Path(tmp) / "data")}, dotenv=None),
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=f"{fake_url}/api/",
            openai_base_url=model_url,
            openai_model="fake-model",
        )
        engine = make_openai_engine(settings)
        async with open_app(settings, engine=engine) as app, aiohttp.ClientSession() as session:
            rt = make_runtime(app, session=session)
            bolt = build_slack_app(app, runtime=rt)
            runner = await start_http(http_app(bolt, rt), "127.0.0.1", 0)
            clock = LoopClock()
            sampling = asyncio.create_task(clock.run())
            try:
                host, port = runner.addresses[0][:2]
                url = f"http://{host}:{port}/slack/events"
                return [await _round(url, fake_url, tag, arrivals, clock) for tag in ROUNDS]
            finally:
                sampling.cancel()
                await runner.cleanup()
                await rt.drain()
                await app.jobs.shutdown()


def run() -> tuple[list[float], list[dict[str, Any]]]:
    """The floor's acks (ms), and each round's acks and finals."""
    with child_process(_serve_floor) as floor_url:
        floor, _, _ = run_loop(_burst(floor_url, "0"))
    with child_process(_fake_slack) as fake_url, _model() as (model_url, arrivals):
        rounds = run_loop(_bot(fake_url, model_url, arrivals))
    return [t * 1000 for _, t in floor], rounds


def main() -> None:
    floor, rounds = run()
    rows = []
    ok = True
    for n, found in enumerate(rounds):
        acks, finals = found["acks"], found["finals"]
        above = percentile(acks, 99) - percentile(floor, 99)
        final_p99 = percentile(finals, 99) if len(finals) == MENTIONS else float("inf")
        ok = ok and above < TARGET_ACK_ABOVE_FLOOR_MS and final_p99 < TARGET_FINAL_P99_S
        rows.append(
            {
                "burst": "first (cold)" if n == 0 else "again (warm)",
                "ack p50 ms": f"{percentile(acks, 50):.1f}",
                "ack p99 ms": f"{percentile(acks, 99):.1f}",
                "floor p50/p99 ms": f"{percentile(floor, 50):.1f} / {percentile(floor, 99):.1f}",
                "ack p99 above floor ms": f"{above:.1f}",
                "final p50 s": f"{percentile(finals, 50):.2f}" if finals else "-",
                "final p99 s": f"{final_p99:.2f}",
                "finished": f"{len(finals)}/{MENTIONS}",
                "last model request s": f"{found['last request']:.3f}",
                "loop CPU to it ms": f"{found['loop cpu'] * 1000:.0f}",
            }
        )
    print(
        f"Slack mentions: {MENTIONS} at once, each in its own thread, model "
        f"{MODEL_DELAY:.1f} s, two bursts on one bot"
    )
    print(table(rows, list(rows[0])))
    for n, found in enumerate(rounds):
        if found["unfinished"]:
            print(
                f"burst {n + 1}: {found['requests']} model requests; what the fake Slack saw of "
                f"the unfinished replies: {found['unfinished']}"
            )
    print(
        f"target (both bursts): ack p99 < {TARGET_ACK_ABOVE_FLOOR_MS:.0f} ms above the floor, "
        f"final reply p99 < {TARGET_FINAL_P99_S} s: {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
