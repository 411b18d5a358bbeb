"""Load on PostgreSQL with three bot processes, one of them killed mid-run.

Three real ``python -m bot slack --http`` processes (tests/multiprocess/bots.py) on one
database of a local PostgreSQL cluster, the fake Slack Web API, and a fake model server
in its own process that fails 10% of requests (429, 500, or a hang past the timeout).
CHANNELS channels each type their next command when the last is answered, sent to the
processes in turn; when half the commands have been sent, one process is killed with
SIGKILL (and reaped). From then on the load sends to the two left, as a load balancer
whose health check failed would; a command that finds the dead process's port closed is
sent again to another (it was never delivered). One whose connection broke after it was
sent, before its acknowledgment, is typed again by the writer: Slack never sends a slash
command twice, but it tells the writer the command failed (its own "didn't respond"
notice) when no 200 comes within 3 seconds. A command the dead process had acknowledged
is its to answer: a survivor must answer it for the process that died.

Checks, counted at the fake Slack and in the database:
- every command answered: its channel gets one top-level message per command, and it
  ends final (a result, a clear error, or, for a job the dead process had started, its
  draft edited by the survivor into a note with Retry), never silence or a draft left
  "Writing…";
- never twice: no channel has more top-level messages than commands (a command typed
  again after a failed delivery counts once: the first try must not be answered too);
- 0 revisions lost: every logline the bot confirmed is in a revision.

Run: python -m bench load (after the one-process table)
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

CHANNELS = 45
SCRIPT = [
    "story set logline L{c}-{k}",
    "synopsis short",
    "character new Pilot{c} role:lead a salvage pilot",
    "story set logline M{c}-{k}",
    "outline",
    "story set genre thriller",
    "dialogue Pilot{c}: the dock at night",
    "story set logline N{c}-{k}",
]
ANSWER_WITHIN = 90.0


def _settled(calls: list[dict[str, Any]], channel: str) -> bool:
    """Whether the channel's newest answer is final: its latest version (the post, or
    its last edit) is not a draft still being written."""
    from tests.adapters.slack.conftest import texts

    newest: str | None = None
    shown: dict[str, str] = {}
    for c in calls:
        args, result = c["args"], c.get("result") or {}
        if args.get("channel") != channel or not result.get("ok"):
            continue
        text = " ".join(texts(args.get("blocks") or [])) or str(args.get("text") or "")
        if c["method"] == "chat.postMessage" and not args.get("thread_ts"):
            newest = str(result.get("ts"))
            shown[newest] = text
        elif c["method"] == "chat.update":
            shown[str(args.get("ts"))] = text
        elif c["method"] == "chat.postEphemeral":
            newest = None  # a private answer is final
    return newest is None or "Writing…" not in shown.get(newest, "")


def _top_level(calls: list[dict[str, Any]], channel: str) -> int:
    """Messages that answer a command in ``channel``: posts outside threads, and private
    answers (errors to the one who typed)."""
    n = 0
    for c in calls:
        args, result = c["args"], c.get("result") or {}
        if args.get("channel") != channel or not result.get("ok"):
            continue
        if c["method"] == "chat.postEphemeral" or (
            c["method"] == "chat.postMessage" and not args.get("thread_ts")
        ):
            n += 1
    return n


async def _run(database: str, model_url: str, tmp: Path) -> dict[str, Any]:
    from tests.adapters.slack.conftest import texts
    from tests.adapters.slack.fake_slack import FakeSlack
    from tests.multiprocess.bots import bots

    sent = Counter[str]()
    unanswered: list[str] = []
    retyped: list[str] = []
    confirmed: set[str] = set()
    async with (
        FakeSlack() as fake,
        bots(3, database, fake, tmp, model_url=model_url, lease=10) as procs,
    ):
        total = CHANNELS * len(SCRIPT)
        count = 0
        dead: set[int] = set()
        turn = iter(range(10**9))
        killed_at: float | None = None
        calls: list[dict[str, Any]] = []
        refresher_stop = asyncio.Event()

        async def refresh() -> None:
            nonlocal calls
            while not refresher_stop.is_set():
                calls = [
                    {"method": c.method, "args": c.args, "result": c.result} for c in fake.calls
                ]
                await asyncio.sleep(0.1)

        async def send(command: str, text: str, channel: str) -> None:
            nonlocal count, killed_at
            while True:
                i = next(turn) % 3
                if i in dead:
                    continue
                try:
                    got = await procs[i].slack.command(command, text, channel=channel)
                except aiohttp.ClientConnectorError:  # the port is closed: never delivered
                    dead.add(i)
                    continue
                except aiohttp.ClientConnectionError:
                    # Delivered, and the process died before it acknowledged it: Slack
                    # shows the writer the command failed, and the writer types it again
                    # (to a process that is up, as the load balancer now sends).
                    dead.add(i)
                    retyped.append(f"{channel} /{command}")
                    continue
                if got.status == 200:
                    break
            count += 1
            if count == total // 2 and not dead:
                procs[0].kill()
                dead.add(0)
                killed_at = time.monotonic()

        async def channel_run(c: int) -> None:
            channel = f"CL{c:04d}"
            for k, line in enumerate(SCRIPT):
                command, _, text = line.format(c=c, k=k).partition(" ")
                await send(command, text, channel)
                sent[channel] += 1
                deadline = time.monotonic() + ANSWER_WITHIN
                while _top_level(calls, channel) < sent[channel] or not _settled(calls, channel):
                    if time.monotonic() > deadline:
                        unanswered.append(f"{channel} #{k + 1} /{command}")
                        return
                    await asyncio.sleep(0.1)

        refresher = asyncio.create_task(refresh())
        t0 = time.monotonic()
        await asyncio.gather(*(channel_run(c) for c in range(CHANNELS)))
        elapsed = time.monotonic() - t0
        await asyncio.sleep(3)  # late duplicates, if any, would land now
        refresher_stop.set()
        await refresher
        final = [{"method": c.method, "args": c.args, "result": c.result} for c in fake.calls]
        twice = [ch for ch in sent if _top_level(final, ch) > sent[ch]]
        notes = sum(
            "A restart interrupted" in " ".join(texts(c.args.get("blocks") or []))
            for c in fake.calls
            if c.method in ("chat.postMessage", "chat.update")
        )
        for c in fake.calls:
            if c.method == "chat.postMessage":
                for t in texts(c.args.get("blocks") or []):
                    if t.startswith("*Logline* is now: "):
                        confirmed.add(t.removeprefix("*Logline* is now: ").strip())
        apologies = sum(
            "something went wrong on my side" in " ".join(texts(c.args.get("blocks") or []))
            for c in fake.calls
            if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral")
        )
    from storage import open_store

    store = await open_store(database)
    try:
        logged: set[str] = set()
        for story in await _all_stories(store):
            for rev in await store.history(story, limit=10_000, entity="story"):
                if rev.after and rev.after.get("logline"):
                    logged.add(str(rev.after["logline"]))
    finally:
        await store.close()
    return {
        "commands": sum(sent.values()),
        "seconds": elapsed,
        "unanswered": unanswered,
        "retyped": retyped,
        "twice": twice,
        "notes": notes,
        "apologies": apologies,
        "lost": sorted(confirmed - logged),
        "confirmed": len(confirmed),
        "killed": killed_at is not None,
    }


async def _all_stories(store: Any) -> list[int]:
    rows = await store.database.query("SELECT id FROM stories")
    return [int(r[0]) for r in rows]


def run() -> dict[str, Any]:
    from bench.bench_load import _serve
    from bench.common import run_loop
    from tests.pg import running_cluster

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    model = ctx.Process(target=_serve, args=(child,), daemon=True)
    model.start()
    try:
        model_url = parent.recv()
        with running_cluster(durable=True) as cluster, tempfile.TemporaryDirectory() as tmp:
            result = run_loop(_run(cluster.database(), model_url, Path(tmp)))
        parent.send("stop")
        result["model"] = parent.recv()
        return result
    finally:
        with contextlib.suppress(Exception):
            parent.close()
        model.join(5)


def rows(result: dict[str, Any]) -> list[dict[str, object]]:
    def ok(flag: bool) -> str:
        return "yes" if flag else "NO"

    return [
        {"measure": "commands sent", "value": result["commands"], "target": "", "ok": ""},
        {
            "measure": "one process killed (SIGKILL) at half",
            "value": "yes" if result["killed"] else "no",
            "target": "yes",
            "ok": ok(result["killed"]),
        },
        {
            "measure": "typed again (delivery broke before its ack)",
            "value": len(result["retyped"]),
            "target": "",
            "ok": "",
        },
        {
            "measure": "unanswered",
            "value": len(result["unanswered"]),
            "target": 0,
            "ok": ok(not result["unanswered"]),
        },
        {
            "measure": "answered twice (channels)",
            "value": len(result["twice"]),
            "target": 0,
            "ok": ok(not result["twice"]),
        },
        {
            "measure": "interrupted jobs reported with Retry",
            "value": result["notes"],
            "target": "",
            "ok": "",
        },
        {
            "measure": "apologies (something went wrong)",
            "value": result["apologies"],
            "target": 0,
            "ok": ok(result["apologies"] == 0),
        },
        {
            "measure": "revisions lost (confirmed loglines)",
            "value": f"{len(result['lost'])} of {result['confirmed']}",
            "target": 0,
            "ok": ok(not result["lost"]),
        },
        {"measure": "wall time s", "value": f"{result['seconds']:.1f}", "target": "", "ok": ""},
    ]


def main() -> None:
    from bench.common import table

    result = run()
    print(
        f"load on PostgreSQL: 3 Slack HTTP processes, {CHANNELS} channels x {len(SCRIPT)} "
        "commands, 10% model failures, one process killed mid-run"
    )
    print(table(rows(result), ["measure", "value", "target", "ok"]))
    print("model requests: " + ", ".join(f"{k} {v}" for k, v in sorted(result["model"].items())))
    if result["unanswered"]:
        print("unanswered: " + ", ".join(result["unanswered"][:10]))


if __name__ == "__main__":
    main()
