"""A burst of signed slash commands against the Slack adapter over HTTP.

The bot (offline engine, SQLite in a temp dir) serves Bolt on 127.0.0.1; the fake Slack
Web API runs in a second process and the load in a third, as Slack and its users would
be. 300 signed /synopsis commands go out at once over 30 channels. Reported: the
acknowledgment latency (p50, p99, max; target p99 under 100 ms against Slack's 3,000 ms),
whether every reply was posted and finished (counted at the fake API), and the smallest
gap between two edits of one message (must not be under the edit throttle).

Run: python -m bench.bench_slack
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import multiprocessing as mp
import tempfile
import time
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

BURST = 300
CHANNELS = 30
SECRET = "bench-signing-secret"
TOKEN = "xoxb-test-token"
TARGET_P99_MS = 100.0


def _fake_slack(conn: Connection) -> None:
    """Child process: the fake Web API until the parent closes the pipe."""
    from tests.adapters.slack.fake_slack import FakeSlack

    async def serve() -> None:
        async with FakeSlack() as fake:
            conn.send(fake.url)
            await asyncio.to_thread(conn.recv)  # EOF or "stop"

    with contextlib.suppress(EOFError):
        asyncio.run(serve())


def _load(url: str, count: int, conn: Connection) -> None:
    """Child process: send ``count`` signed commands at once, report each ack's latency."""
    import aiohttp

    from tests.adapters.slack.conftest import signature

    async def burst() -> list[tuple[int, float]]:
        from urllib.parse import urlencode

        bodies = []
        for i in range(count):
            body = urlencode({
                "team_id": "T0WRITERS", "channel_id": f"C{i % CHANNELS:04d}",
                "user_id": f"U{i % 7}", "user_name": f"writer{i % 7}",
                "command": "/synopsis", "text": "short", "trigger_id": f"{i}.trig",
                "response_url": f"{url.rsplit('/slack', 1)[0]}/unused/{i}"}).encode()
            ts = int(time.time())
            bodies.append((body, {"Content-Type": "application/x-www-form-urlencoded",
                                  "X-Slack-Request-Timestamp": str(ts),
                                  "X-Slack-Signature": signature(body, ts, SECRET)}))
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            start = asyncio.Event()

            async def one(body: bytes, headers: dict[str, str]) -> tuple[int, float]:
                await start.wait()
                t0 = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    return resp.status, time.perf_counter() - t0

            tasks = [asyncio.create_task(one(b, h)) for b, h in bodies]
            await asyncio.sleep(0.05)
            start.set()
            return await asyncio.gather(*tasks)

    conn.send(asyncio.run(burst()))


async def _calls(fake_url: str) -> list[dict[str, Any]]:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(f"{fake_url}/_calls") as resp:
        calls: list[dict[str, Any]] = await resp.json()
        return calls


def _finished(calls: list[dict[str, Any]]) -> tuple[int, int, float]:
    """(replies posted, replies finished with buttons, smallest gap between two writes of
    one message: its post and its edits)."""
    writes: dict[str, list[float]] = defaultdict(list)
    last: dict[str, dict[str, Any]] = {}
    posted = 0
    for c in calls:
        args, result = c["args"], c.get("result") or {}
        if c["method"] == "chat.postMessage" and result.get("ok") and not args.get("thread_ts"):
            posted += 1
            writes[str(result["ts"])].append(c["at"])
        elif c["method"] == "chat.update":
            writes[str(args["ts"])].append(c["at"])
            last[str(args["ts"])] = args
    finished = sum(1 for args in last.values()
                   if any(b.get("type") == "actions" for b in args.get("blocks", [])))
    gaps = [b - a for times in writes.values() for a, b in itertools.pairwise(sorted(times))]
    return posted, finished, min(gaps) if gaps else float("inf")


async def _bench(fake_url: str, engine: Any = None) -> dict[str, Any]:
    import aiohttp
    from aiohttp import web

    from bench.common import percentile
    from bot.adapters.slack import build_slack_app
    from bot.adapters.slack.app import BACKLOG
    from bot.adapters.slack.throttle import EDIT_INTERVAL
    from bot.app import open_app
    from bot.settings import load_settings

    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(
            load_settings({"WRITERSROOM_DATA_DIR": str(Path(tmp) / "data")}, dotenv=None),
            slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=f"{fake_url}/api/")
        async with open_app(settings, engine=engine) as app, aiohttp.ClientSession() as session:
            bolt = build_slack_app(app, session=session)
            runner = web.AppRunner(bolt.web_app(), access_log=None)
            await runner.setup()
            try:
                site = web.TCPSite(runner, "127.0.0.1", 0, backlog=BACKLOG)
                await site.start()
                host, port = runner.addresses[0][:2]
                parent, child = ctx.Pipe()
                load = ctx.Process(target=_load, args=(f"http://{host}:{port}/slack/events",
                                                       BURST, child))
                t0 = time.perf_counter()
                load.start()
                results: list[tuple[int, float]] = await asyncio.to_thread(parent.recv)
                await asyncio.to_thread(load.join)
                while True:  # every reply posted and finished
                    await asyncio.sleep(0.2)
                    posted, finished, gap = _finished(await _calls(fake_url))
                    if (finished >= BURST and not app.jobs.running()) or \
                            time.perf_counter() - t0 > 300:
                        break
                total = time.perf_counter() - t0
            finally:
                await runner.cleanup()
                await app.jobs.shutdown()
    acks = [t * 1000 for _, t in results]
    return {
        "requests": len(results),
        "acked 200": sum(1 for s, _ in results if s == 200),
        "ack p50 ms": round(percentile(acks, 50), 1),
        "ack p99 ms": round(percentile(acks, 99), 1),
        "ack max ms": round(max(acks), 1),
        "replies posted": posted,
        "replies finished": finished,
        "min edit gap s": round(gap, 3),
        "edit throttle s": EDIT_INTERVAL,
        "all done in s": round(total, 2),
    }


def run(engine: Any = None) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    fake = ctx.Process(target=_fake_slack, args=(child,))
    fake.start()
    try:
        fake_url = parent.recv()
        return asyncio.run(_bench(fake_url, engine))
    finally:
        parent.close()
        fake.join(timeout=10)
        if fake.is_alive():
            fake.terminate()


def main() -> None:
    from bench.common import table

    row = run()
    print(f"Slack adapter: a burst of {BURST} signed slash commands over HTTP")
    print(table([{"metric": k, "value": v} for k, v in row.items()], ["metric", "value"]))
    ok = (row["ack p99 ms"] < TARGET_P99_MS and row["replies finished"] == BURST
          and row["replies posted"] == BURST and row["min edit gap s"] >= row["edit throttle s"])
    print(f"target: ack p99 < {TARGET_P99_MS:.0f} ms, every reply posted and finished, "
          f"no edit faster than the throttle: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
