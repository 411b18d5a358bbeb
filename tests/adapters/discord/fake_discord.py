"""A small in-memory Discord for tests: the REST API the bot calls.

``FakeDiscord`` stands in at discord.py's two HTTP boundaries, its ``HTTPClient.request``
(bot routes) and the webhook adapter (interaction responses and follow-ups). Every call is
recorded (method, path, JSON payload, files, whether it was refused) and answered with
realistic JSON; requests Discord would refuse fail the same way (the checks of limits are
discord_limits.py's): a message, modal, thread or forum post over Discord's limits; a command
tree sync (``PUT .../commands``, kept in ``synced``) Discord would not store; autocomplete
choices too many, too long or of the wrong type; a response of the wrong type for its
interaction (only choices answer an autocomplete, and answer nothing else); a second
response to one interaction; an unknown channel.
An interaction's token lasts 15 minutes, counted from its id as on Discord: past that its
webhook routes (edits of the original response, follow-ups) answer 401 Invalid Webhook
Token; ``age`` makes an interaction older before it is delivered. The payloads it answers
with, and the builders for the ones a bot receives, are in payloads.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.http import Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from tests.adapters.discord.discord_limits import (
    STRING,
    check_autocomplete,
    check_commands,
    check_message,
    check_modal,
    check_thread,
)
from tests.adapters.discord.payloads import (
    APP_ID,
    BOT,
    discord_error,
    forum_post,
    iso,
    snowflake,
    thread_channel,
    user,
)

TOKEN_LIFETIME = dt.timedelta(minutes=15)
"""How long an interaction's token (its webhook) answers, from the interaction's id."""


@dataclass
class Call:
    method: str
    path: str
    payload: dict[str, Any] | None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)
    refused: bool = False  # answered with an error

    @property
    def sends_message(self) -> bool:
        """A request that carries message content (the ones allowed_mentions governs)."""
        if self.payload is None or self.method not in ("POST", "PATCH"):
            return False
        if self.path.endswith("/callback"):
            return self.payload.get("type") in (4, 7)
        return "/threads" not in self.path and self.path != "/users/@me/channels"


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}
        self.interactions: dict[str, dict[str, Any]] = {}  # token -> interaction payload
        self.responded: dict[str, int] = {}  # token -> response type
        self.modals: dict[str, dict[str, Any]] = {}  # token -> the modal it answered with
        self.originals: dict[str, int] = {}  # token -> original message id
        self.refuse_threads = False
        self.refused = 0  # requests answered with an error
        self.synced: dict[str | None, list[dict[str, Any]]] = {}  # guild (None: global) -> commands
        self.latency = 0.0  # seconds each request takes (a network's round trip)
        self.on_thread: Callable[[dict[str, Any]], None] | None = None  # THREAD_CREATE
        self.unreadable: set[int] = set()  # channels whose history the bot may not read
        self.no_dms: set[int] = set()  # people who take no direct messages from the bot
        self._changed = asyncio.Event()

    # --- wiring ------------------------------------------------------------------------

    def install(self, client: discord.Client) -> None:
        client.http.request = self._http_request  # type: ignore[method-assign,assignment]
        self.activate()

    def activate(self) -> None:
        """Route this context's webhook calls (interaction responses) here."""
        async_context.set(_WebhookAdapter(self))

    def add_channel(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.channels[int(payload["id"])] = payload
        return payload

    def age(self, payload: dict[str, Any], by: dt.timedelta) -> dict[str, Any]:
        """Make an undelivered interaction ``by`` older: its id (what its token's age is
        counted from, here and in discord.py) is moved back. It stands for a command that
        waited in the queue that long after its defer; the fake takes the first response
        whenever it comes (it does not keep Discord's 3-second window)."""
        assert payload["token"] not in self.responded, "age an interaction before delivering it"
        iid = int(payload["id"])
        born = discord.utils.snowflake_time(iid) - by
        payload["id"] = str(discord.utils.time_snowflake(born) | (iid & 0x3FFFFF))
        return payload

    def expired(self, token: str) -> bool:
        """Whether the interaction's token is past its 15 minutes."""
        interaction = self.interactions.get(token)
        if interaction is None:
            return False
        born = discord.utils.snowflake_time(int(interaction["id"]))
        return discord.utils.utcnow() - born >= TOKEN_LIFETIME

    # --- what tests read ---------------------------------------------------------------

    def sent(self) -> list[Call]:
        return [c for c in self.calls if c.sends_message]

    def find(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.search(pattern, c.path)]

    def in_channel(self, channel: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel]

    async def wait_for(self, test: Callable[[list[Call]], bool], within: float = 5.0) -> None:
        async with asyncio.timeout(within):
            while not test(self.calls):
                self._changed.clear()
                await self._changed.wait()

    # --- the two boundaries ------------------------------------------------------------

    async def _http_request(
        self,
        route: Route,
        *,
        files: Sequence[discord.File] | None = None,
        form: Sequence[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> Any:
        payload = kwargs.get("json")
        if form:
            payload = _payload_from_form(form)
        return await self._handle(route, payload, _read(form or ()), kwargs.get("params"))

    async def _handle(
        self,
        route: Route,
        payload: dict[str, Any] | None,
        files: list[tuple[str, bytes]],
        params: dict[str, Any] | None = None,
    ) -> Any:
        path = route.url.removeprefix(Route.BASE)
        call = Call(route.method, path, payload, files, params=params or {})
        self.calls.append(call)
        await asyncio.sleep(self.latency)  # a network call always yields
        try:
            if route.method == "GET" and path.endswith("/messages"):
                return self._history(int(path.split("/")[2]), params or {})
            if route.method == "GET" and "/threads/" in path:
                return self._thread_list(path, params or {})
            return self._answer(route.method, path, payload or {}, files)
        except discord.HTTPException:
            self.refused += 1
            call.refused = True
            raise
        finally:
            self._changed.set()

    # --- Discord's answers -------------------------------------------------------------

    def _answer(self, method: str, path: str, p: Any, files: list[tuple[str, bytes]]) -> Any:
        m = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if m:
            return self._callback(int(m[1]), m[2], p, files)
        m = re.fullmatch(
            r"/webhooks/(\d+)/([^/?]+)(?:/messages/(@original|\d+))?", path.split("?")[0]
        )
        if m:
            return self._webhook(method, m[2], m[3], p, files)
        m = re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)
        if m:
            return self._start_thread(int(m[1]), int(m[2]), p)
        m = re.fullmatch(r"/channels/(\d+)/threads", path)
        if m and method == "POST":
            return self._forum_post(int(m[1]), p, files)
        m = re.fullmatch(r"/channels/(\d+)/messages(?:/(\d+))?", path)
        if m:
            return self._channel_message(method, int(m[1]), int(m[2]) if m[2] else None, p, files)
        m = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)
        if m and method == "PUT":  # a tree sync: Discord answers with the stored commands
            commands: list[dict[str, Any]] = list(p)
            check_commands(commands)
            self.synced[m[2]] = commands
            return [
                {"description": ""}  # a message menu has none; Discord answers with ""
                | c
                | {
                    "id": str(snowflake()),
                    "application_id": m[1],
                    "version": "1",
                    "default_member_permissions": None,
                }
                | ({"guild_id": m[2]} if m[2] else {})
                for c in commands
            ]
        if path == "/users/@me/channels" and method == "POST":
            return self._open_dm(int(p["recipient_id"]))
        m = re.fullmatch(r"/channels/(\d+)", path)
        if m and method == "GET":
            if int(m[1]) not in self.channels:
                raise discord_error(404, 10003, "Unknown Channel")
            return self.channels[int(m[1])]
        raise AssertionError(f"the fake Discord has no route for {method} {path}")

    def _callback(
        self, iid: int, token: str, p: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> Any:
        if token in self.responded:
            raise discord_error(400, 40060, "Interaction has already been acknowledged.")
        kind = int(p["type"])
        data = p.get("data") or {}
        asked = self.interactions[token]["type"]
        if (asked == 4) != (kind == 8) or (kind in (6, 7) and asked not in (3, 5)):
            raise discord_error(400, 50035, f"Invalid Form Body: type {kind} answers type {asked}")
        if kind == 8:
            options = self.interactions[token]["data"].get("options") or []
            check_autocomplete(data, _focused(options) or STRING)
        if kind == 9:  # a modal: only as the first answer, and never to a modal's submission
            if self.interactions[token]["type"] == 5:
                raise discord_error(400, 50035, "Invalid Form Body: a modal answers a modal")
            check_modal(data)
            self.modals[token] = data
        self.responded[token] = kind
        body: dict[str, Any] = {
            "interaction": {
                "id": str(iid),
                "type": self.interactions[token]["type"],
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            }
        }
        pressed = self.interactions[token].get("message")
        if kind in (6, 7) and pressed is not None:  # an update of the pressed message
            self.originals[token] = int(pressed["id"])
            if kind == 7 and int(pressed["id"]) in self.messages:
                self._edit(int(pressed["id"]), data, files)
        if kind in (4, 5):
            content = (
                dict(data, content=data.get("content", ""))
                if kind == 4
                else {"flags": data.get("flags", 0) | 128}
            )
            message = self._new_message(self._channel_of(token), content, files, interaction=token)
            self.originals[token] = int(message["id"])
            body["interaction"]["response_message_id"] = message["id"]
            body["resource"] = {"type": kind, "message": message}
        return body

    def _webhook(
        self,
        method: str,
        token: str,
        which: str | None,
        p: dict[str, Any],
        files: list[tuple[str, bytes]],
    ) -> Any:
        if self.expired(token):
            raise discord_error(401, 50027, "Invalid Webhook Token")
        if token not in self.responded:
            raise discord_error(404, 10015, "Unknown Webhook")
        if which is None:  # a follow-up message
            return self._new_message(self._channel_of(token), p, files, interaction=token)
        mid = self.originals.get(token) if which == "@original" else int(which)
        if mid is None or mid not in self.messages:
            raise discord_error(404, 10008, "Unknown Message")
        if method == "DELETE":
            del self.messages[mid]
            return None
        if method == "PATCH":
            return self._edit(mid, p, files)
        return self.messages[mid]

    def _channel_message(
        self,
        method: str,
        cid: int,
        mid: int | None,
        p: dict[str, Any],
        files: list[tuple[str, bytes]],
    ) -> Any:
        if cid not in self.channels:
            raise discord_error(404, 10003, "Unknown Channel")
        if mid is None and method == "POST":
            if self.channels[cid]["type"] == 15:  # a forum holds posts, not messages
                raise discord_error(400, 50008, "Cannot send messages in a non-text channel")
            if self.channels[cid]["type"] == 1 and self.dm_with(cid) in self.no_dms:
                raise discord_error(403, 50007, "Cannot send messages to this user")
            return self._new_message(cid, p, files)
        if mid not in self.messages:
            raise discord_error(404, 10008, "Unknown Message")
        if method == "DELETE":
            del self.messages[mid]
            return None
        return self._edit(mid, p, files) if method == "PATCH" else self.messages[mid]

    def _open_dm(self, user_id: int) -> dict[str, Any]:
        """The bot's DM channel with a person (made on first use; Discord opens one for
        anyone, and refuses only the messages sent in it)."""
        for channel in self.channels.values():
            if channel["type"] == 1 and self.dm_with(int(channel["id"])) == user_id:
                return channel
        recipient = user(f"user{user_id}", user_id)
        channel = {"id": str(snowflake()), "type": 1, "recipients": [recipient]}
        return self.add_channel(channel | {"last_message_id": None})

    def dm_with(self, cid: int) -> int:
        """The person a DM channel is with."""
        return int(self.channels[cid]["recipients"][0]["id"])

    def _history(self, cid: int, params: dict[str, Any]) -> list[dict[str, Any]]:
        """A page of a channel's messages, newest first, as Discord answers."""
        if cid not in self.channels:
            raise discord_error(404, 10003, "Unknown Channel")
        if cid in self.unreadable:
            raise discord_error(403, 50001, "Missing Access")
        limit = int(params.get("limit", 50))
        assert 1 <= limit <= 100, "Discord pages history by at most 100"
        ordered = sorted(self.in_channel(cid), key=lambda m: int(m["id"]))
        if "after" in params:
            page = [m for m in ordered if int(m["id"]) > int(params["after"])][:limit]
        else:
            before = int(params.get("before") or 1 << 63)
            page = [m for m in ordered if int(m["id"]) < before][-limit:]
        return page[::-1]

    def _thread_list(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """A guild's active threads, or a channel's public archived ones (newest archived
        first, paged by ``before``: an archive time), as Discord answers."""
        threads = [c for c in self.channels.values() if c["type"] in (11, 12)]
        m = re.fullmatch(r"/guilds/(\d+)/threads/active", path)
        if m:
            active = [
                t for t in threads if t["guild_id"] == m[1] and not t["thread_metadata"]["archived"]
            ]
            return {"threads": active, "members": []}
        m = re.fullmatch(r"/channels/(\d+)/threads/archived/public", path)
        assert m, f"the fake Discord has no route for GET {path}"
        if int(m[1]) in self.unreadable:
            raise discord_error(403, 50001, "Missing Access")
        limit = int(params.get("limit", 50))
        assert 2 <= limit <= 100, "Discord lists archived threads by 2 to 100"
        before = params.get("before") or "9999"
        archived = sorted(
            (
                t
                for t in threads
                if t["parent_id"] == m[1]
                and t["type"] == 11  # the public ones
                and t["thread_metadata"]["archived"]
                and t["thread_metadata"]["archive_timestamp"] < before
            ),
            key=lambda t: str(t["thread_metadata"]["archive_timestamp"]),
            reverse=True,
        )
        return {"threads": archived[:limit], "members": [], "has_more": len(archived) > limit}

    def _start_thread(self, cid: int, mid: int, p: dict[str, Any]) -> Any:
        channel = self.channels.get(cid)
        if channel is None or mid not in self.messages:
            raise discord_error(404, 10008, "Unknown Message")
        if self.refuse_threads or channel["type"] not in (0, 5):
            raise discord_error(403, 50013, "Missing Permissions")
        check_thread(p)
        thread = self.add_channel(thread_channel(mid, cid, int(channel["guild_id"]), p["name"]))
        if self.on_thread is not None:
            self.on_thread(dict(thread))
        return thread

    def _forum_post(self, cid: int, p: dict[str, Any], files: list[tuple[str, bytes]]) -> Any:
        """POST /channels/{forum}/threads: a post and its first message, as Discord makes
        them (only in a forum; tags only the forum's own)."""
        forum = self.channels.get(cid)
        if forum is None or forum["type"] != 15:
            raise discord_error(400, 50024, "Cannot execute action on this channel type")
        check_thread(p)
        known = {t["id"] for t in forum.get("available_tags", [])}
        tags = [str(t) for t in p.get("applied_tags") or []]
        if not set(tags) <= known:
            raise discord_error(400, 50035, "Invalid Form Body: applied_tags")
        post_id = snowflake()
        post = forum_post(post_id, cid, int(forum["guild_id"]), p["name"], tuple(tags))
        self.add_channel(post)
        message = self._new_message(post_id, p["message"], files, mid=post_id)
        if self.on_thread is not None:
            self.on_thread(dict(post))
        return post | {"message": message}

    # --- messages ----------------------------------------------------------------------

    def _channel_of(self, token: str) -> int:
        return int(self.interactions[token]["channel"]["id"])

    def _new_message(
        self,
        cid: int,
        p: dict[str, Any],
        files: list[tuple[str, bytes]],
        interaction: str | None = None,
        mid: int | None = None,
    ) -> dict[str, Any]:
        check_message(p)
        mid = mid or snowflake()
        channel = self.channels.get(cid, {})
        message: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(cid),
            "author": BOT,
            "content": "",
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "embeds": [],
            "components": [],
            "attachments": [],
        }
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        if interaction is not None:
            message["webhook_id"] = str(APP_ID)
            message["application_id"] = str(APP_ID)
        if "message_reference" in p:
            message["message_reference"] = p["message_reference"]
        self.messages[mid] = message
        self._apply(message, p, files)
        return message

    def _edit(self, mid: int, p: dict[str, Any], files: list[tuple[str, bytes]]) -> dict[str, Any]:
        check_message(p)
        message = self.messages[mid]
        message["edited_timestamp"] = iso()
        message["flags"] = message["flags"] & ~128  # no longer "thinking…"
        self._apply(message, p, files)
        return message

    def _apply(
        self, message: dict[str, Any], p: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> None:
        for key in ("content", "embeds", "components", "flags"):
            if key in p and p[key] is not None:
                message[key] = p[key]
        if "attachments" in p or files:
            message["attachments"] = [
                {
                    "id": str(snowflake()),
                    "filename": name,
                    "size": len(data),
                    "url": f"https://cdn.discordapp.com/attachments/{message['channel_id']}/{name}",
                    "proxy_url": f"https://media.discordapp.net/{name}",
                }
                for name, data in files
            ]


class _WebhookAdapter(AsyncWebhookAdapter):
    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.fake = fake

    async def request(
        self,
        route: Route,
        session: Any,
        *,
        payload: dict[str, Any] | None = None,
        multipart: list[dict[str, Any]] | None = None,
        files: Any = None,
        **kwargs: Any,
    ) -> Any:
        if multipart:
            payload = _payload_from_form(multipart)
        return await self.fake._handle(route, payload, _read(multipart or ()))


def _focused(options: list[dict[str, Any]]) -> int | None:
    """The type of the option an autocomplete interaction is typing in (within its
    subcommand, and its group)."""
    for option in options:
        if option.get("focused"):
            return int(option["type"])
        found = _focused(option.get("options") or [])
        if found is not None:
            return found
    return None


def _payload_from_form(form: Sequence[dict[str, Any]]) -> dict[str, Any]:
    for part in form:
        if part["name"] == "payload_json":
            return dict(json.loads(part["value"]))
    return {}


def _read(form: Sequence[dict[str, Any]]) -> list[tuple[str, bytes]]:
    out = []
    for part in form:
        if "filename" in part:
            fp = part["value"]
            fp.seek(0)
            out.append((part["filename"], fp.read()))
            fp.seek(0)
    return out
