"""PostgreSQL restarting under a running bot: what was in flight ends whole (its answer, or
the usual apology with an error id), nothing is half-written, and the bot goes on by
itself: the pool reconnects, no restart of the bot."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.app import open_app
from bot.settings import Settings
from tests.adapters.slack.doubles import GatedEngine
from tests.bot.helpers import Session
from tests.pg import Cluster

pytestmark = pytest.mark.timeout(60)


async def test_a_draft_in_flight_across_a_server_restart_ends_whole(
    settings: Settings, pg_cluster: Cluster, pg_url: str
) -> None:
    engine = GatedEngine()
    on_postgres = dataclasses.replace(settings, database_url=pg_url)
    async with open_app(on_postgres, engine=engine) as app:
        s = Session(app, channel="writers")
        await s.say("/story set logline A diver finds a door under the reef")
        drafting = asyncio.create_task(s.say("/synopsis"))
        await asyncio.wait_for(engine.started.wait(), 10)
        await asyncio.to_thread(pg_cluster.restart)
        engine.gate.set()
        answer = await asyncio.wait_for(drafting, 20)
        # Whole either way: the draft (the pool reconnected) or the apology, never half.
        assert "written at last" in answer or "error id" in answer
        assert "Logline is now: A second one" in await s.say("/story set logline A second one")
        story = await app.store.active_story(("terminal", "local", "writers"))
        assert story is not None and story.logline == "A second one"
        history = await app.store.history(story.id)
        assert [r.summary for r in history][:2] == ["set story logline", "set story logline"]
