"""The bot's logging setup scrubs secrets from what libraries log (bot/log_redact.py), and
holds the libraries that log URLs and bodies to warnings, while the lines themselves stay."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
import re
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bot import cli
from bot.adapters.slack import run_slack
from bot.app import open_app
from bot.log_redact import HIDDEN, scrub
from bot.settings import Settings
from tests.adapters.slack.conftest import serve, slack_settings
from tests.adapters.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.timeout(30)

MARK = "SECRET-MARKER-123"


@pytest.fixture
def bot_log() -> Iterator[io.StringIO]:
    """What the bot's own logging setup (``cli._configure_logging``) writes to stderr."""
    root = logging.getLogger()
    level, others = root.level, root.handlers[:]
    quiet = {name: logging.getLogger(name).level for name in cli.QUIET_LIBRARIES}
    out = io.StringIO()
    stderr = sys.stderr
    for handler in others:  # basicConfig sets up only a root without handlers
        root.removeHandler(handler)
    sys.stderr = out
    try:
        cli._configure_logging(Settings(log_level="INFO"), quiet=False)
    finally:
        sys.stderr = stderr
    ours = root.handlers[:]
    for handler in others:
        root.addHandler(handler)
    yield out
    for handler in ours:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        yield slack


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            f"Failed to fetch oauth.v2.access result with code: {MARK} - error: invalid_code",
            "- error: invalid_code",
        ),
        (f"url='ws://wss.example/link/?ticket={MARK}&app_id=A0WR'", "&app_id=A0WR"),
        (f"POST http://proxyuser:{MARK}@llm.example/v1/images", "http://proxyuser:"),
        (f"POST https://hooks.slack.com/commands/T0001/123456/{MARK} - refused", "/T0001/123456/"),
        (f"https://hooks.slack.com/actions/T0001/123456/{MARK}", "hooks.slack.com/actions/"),
        (f"postgresql://wr@db/wr?password={MARK}&sslmode=require", "&sslmode=require"),
        (f"host=db password='{MARK} x' dbname=wr", "dbname=wr"),
        (f"token xoxb-1234-5678-{MARK} refused", "xoxb-"),
        (f"token xoxp-1234-{MARK}", "xoxp-"),
        (f"app token xapp-1-A0WR-{MARK}", "xapp-"),
        (f"key sk-live-{MARK}", "sk-"),
        (f"Authorization: Bearer {MARK}", "Bearer "),
        (f"/slack/oauth_redirect?code={MARK}&state=abc", "/slack/oauth_redirect?code="),
    ],
)
def test_scrub_hides_each_kind_of_secret_and_keeps_the_rest(line: str, kept: str) -> None:
    clean = scrub(line)
    assert MARK not in clean and HIDDEN in clean
    assert kept in clean


def test_scrub_leaves_ordinary_lines_alone() -> None:
    for line in (
        "job 1a2b story set done in 39 ms",
        "model call failed kind=synopsis story=3 error=BadRequestError status=400",
        "POST http://127.0.0.1:8080/v1/chat/completions task-77 risk-free",
        "GET https://slack.com/api/chat.postMessage",
    ):
        assert scrub(line) == line


def test_the_setup_scrubs_messages_their_arguments_and_tracebacks(bot_log: io.StringIO) -> None:
    log = logging.getLogger("some.library")
    log.warning("connecting to %s", f"wss://x.example/link/?ticket={MARK}")
    try:
        raise RuntimeError(f"the bot token xoxb-1-{MARK} was refused")
    except RuntimeError:
        log.exception("call failed")
    out = bot_log.getvalue()
    assert "connecting to wss://x.example/link/?ticket=[redacted]" in out
    assert "call failed" in out and "RuntimeError: the bot token xoxb-[redacted]" in out
    assert MARK not in out


def test_the_setup_holds_chatty_libraries_to_warnings(bot_log: io.StringIO) -> None:
    for name in ("httpx2", "httpx", "urllib3", "slack_sdk", "slack_bolt", "diffusers"):
        logging.getLogger(name).info(f"HTTP Request: POST http://x.example/{MARK}")
    logging.getLogger("httpx2.sub").warning("a warning still shows")
    logging.getLogger("discord.gateway").info("Shard ID None has connected to Gateway")
    out = bot_log.getvalue()
    assert MARK not in out
    assert "a warning still shows" in out
    assert "has connected to Gateway" in out  # discord.py's gateway lines stay


async def test_a_refused_oauth_code_is_not_logged(
    bot_log: io.StringIO, settings: Settings, fake: FakeSlack
) -> None:
    async with serve(settings, fake, oauth=True) as slack:
        base = slack.url.removesuffix("/slack/events")
        async with slack.session.get(base + "/slack/install", allow_redirects=False) as resp:
            page = await resp.text()
            cookie = resp.cookies["slack-app-oauth-state"].value
        link = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page)
        assert link is not None
        [state] = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)["state"]
        async with slack.session.get(
            base + f"/slack/oauth_redirect?code={MARK}&state={state}",
            headers={"Cookie": f"slack-app-oauth-state={cookie}"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 401  # Slack did not accept the code
    out = bot_log.getvalue()
    assert "Failed to fetch oauth.v2.access result with code: [redacted]" in out
    assert MARK not in out


class TicketedSlack(FakeSlack):
    """A fake Slack whose Socket Mode URL carries a ticket and leads nowhere (404)."""

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        url = self.url.replace("http://", "ws://")
        return {"ok": True, "url": f"{url}/gone/?ticket={MARK}&app_id=A0WR"}


async def test_a_failed_socket_mode_connection_does_not_log_its_ticket(
    bot_log: io.StringIO, settings: Settings
) -> None:
    async with TicketedSlack() as fake:
        socket_settings = dataclasses.replace(
            slack_settings(settings, fake), slack_app_token="xapp-1-test", slack_signing_secret=None
        )
        async with open_app(socket_settings) as app:
            task = asyncio.create_task(run_slack(app, http=False, port=0))
            try:
                for _ in range(500):
                    if "Failed to connect" in bot_log.getvalue():
                        break
                    await asyncio.sleep(0.01)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    out = bot_log.getvalue()
    assert "Failed to connect" in out and "ticket=[redacted]" in out
    assert MARK not in out
