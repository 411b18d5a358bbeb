"""Installs in many workspaces, end to end: the install page, the state, the code
exchanged at the fake oauth.v2.access, the installation in the database, requests
answered with each workspace's own token, and uninstalls that leave no token behind."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bot.adapters.slack.installs import sign
from bot.adapters.slack.tokens import InstalledTokens
from bot.settings import Settings
from tests.adapters.slack.conftest import Slack, serve
from tests.adapters.slack.doubles import GatedEngine
from tests.adapters.slack.fake_slack import CLIENT_ID, CLIENT_SECRET, TOKEN, FakeSlack

COOKIE = "slack-app-oauth-state"


@dataclasses.dataclass
class Installer:
    """The OAuth app served for real, and a browser that installs it."""

    slack: Slack
    base: str

    async def get(self, path: str, cookie: str | None = None) -> tuple[int, str, str | None]:
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with self.slack.session.get(
            self.base + path, headers=headers, allow_redirects=False
        ) as resp:
            text = await resp.text()
            morsel = resp.cookies.get(COOKIE)
            return resp.status, text, morsel.value if morsel is not None else None

    async def start(self) -> str:
        """Open the install page; the state from its link (and its cookie, the same)."""
        status, page, cookie = await self.get("/slack/install")
        assert status == 200
        link = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page)
        assert link is not None
        query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID] and "chat:write" in query["scope"][0]
        [state] = query["state"]
        assert cookie == state
        return state

    async def finish(self, state: str, code: str, cookie: str | None = "same") -> tuple[int, str]:
        status, page, _ = await self.get(
            f"/slack/oauth_redirect?code={code}&state={state}",
            cookie=state if cookie == "same" else cookie,
        )
        return status, page

    async def install(self, team: str, code: str) -> None:
        self.slack.fake.grant(code, team)
        status, page = await self.finish(await self.start(), code)
        assert status == 200 and "writersroom is installed" in page, page


@contextlib.asynccontextmanager
async def serve_oauth(
    settings: Settings, fake: FakeSlack, engine: Any = None
) -> AsyncIterator[Installer]:
    async with serve(settings, fake, engine=engine, oauth=True) as slack:
        yield Installer(slack, slack.url.removesuffix("/slack/events"))


@pytest.fixture
async def installer(settings: Settings, fake: FakeSlack) -> AsyncIterator[Installer]:
    async with serve_oauth(settings, fake) as opened:
        yield opened


@contextlib.asynccontextmanager
async def writing_in_t2(
    settings: Settings, fake: FakeSlack
) -> AsyncIterator[tuple[Slack, GatedEngine]]:
    """T2 installed, and a /synopsis of T2's waiting on its engine."""
    engine = GatedEngine()
    async with serve_oauth(settings, fake, engine=engine) as installer:
        await installer.install("T2", "code-1")
        await installer.slack.command("synopsis", team="T2")
        await asyncio.wait_for(engine.started.wait(), 5)
        await fake.wait_for(fake.posts)  # the placeholder, posted beside the model's request
        yield installer.slack, engine


def tokens_used(fake: FakeSlack, method: str) -> set[str]:
    return {c.args.get("team", "") for c in fake.calls_to(method) if c.result.get("ok")}


async def test_an_install_is_saved_and_that_workspace_is_answered_with_its_own_token(
    installer: Installer, fake: FakeSlack
) -> None:
    store = installer.slack.app.store
    await installer.install("T2", "code-t2")
    [exchange] = fake.calls_to("oauth.v2.access")
    assert exchange.result["ok"] and exchange.get("code") == "code-t2"
    bot = await store.find_installation("slack", "", "T2", "bot")
    assert bot is not None and bot.data["bot_token"].startswith("xoxb-t2-")
    assert await store.find_installation("slack", "", "T2", "installation") is not None
    await installer.install("T3", "code-t3")

    await installer.slack.command("story", "show", team="T2")
    await installer.slack.command("story", "show", team="T3", channel="C3")
    await installer.slack.idle()
    posts = fake.posts()
    assert {p["channel"]: p.args["team"] for p in posts} == {"C1": "T2", "C3": "T3"}
    assert TOKEN not in {c.get("token") for c in fake.calls}  # no single token anywhere


async def test_a_workspace_that_never_installed_gets_no_answer(
    installer: Installer, fake: FakeSlack
) -> None:
    sent = await installer.slack.command("story", "show", team="T9")
    assert sent.status == 200
    await installer.slack.idle()
    assert fake.posts() == []


async def test_a_used_state_cannot_install_again(installer: Installer, fake: FakeSlack) -> None:
    state = await installer.start()
    fake.grant("code-a", "T2")
    assert (await installer.finish(state, "code-a"))[0] == 200
    fake.grant("code-b", "T4")
    status, page = await installer.finish(state, "code-b")
    assert status == 401 and "already used" in page and "Start the installation again" in page
    assert await installer.slack.app.store.find_installation("slack", "", "T4", "bot") is None
    assert len(fake.calls_to("oauth.v2.access")) == 1


async def test_a_forged_state_is_refused_before_anything_is_asked(
    installer: Installer, fake: FakeSlack
) -> None:
    state = await installer.start()
    nonce = state.partition(".")[0]
    fake.grant("code-f", "T2")
    for forged in (f"{nonce}.{'0' * 32}", "made-up", f"other.{sign('other', 'not-our-secret')}"):
        status, page = await installer.finish(forged, "code-f")
        assert status == 401 and "Nothing was installed" in page, forged
    status, page = await installer.finish(state, "code-f", cookie="another-browser")
    assert status == 400 and "another browser" in page
    assert fake.calls_to("oauth.v2.access") == []
    assert (await installer.finish(state, "code-f"))[0] == 200  # the real one still works


async def test_an_expired_state_is_refused(installer: Installer, fake: FakeSlack) -> None:
    nonce = "expired-nonce"
    await installer.slack.app.store.issue_oauth_state(nonce, ttl=-1)
    state = f"{nonce}.{sign(nonce, CLIENT_SECRET)}"
    fake.grant("code-e", "T2")
    status, page = await installer.finish(state, "code-e")
    assert status == 401 and "expired" in page
    assert fake.calls_to("oauth.v2.access") == []


async def test_a_cancelled_or_bad_code_installs_nothing(
    installer: Installer, fake: FakeSlack
) -> None:
    status, page, _ = await installer.get("/slack/oauth_redirect?error=access_denied&state=x")
    assert status == 200 and "cancelled" in page
    status, page = await installer.finish(await installer.start(), "never-granted")
    assert status == 401 and "did not accept" in page
    assert await installer.slack.app.store.find_installation("slack", "", "T2", "bot") is None


async def test_uninstall_removes_the_workspaces_tokens(
    installer: Installer, fake: FakeSlack
) -> None:
    slack, store = installer.slack, installer.slack.app.store
    await installer.install("T2", "code-1")
    await installer.install("T3", "code-2")
    await slack.command("story", "show", team="T2")
    await slack.idle()
    tokens = slack.runtime.tokens
    assert isinstance(tokens, InstalledTokens) and "T2" in tokens.kept()
    fake.revoke("T2")
    sent = await slack.event({"type": "app_uninstalled"}, team="T2")
    assert sent.status == 200
    await slack.idle()
    assert await store.find_installation("slack", "", "T2", "bot") is None
    assert await store.find_installation("slack", "", "T2", "installation") is None
    assert "T2" not in tokens.kept()
    assert await store.find_installation("slack", "", "T3", "bot") is not None
    before = len(fake.posts())
    await slack.command("story", "show", team="T2")
    await slack.idle()
    assert len(fake.posts()) == before


async def test_tokens_revoked_removes_the_bot_token(installer: Installer, fake: FakeSlack) -> None:
    await installer.install("T2", "code-1")
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert (await installer.slack.event(event, team="T2")).status == 200
    await installer.slack.idle()
    assert await installer.slack.app.store.find_installation("slack", "", "T2", "bot") is None


async def test_a_workspace_that_uninstalls_mid_job_ends_it_cleanly(
    settings: Settings, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    async with writing_in_t2(settings, fake) as (slack, engine):
        [draft] = fake.posts()
        fake.revoke("T2")
        await slack.event({"type": "app_uninstalled"}, team="T2")
        await fake.wait_for(
            lambda: (
                not isinstance(slack.runtime.tokens, InstalledTokens)
                or "T2" not in slack.runtime.tokens.kept()
            )
        )
        await asyncio.sleep(0.1)
        uninstalled_at = len(fake.calls)
        with caplog.at_level(logging.INFO):
            engine.gate.set()
            await slack.idle()
        assert slack.app.jobs.running() == []
        assert fake.calls[uninstalled_at:] == []  # the old token is not even tried
        assert not [u for u in fake.updates_of(draft.result["ts"]) if u.result.get("ok")]
        assert await slack.app.store.find_installation("slack", "", "T2", "bot") is None
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert any("uninstalled" in r.getMessage() for r in caplog.records)


async def test_a_token_revoked_before_the_uninstall_event_also_ends_the_job_cleanly(
    settings: Settings, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    async with writing_in_t2(settings, fake) as (slack, engine):
        fake.revoke("T2")  # Slack refuses the token; the event has not come yet
        with caplog.at_level(logging.INFO):
            engine.gate.set()
            await slack.idle()
        refused = [c for c in fake.calls if c.get("token", "").startswith("xoxb-t2")]
        assert len(refused) == 1  # one refusal, then nothing more is tried
        assert slack.app.jobs.running() == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        tokens = slack.runtime.tokens
        assert isinstance(tokens, InstalledTokens) and "T2" not in tokens.kept()
