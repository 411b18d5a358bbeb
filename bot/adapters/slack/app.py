"""Building the Bolt app and running it, by Socket Mode or by HTTP.

``build_slack_app`` makes an ``AsyncApp`` wired to the bot's ``App`` through a
``SlackRuntime`` (``make_runtime``): Web API clients (SLACK_API_URL as their base URL,
429s retried after Retry-After), request signatures verified by Bolt, retried events
dropped, and every listener. ``process_before_response`` is on because every listener
only acks and spawns its work (see runtime.py): Bolt answers the moment the listener
returns instead of polling every 10 ms for the ack.

Two ways to hold tokens:
- one workspace, SLACK_BOT_TOKEN: a custom ``authorize`` so nothing calls auth.test at
  start-up (it is asked once, lazily, for the bot's own ids);
- many workspaces, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (HTTP mode): Bolt's OAuth flow
  (oauth.py) with installations and states in the bot's database (installs.py), Bolt's
  authorize from that installation store, and its uninstall listeners.

``run_slack`` serves it until cancelled: Socket Mode with SLACK_APP_TOKEN, or HTTP at
/slack/events with SLACK_SIGNING_SECRET (and /slack/install, /slack/oauth_redirect with
OAuth). On the way out it stops taking requests, lets listeners' work and running jobs
finish (they still post their results), then closes the HTTP session.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.door import Door
from bot.adapters.slack.installs import StoreInstallations
from bot.adapters.slack.listeners import SkipRepeats, register, responder_at
from bot.adapters.slack.oauth import INSTALL_PATH, InstallClient, oauth_settings
from bot.adapters.slack.responder import SlackResponder
from bot.adapters.slack.runtime import SlackRuntime, sdk_logger
from bot.adapters.slack.throttle import EDIT_INTERVAL, EDITS_PER_MINUTE
from bot.adapters.slack.tokens import InstalledTokens
from bot.adapters.slack.translate import BOT_EVENTS, BOT_SCOPES
from bot.adapters.web import mount as mount_board
from bot.app import App
from bot.runtime import settle_heap
from bot.settings import Settings
from core.types import Place, Responder

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
BACKLOG = 1024
"""Pending connections the listening socket holds. aiohttp's default (128) drops a burst's
extra connections, and their clients only retry a second later."""
DEFAULT_API_URL = "https://slack.com/api/"


def web_client(
    settings: Settings,
    session: aiohttp.ClientSession | None,
    token: str | None,
    cls: type[AsyncWebClient] = AsyncWebClient,
) -> AsyncWebClient:
    """A Web API client with retries on broken connections and rate limits (its logger
    held at WARNING: ``sdk_logger``)."""
    return cls(
        token=token,
        base_url=settings.slack_api_url or DEFAULT_API_URL,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
        logger=sdk_logger("bot.adapters.slack.web"),
    )


def make_runtime(
    app: App,
    *,
    session: aiohttp.ClientSession | None = None,
    edit_interval: float = EDIT_INTERVAL,
    edits_per_minute: int = EDITS_PER_MINUTE,
    oauth: bool | None = None,
) -> SlackRuntime:
    """What the listeners share. ``session``: an aiohttp session the caller owns and closes
    (without one, each Web API call opens its own). With OAuth settings, each workspace's
    token comes from its installation (``oauth``: by default when they are set);
    otherwise SLACK_BOT_TOKEN is the one."""
    settings = app.settings
    if settings.slack_oauth if oauth is None else oauth:
        installations = StoreInstallations(app.store)
        tokens = InstalledTokens(installations, lambda token: web_client(settings, session, token))
        rt = SlackRuntime(
            app,
            web_client(settings, session, None),
            edit_interval=edit_interval,
            edits_per_minute=edits_per_minute,
            tokens=tokens,
        )
        installations.on_change = rt.forget_team
        rt.installations = installations
        return rt
    settings.require("slack_bot_token")
    client = web_client(settings, session, settings.slack_bot_token)
    return SlackRuntime(app, client, edit_interval=edit_interval, edits_per_minute=edits_per_minute)


def build_slack_app(
    app: App,
    *,
    http: bool = True,
    session: aiohttp.ClientSession | None = None,
    runtime: SlackRuntime | None = None,
) -> AsyncApp:
    """The Bolt app for ``app``. ``http``: requests arrive over HTTP, so the signing secret
    is required (it always is checked). ``runtime``: from ``make_runtime`` (made here,
    with ``session``, when not given)."""
    settings = app.settings
    rt = runtime or make_runtime(app, session=session)
    if rt.installations is not None:
        settings.require("slack_signing_secret")
        bolt = AsyncApp(
            name="writersroom",
            logger=logging.getLogger("bot.adapters.slack.bolt"),
            signing_secret=settings.slack_signing_secret or "",
            client=web_client(settings, session, None, InstallClient),
            oauth_settings=oauth_settings(settings, app.store, rt.installations, list(BOT_SCOPES)),
            installation_store_bot_only=True,
            process_before_response=True,
            request_verification_enabled=False,  # the door verified it (door.py)
        )
        bolt.enable_token_revocation_listeners()  # app_uninstalled, tokens_revoked
    else:
        settings.require("slack_bot_token", *(("slack_signing_secret",) if http else ()))
        token = settings.slack_bot_token
        assert token is not None

        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            me = await rt.identity()
            return AuthorizeResult(
                enterprise_id=enterprise_id,
                team_id=team_id,
                bot_token=token,
                bot_user_id=me.user_id,
                bot_id=me.bot_id,
            )

        bolt = AsyncApp(
            name="writersroom",
            logger=logging.getLogger("bot.adapters.slack.bolt"),
            signing_secret=settings.slack_signing_secret or "",
            client=web_client(settings, session, None),
            authorize=authorize,
            process_before_response=True,
            request_verification_enabled=False,  # the door verified it (door.py)
        )
    bolt.middleware(SkipRepeats(rt))
    register(bolt, rt)
    return bolt


def http_app(bolt: AsyncApp, rt: SlackRuntime, path: str = EVENTS_PATH) -> web.Application:
    """HTTP mode's aiohttp app: the front door (door.py) before Bolt at ``path``."""
    secret = rt.app.settings.slack_signing_secret
    if not secret:
        rt.app.settings.require("slack_signing_secret")
    assert secret is not None
    events = {name.partition(".")[0] for name in BOT_EVENTS}
    return Door(bolt, rt, secret, events=events).web_app(path, oauth=bolt.oauth_flow)


async def resume_jobs(app: App, rt: SlackRuntime) -> None:
    """After a restart: run Slack's queued jobs and the requests a dead process had
    accepted but not handled, and say in their threads which jobs were cut off (with a
    Retry button). Only Slack places are answered here."""

    def responder_for(place: Place, answer: Place) -> Responder | None:
        if place.platform != "slack":
            return None
        if answer == place:
            return SlackResponder(rt, place, "")
        return responder_at(rt, place, answer, "")  # asked in the assistant panel

    # Requests accepted by a dead process's HTTP door are run again by this one's door
    # (Socket Mode has none: it leaves them to an HTTP process).
    await app.resume("slack", responder_for, rt.replay)


async def run_slack(app: App, *, http: bool, port: int, host: str = "0.0.0.0") -> None:
    """Serve Slack until cancelled: HTTP at /slack/events on ``port``, or Socket Mode."""
    settings = app.settings
    if settings.slack_oauth and http:
        settings.require("slack_signing_secret")
    else:
        settings.require("slack_bot_token", "slack_signing_secret" if http else "slack_app_token")
    async with aiohttp.ClientSession() as session:
        rt = make_runtime(app, session=session, oauth=http and settings.slack_oauth)
        bolt = build_slack_app(app, http=http, runtime=rt)
        try:
            if http:
                if rt.installations is not None:
                    log.info("Slack installs at http://%s:%d%s", host, port, INSTALL_PATH)
                site = http_app(bolt, rt)  # its door can run accepted requests again
                mount_board(site, app)  # the web board at /board (bot/adapters/web)
                rt.spawn(resume_jobs(app, rt), "resume", lane=False)
                await _serve_http(site, host, port)
            else:
                rt.spawn(resume_jobs(app, rt), "resume", lane=False)
                await _serve_socket_mode(bolt, settings)
        finally:
            await rt.drain()  # requests already acked still queue their jobs
            await app.jobs.shutdown()  # let running jobs post their results first
            await rt.edits.close()


async def start_http(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Listen for Slack on ``host:port`` as the service does (no access log, the long
    backlog, the heap settled first); the caller cleans the runner up."""
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, backlog=BACKLOG)
        settle_heap()
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


async def _serve_http(web_app: web.Application, host: str, port: int) -> None:
    runner = await start_http(web_app, host, port)
    try:
        log.info("Slack (HTTP) listening on %s:%d%s", host, port, EVENTS_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def _serve_socket_mode(bolt: AsyncApp, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler: Any = AsyncSocketModeHandler(bolt, settings.slack_app_token)
    try:
        settle_heap()
        await handler.connect_async()
        log.info("Slack (Socket Mode) connected")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()
