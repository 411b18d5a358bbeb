"""Image jobs from two bot processes on two worker processes, through the real queue."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from tests.workers.fleet import query, start_bot, workers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


async def test_ten_portraits_from_two_bots_are_each_made_once_and_posted_in_their_thread(
    pg_url: str, tiny_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with workers(pg_url, data, tiny_model, steps=6) as fleet:
        bots = [await start_bot(pg_url, data, tiny_model) for _ in range(2)]
        try:
            for i in range(10):
                bot = bots[i % 2]
                await bot.send(
                    op="run", ref=f"c{i}", channel=f"c{i}", line=f"/character new Person{i}"
                )
            for bot in bots:
                await bot.wait_for(lambda b=bot: len(b.of("finished")) == 5)
            for i in range(10):
                await bots[i % 2].send(
                    op="run", ref=f"p{i}", channel=f"c{i}", line=f"/portrait Person{i}"
                )
            for bot in bots:
                await bot.wait_for(lambda b=bot: len(b.of("finished")) == 10, within=180)
            for bot in bots:
                await bot.send(op="quit")
                await bot.wait_for(lambda b=bot: b.of("modules"))
        finally:
            for bot in bots:
                await bot.stop()
        logs = [line for w in fleet for line in w.lines]

    for n, bot in enumerate(bots):
        assert bot.of("modules")[0]["torch"] is False  # the bot process never imports torch
        for i in range(n, 10, 2):
            ref = f"p{i}"
            (finished,) = bot.of("finished", ref)
            assert finished["state"] == "done"
            posts = bot.of("post", ref)
            assert posts and posts[0]["partial"], posts
            finals = [e for e in bot.of("update", ref) if not e["partial"] and e["images"]]
            assert len(finals) == 1, finals  # answered once
            assert finals[0]["thread"] == posts[0]["thread"] and finals[0]["channel"] == f"c{i}"
            assert finals[0]["title"] == f"Person{i} · portrait"
            assert Path(finals[0]["images"][0]).is_file()  # noqa: ASYNC240
            steps = [e["text"] for e in bot.of("progress", ref) if e["text"].startswith("Step")]
            assert steps, bot.of("progress", ref)  # progress seen

    # the place in line was told, and it moved as the line did
    places = [
        [
            int(m)
            for e in bot.of("update", f"p{i}")
            for m in re.findall(r"(\d+)\w\w in line", e["body"] or "")
        ]
        for i, bot in ((i, bots[i % 2]) for i in range(10))
    ]
    assert any(len(set(p)) > 1 and p == sorted(p, reverse=True) for p in places), places
    rows = query(pg_url, "SELECT state, lost FROM image_jobs")
    assert sorted(rows) == [("posted", 0)] * 10
    threads = query(
        pg_url,
        "SELECT s.channel, i.character, i.thread FROM images i JOIN stories s ON s.id = i.story_id",
    )
    assert sorted((c, name) for c, name, _ in threads) == sorted(
        (f"c{i}", f"Person{i}") for i in range(10)
    )
    done = collections.Counter(re.findall(r"image job (\w+) done on", "\n".join(logs)))
    assert len(done) == 10 and set(done.values()) == {1}  # each made once
    per_worker = [sum("done on" in line for line in w.lines) for w in fleet]
    assert all(n > 0 for n in per_worker), per_worker  # both workers took jobs
