"""One, two and three Slack HTTP processes on one PostgreSQL: does it scale?

For each process count N, N real ``python -m bot slack --http`` processes run on a fresh
database of a local PostgreSQL cluster (its default durability; tests/pg.py), with the
fake Slack Web API and a fake model server (first token after 0.5 s, a chunk every
0.1 s) each in a process of their own, as Slack and a model would be. The load comes
from another process that sends to the N processes in turn (round-robin, as a load
balancer would):

- a burst of 300 signed /synopsis commands over 30 channels at once: the acknowledgment
  latency (p50, p99) per process count;
- then 600 at once over 60 channels: the time until every reply is posted and finished
  (counted at the fake Slack), and its ratio to one process's time.

What limits it is printed beside the figures: everything (N bots, PostgreSQL, the fakes
and the load) shares this machine's cores, so more processes add CPU only up to the
number of cores.

Run: python -m bench scale
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import tempfile
import time
import types
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

from bench.bench_slack import WRITERS, CallLog, _fake_slack, finished_reply, send_all
from bench.common import child_process, percentile, run_loop, table

ACK_BURST = 300
ACK_CHANNELS = 30
WORK_BURST = 600
WORK_CHANNELS = 60
COUNTS = (1, 2, 3)
SECRET = "test-signing-secret-8f742231b10e"  # the one tests/multiprocess/bots.py signs with


def _requests(urls: list[str], count: int, tag: str, channels: int) -> list[tuple[str, bytes]]:
    """(url, raw HTTP request) for ``count`` signed /synopsis commands, round-robin."""
    from tests.adapters.slack.conftest import signature

    out = []
    for i in range(count):
        url = urls[i % len(urls)]
        target = urlparse(url)
        body = urlencode(
            {
                "team_id": "T0WRITERS",
                "channel_id": f"C{tag}{i % channels:04d}",
                "user_id": f"U{i % WRITERS}",
                "user_name": f"writer{i % WRITERS}",
                "command": "/synopsis",
                "text": "short",
                "trigger_id": f"{tag}.{i}.trig",
                "response_url": f"http://{target.netloc}/unused/{i}",
            }
        ).encode()
        ts = int(time.time())
        head = (
            f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {ts}\r\n"
            f"X-Slack-Signature: {signature(body, ts, SECRET)}\r\n"
            "Connection: close\r\n\r\n"
        )
        out.append((url, head.encode() + body))
    return out


def _load(urls: list[str], count: int, tag: str, channels: int, conn: Connection) -> None:
    """Child process: the burst, round-robin over the processes, sent at once."""
    conn.send(run_loop(send_all(_requests(urls, count, tag, channels))))


def _finished(calls: list[dict[str, Any]], tag: str) -> int:
    """Replies of the burst ``tag`` whose last edit carries their buttons (done)."""
    last: dict[str, dict[str, Any]] = {}
    prefix = f"C{tag}"
    for c in calls:
        args = c["args"]
        if c["method"] == "chat.update" and str(args.get("channel", "")).startswith(prefix):
            last[str(args["ts"])] = args
    return sum(1 for a in last.values() if finished_reply(a.get("blocks", [])))


async def _burst(
    urls: list[str], count: int, tag: str, channels: int, fake_url: str
) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    load = ctx.Process(target=_load, args=(urls, count, tag, channels, child))
    load.start()
    t0 = time.perf_counter()
    results: list[tuple[int, float]] = await asyncio.to_thread(parent.recv)
    await asyncio.to_thread(load.join)
    done = 0
    log = CallLog(fake_url)
    while time.perf_counter() - t0 < 600:
        await asyncio.sleep(0.25)
        done = _finished(await log.fetch(), tag)
        if done >= count:
            break
    acks = [t * 1000 for _, t in results]
    return {
        "acked": sum(1 for s, _ in results if s == 200),
        "ack p50": percentile(acks, 50),
        "ack p99": percentile(acks, 99),
        "done": done,
        "seconds": time.perf_counter() - t0,
    }


async def _measure(
    n: int, database: str, fake_url: str, model_url: str, tmp: Path
) -> dict[str, Any]:
    from tests.multiprocess.bots import BotProcess

    slack = types.SimpleNamespace(api_url=f"{fake_url}/api/")
    procs = [
        BotProcess(
            f"scale{n}-{i}",
            database,
            slack,  # type: ignore[arg-type]
            tmp / f"data{n}",
            model_url=model_url,
            lease=30,
            env={"WRITERSROOM_LOG_LEVEL": "WARNING"},
        )
        for i in range(n)
    ]
    await asyncio.gather(*(p.start() for p in procs))
    try:
        urls = [f"http://127.0.0.1:{p.port}/slack/events" for p in procs]
        acks = await _burst(urls, ACK_BURST, f"{n}a", ACK_CHANNELS, fake_url)
        work = await _burst(urls, WORK_BURST, f"{n}w", WORK_CHANNELS, fake_url)
        return {"processes": n, "acks": acks, "work": work}
    finally:
        await asyncio.gather(*(p.stop() for p in procs))


def run() -> list[dict[str, Any]]:
    from bench.bench_model import serve as serve_model
    from tests.pg import running_cluster

    found = []
    with (
        running_cluster(durable=True) as cluster,
        child_process(_fake_slack) as fake_url,
        child_process(serve_model, 0.5) as model_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for n in COUNTS:
            database = cluster.database()
            found.append(run_loop(_measure(n, database, fake_url, model_url, Path(tmp))))
    return found


def main() -> None:
    results = run()
    base = results[0]["work"]["seconds"]
    rows = []
    for r in results:
        acks, work = r["acks"], r["work"]
        rows.append(
            {
                "processes": r["processes"],
                f"ack p50 ms ({ACK_BURST})": f"{acks['ack p50']:.1f}",
                f"ack p99 ms ({ACK_BURST})": f"{acks['ack p99']:.1f}",
                "acked": f"{int(acks['acked'])}/{ACK_BURST}",
                f"{WORK_BURST} model commands s": f"{work['seconds']:.2f}",
                "finished": f"{int(work['done'])}/{WORK_BURST}",
                "vs 1 process": f"{work['seconds'] / base:.2f}x",
            }
        )
    cores = os.cpu_count() or 1
    print(
        f"Slack HTTP processes on one PostgreSQL (fake model: first token 0.5 s, a chunk every "
        f"0.1 s); {cores} cores shared by the bots, PostgreSQL, the fakes and the load"
    )
    print(table(rows, list(rows[0])))
    print(
        "What limits it: CPU. Each command costs the bot process its parsing, job rows, "
        "the bible read, the model stream and Slack edits; past the number of cores, more "
        "processes only share the same cores (and PostgreSQL's)."
    )


if __name__ == "__main__":
    main()
