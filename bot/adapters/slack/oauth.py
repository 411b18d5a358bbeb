"""Installing the app in many workspaces: Bolt's OAuth flow, with our stores and pages.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, HTTP mode serves ``/slack/install``
(the "Add to Slack" page: a fresh state in the link and in a cookie) and
``/slack/oauth_redirect`` (state checked: signed, issued here, not expired, not used
before, and from the browser that asked; then the code exchanged at oauth.v2.access and
the installation saved in the database). Bolt then authorizes every request with its
workspace's token from the installation store, and ``app_uninstalled`` /
``tokens_revoked`` delete that workspace's rows (Bolt's built-in listeners over our store,
which also drops the runtime's clients for it).

A refused callback answers a page that says why and what to do, never a traceback.
"""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.installs import STATE_TTL, StoreInstallations, StoreStates
from bot.settings import Settings
from storage.api import Store

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
START_AGAIN = f'<a href="{INSTALL_PATH}">Start the installation again</a>.'
_REASONS = {
    "invalid_state": (
        "This install link has expired (links last 10 minutes), was already used, or was not "
        "made here. Nothing was installed."
    ),
    "invalid_browser": (
        "This install was started in another browser (or cookies are blocked), so it can't be "
        "finished here. Nothing was installed."
    ),
    "access_denied": "The installation was cancelled in Slack. Nothing was installed.",
    "missing_code": "Slack sent no authorization code back. Nothing was installed.",
    "invalid_code": (
        "Slack did not accept this authorization (the code expired or was used). Nothing was "
        "installed."
    ),
    "storage_error": "The installation could not be saved. Nothing was installed.",
}


class InstallClient(AsyncWebClient):
    """The Web API client of the OAuth flow: oauth.v2.access with the app's credentials
    in the form body (which Slack accepts as well as HTTP basic auth; the SDK's basic
    auth goes through an aiohttp helper that is deprecated)."""

    async def oauth_v2_access(
        self,
        *,
        client_id: str,
        client_secret: str,
        code: str | None = None,
        redirect_uri: str | None = None,
        grant_type: str | None = None,
        refresh_token: str | None = None,
        **kwargs: object,
    ) -> AsyncSlackResponse:
        given = {
            "code": code,
            "redirect_uri": redirect_uri,
            "grant_type": grant_type,
            "refresh_token": refresh_token,
        }
        data = {k: v for k, v in given.items() if v is not None}
        data.update(client_id=client_id, client_secret=client_secret)
        return await self.api_call("oauth.v2.access", data={**kwargs, **data})


def page(title: str, text: str, status: int) -> BoltResponse:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>writersroom</title></head>"
        f"<body style='font-family: sans-serif; max-width: 40em; margin: 3em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{text}</p></body></html>"
    )
    return BoltResponse(
        status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )


async def installed(args: AsyncSuccessArgs) -> BoltResponse:
    team = args.installation.team_name or args.installation.team_id or "your workspace"
    log.info("installed in Slack workspace %s", args.installation.team_id)
    return page(
        "writersroom is installed",
        f"writersroom is now in {html.escape(team)}. Invite it to a channel with "
        "<code>/invite @writersroom</code> and type <code>/help</code> there.",
        200,
    )


async def refused(args: AsyncFailureArgs) -> BoltResponse:
    reason = _REASONS.get(args.reason, f"Slack answered {html.escape(args.reason)}.")
    log.warning("Slack install refused: %s", args.reason)
    status = args.suggested_status_code if args.suggested_status_code >= 400 else 400
    if args.reason == "access_denied":
        status = 200
    return page("writersroom was not installed", f"{html.escape(reason)} {START_AGAIN}", status)


def oauth_settings(
    settings: Settings, store: Store, installations: StoreInstallations, scopes: list[str]
) -> AsyncOAuthSettings:
    """Bolt's OAuth settings for ``settings`` (SLACK_CLIENT_ID / SECRET set)."""
    assert settings.slack_client_id and settings.slack_client_secret
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=scopes,
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=installed, failure=refused),
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=StoreStates(store, settings.slack_client_secret),
        state_expiration_seconds=int(STATE_TTL),
        logger=logging.getLogger("bot.adapters.slack.oauth"),
    )
