"""A local fake of the Slack Web API on 127.0.0.1: records every call, answers like Slack.

Speaks the methods the adapter uses (chat.postMessage / update / delete / postEphemeral,
conversations.replies and conversations.history with cursors and oldest/latest,
users.info, users.conversations, views.publish / open, auth.test,
files.getUploadURLExternal + the upload URL + completeUploadExternal, chat.startStream /
appendStream / stopStream, assistant.threads.setStatus / setSuggestedPrompts,
oauth.v2.access) and a response_url endpoint. For Socket Mode, apps.connections.open
hands out a websocket on the same server: it says hello, delivers what ``socket_send``
queues and records the acks the app sends back (``socket_acks``). ``rate_limit(method)``
makes the next calls answer 429 with Retry-After, as Slack does; ``fail(method, error)``
makes them answer an error. ``refuse_edits(ts, error)`` makes every chat.update of one
message answer ``error`` (with ``blocks_only``, only those that carry blocks, as Slack
refuses invalid_blocks); ``delete_message`` is a person deleting one (its edits then
answer message_not_found, as chat.delete does).

Like Slack, it refuses what is too big or malformed (slack_limits.py, the one place the
limits are checked): a message's text over 40,000 characters (msg_too_long), more than
50 blocks or a block Slack refuses (invalid_blocks), a view of more than 100 blocks or
with such a block (invalid_arguments), more than 12,000 characters of markdown in one
stream call (msg_too_long), and the same at the response_url, as a plain-text error
with HTTP 400.

Workspaces: every token belongs to one (``tokens``: TOKEN is TEAM's); ``grant(code,
team)`` lets oauth.v2.access exchange a code once for a new token of that team, and
``revoke(team)`` makes its tokens answer ``token_revoked``. Streaming is off unless
``streaming`` is set (the methods then answer ``stream_refusal``, by default
unknown_method, as for a workspace without it). ``slow[method]`` holds that
method's answers back by so many seconds. Used by the tests and by bench/bench_slack.py.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.adapters.slack.slack_limits import (
    message_refusal,
    stream_call_refusal,
    stream_markdown,
    view_refusal,
    webhook_refusal,
)

TEAM = "T0WRITERS"
BOT_USER = "UBOT"
BOT_ID = "BBOT"
TOKEN = "xoxb-test-token"
WORKSPACE_URL = "https://writers.slack.com/"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: dict[str, Any] = field(default_factory=dict)
    wall: float = field(default_factory=time.time)
    """The wall clock, comparable across processes (benchmarks time from another one)."""

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.args.get(key, default)


class FakeSlack:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        """Messages the app posted, by (channel, ts): what chat.update edits."""
        self.member_of: dict[str, list[dict[str, str]]] = {}
        self.uploads: dict[str, bytes] = {}
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._last_us = 0
        self._files = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.socket_outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.socket_acks: list[dict[str, Any]] = []
        self.socket_connections = 0
        self.tokens: dict[str, str] = {TOKEN: TEAM}
        self.revoked: set[str] = set()
        self.codes: dict[str, str] = {}
        self.streaming = False
        self.stream_refusal = "unknown_method"
        self.streams: dict[str, dict[str, Any]] = {}
        self.slow: dict[str, float] = {}
        self.refused_edits: dict[str, tuple[str, bool]] = {}
        """ts -> the error chat.update of that message answers, and whether only edits
        that carry blocks are refused."""
        self.deleted: set[tuple[str, str]] = set()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{hook}", self._response_url)
        app.router.add_get("/_calls", self._dump)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # --- test controls -------------------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, *, admin: bool = False, owner: bool = False
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name.lower(),
            "real_name": name,
            "is_admin": admin,
            "is_owner": owner,
            "profile": {"display_name": name, "real_name": name},
        }

    def seed_thread(
        self, channel: str, messages: list[dict[str, Any]], *, at: float | None = None
    ) -> str:
        """Put a human thread in a channel; returns its thread_ts (the first message's ts).
        ``at``: when its first message was sent (the next ones a second apart)."""

        def ts(i: int) -> str:
            return f"{at + i:.6f}" if at is not None else self.next_ts()

        thread = ts(0)
        self.threads[(channel, thread)] = [
            {"type": "message", **m, "ts": thread if i == 0 else ts(i), "thread_ts": thread}
            for i, m in enumerate(messages)
        ]
        return thread

    def add_reply(self, channel: str, thread: str, message: dict[str, Any]) -> str:
        """One more message in a seeded thread; returns its ts."""
        ts = self.next_ts()
        self.threads[(channel, thread)].append(
            {"type": "message", **message, "ts": ts, "thread_ts": thread}
        )
        return ts

    def seed_message(self, channel: str, message: dict[str, Any], ts: str | None = None) -> str:
        """Post a message in a channel, outside any thread; returns its ts."""
        ts = ts or self.next_ts()
        self.threads[(channel, ts)] = [{"type": "message", **message, "ts": ts}]
        return ts

    def grant(self, code: str, team: str) -> None:
        """Let oauth.v2.access exchange ``code`` (once) for a bot token of ``team``."""
        self.codes[code] = team

    def revoke(self, team: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        for token, owner in list(self.tokens.items()):
            if owner == team:
                del self.tokens[token]
                self.revoked.add(token)

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        self._failures.setdefault(method, []).extend(
            [(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})]
            * times
        )

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        self._failures.setdefault(method, []).extend(
            [(200, {"ok": False, "error": error}, {})] * times
        )

    def refuse_edits(self, ts: str, error: str, *, blocks_only: bool = False) -> None:
        """Every chat.update of message ``ts`` answers ``error`` from now on (with
        ``blocks_only``, every one that carries blocks: text alone is taken)."""
        self.refused_edits[ts] = (error, blocks_only)

    def delete_message(self, channel: str, ts: str) -> None:
        """Someone deleted the message: it is gone from the channel (a thread's head with
        replies leaves Slack's "This message was deleted." in its place)."""
        self.deleted.add((channel, ts))
        message = self.messages.pop((channel, ts), None)
        for key, thread in list(self.threads.items()):
            if key[0] != channel:
                continue
            if key[1] == ts and len(thread) > 1:
                text = "This message was deleted."
                thread[0] = {"type": "message", "subtype": "tombstone", "ts": ts, "text": text}
            elif key[1] == ts:
                del self.threads[key]
            elif message is not None and message in thread:
                thread.remove(message)

    def next_ts(self) -> str:
        """A new message's ts: as Slack's, the Unix time in microseconds, always rising."""
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    # --- reading what happened -----------------------------------------------------------

    def calls_to(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    def posts(self) -> list[Call]:
        """Messages actually posted (rate-limited attempts left out)."""
        return [c for c in self.calls_to("chat.postMessage") if c.result.get("ok")]

    def updates_of(self, ts: str) -> list[Call]:
        return [c for c in self.calls_to("chat.update") if c.args.get("ts") == ts]

    async def wait_for(self, predicate: Callable[[], Any], within: float = 10.0) -> Any:
        deadline = time.monotonic() + within
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting; calls: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)

    # --- the API -------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        for key in ("blocks", "view", "files", "metadata"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        if method == "apps.connections.open":  # called with the app-level token
            args["app_token"] = token
        elif method == "oauth.v2.access":  # called with the app's client id and secret
            args["basic_auth"] = auth
        elif token not in self.tokens:
            self.calls.append(Call(method, {**args, "token": token}))
            error = "token_revoked" if token in self.revoked else "invalid_auth"
            return web.json_response({"ok": False, "error": error})
        else:
            args["team"] = self.tokens[token]
        call = Call(method, args)
        self.calls.append(call)
        failures = self._failures.get(method)
        if failures:
            status, body, headers = failures.pop(0)
            call.result = body
            return web.json_response(body, status=status, headers=headers)
        if method in self.slow:
            await asyncio.sleep(self.slow[method])
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        call.result = {"ok": False, "error": "unknown_method"} if handler is None else handler(args)
        return web.json_response(call.result)

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not str(args.get("app_token", "")).startswith("xapp-"):
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}

    def socket_send(self, envelope_type: str, payload: dict[str, Any], **extra: Any) -> str:
        """Queue an envelope for the connected Socket Mode app; returns its envelope_id."""
        envelope_id = f"env-{next(self._files)}"
        self.socket_outbox.put_nowait(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": True,
                **extra,
            }
        )
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.socket_connections += 1
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0WR"}}
        )

        async def deliver() -> None:
            while True:
                await ws.send_json(await self.socket_outbox.get())

        sender = asyncio.create_task(deliver())
        try:
            async for message in ws:
                if message.type == web.WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        return ws

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        team = args.get("team", TEAM)
        return {
            "ok": True,
            "url": WORKSPACE_URL if team == TEAM else f"https://{team.lower()}.slack.com/",
            "team": "Writers",
            "user": "writersroom",
            "team_id": team,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
        }

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        import base64

        basic = str(args.get("basic_auth", "")).removeprefix("Basic ")
        given = base64.b64decode(basic).decode() if basic else ""
        client = given or f"{args.get('client_id')}:{args.get('client_secret')}"
        if client != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return {"ok": False, "error": "invalid_client_id"}
        team = self.codes.pop(str(args.get("code")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team.lower()}-{next(self._files)}"
        self.tokens[token] = team
        return {
            "ok": True,
            "app_id": "A0WR",
            "authed_user": {"id": "U1"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER,
            "team": {"id": team, "name": f"Team {team}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if refusal := message_refusal(args):
            return refusal
        ts, channel = self.next_ts(), args["channel"]
        message = {
            "type": "message",
            "ts": ts,
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
        }
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        if args.get("reply_broadcast"):  # a thread reply also shown in the channel
            message["subtype"] = "thread_broadcast"
        self.messages[(channel, ts)] = message
        thread = args.get("thread_ts")
        if thread:
            message["thread_ts"] = thread
            self.threads.setdefault((channel, thread), []).append(message)
        else:  # a top-level message: the parent of the thread its replies will make
            self.threads[(channel, ts)] = [message]
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        """Like Slack: the message read back afterwards is the edited one (its text,
        blocks and, when given, metadata)."""
        if refusal := message_refusal(args):
            return refusal
        if (args["channel"], args["ts"]) in self.deleted:
            return {"ok": False, "error": "message_not_found"}
        error, blocks_only = self.refused_edits.get(args["ts"], ("", False))
        if error and (args.get("blocks") or not blocks_only):
            return {"ok": False, "error": error}
        message = self.messages.get((args["channel"], args["ts"]))
        if message is not None:
            message["text"] = args.get("text", "")
            message["blocks"] = args.get("blocks", [])
            if args.get("metadata"):
                message["metadata"] = args["metadata"]
        return {
            "ok": True,
            "channel": args["channel"],
            "ts": args["ts"],
            "text": args.get("text", ""),
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        if (args["channel"], args["ts"]) in self.deleted:
            return {"ok": False, "error": "message_not_found"}
        self.delete_message(args["channel"], args["ts"])
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if refusal := message_refusal(args):
            return refusal
        return {"ok": True, "message_ts": self.next_ts()}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        thread = self.threads.get((args["channel"], args["ts"]))
        if thread is None:
            return {"ok": False, "error": "thread_not_found"}
        # Like Slack, every page starts with the parent message.
        size = max(int(args.get("limit") or 1000) - 1, 1)
        start = int(args.get("cursor") or 0)
        oldest = float(args.get("oldest") or 0)
        parent, replies = thread[0], [m for m in thread[1:] if float(m["ts"]) > oldest]
        following = start + size
        more = following < len(replies)
        return {
            "ok": True,
            "messages": _read_back([parent, *replies[start:following]], args),
            "has_more": more,
            "response_metadata": {"next_cursor": str(following) if more else ""},
        }

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages, newest first, oldest < ts < latest; parents of threads
        with reply_count and latest_reply, as Slack gives them."""
        channel = args["channel"]
        found: list[dict[str, Any]] = []
        for (where, _), thread in self.threads.items():
            if where == channel and thread:
                parent = dict(thread[0])
                if len(thread) > 1:
                    parent["reply_count"] = len(thread) - 1
                    parent["latest_reply"] = thread[-1]["ts"]
                found.append(parent)
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 10**12)
        found = [m for m in found if oldest < float(m["ts"]) < latest]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": _read_back(found[start : start + limit], args),
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _chat_startStream(self, args: dict[str, Any]) -> dict[str, Any]:
        if not self.streaming:
            return {"ok": False, "error": self.stream_refusal}
        if not args.get("thread_ts"):
            return {"ok": False, "error": "invalid_arguments"}
        if refusal := stream_call_refusal(args):
            return refusal
        ts = self.next_ts()
        self.streams[ts] = {"text": stream_markdown(args), "open": True, "channel": args["channel"]}
        message = {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": BOT_ID}
        self.threads.setdefault((args["channel"], args["thread_ts"]), []).append(
            {**message, "thread_ts": args["thread_ts"], "text": self.streams[ts]["text"]}
        )
        return {"ok": True, "channel": args["channel"], "ts": ts}

    def _chat_appendStream(self, args: dict[str, Any]) -> dict[str, Any]:
        stream = self.streams.get(str(args.get("ts")))
        if not self.streaming:
            return {"ok": False, "error": self.stream_refusal}
        if stream is None or not stream["open"]:
            return {"ok": False, "error": "message_not_in_streaming_state"}
        if refusal := stream_call_refusal(args):
            return refusal
        stream["text"] += stream_markdown(args)
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _chat_stopStream(self, args: dict[str, Any]) -> dict[str, Any]:
        stream = self.streams.get(str(args.get("ts")))
        if stream is None or not stream["open"]:
            return {"ok": False, "error": "message_not_in_streaming_state"}
        if refusal := stream_call_refusal(args):
            return refusal
        stream["text"] += stream_markdown(args)
        stream["open"] = False
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _assistant_threads_setStatus(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _assistant_threads_setSuggestedPrompts(self, args: dict[str, Any]) -> dict[str, Any]:
        prompts = args.get("prompts") or []
        if not 1 <= len(prompts) <= 4 or any(not p.get("message") for p in prompts):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(args["user"])
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _users_conversations(self, args: dict[str, Any]) -> dict[str, Any]:
        channels = self.member_of.get(args.get("user", ""), [])
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        page = channels[start : start + limit]
        more = start + limit < len(channels)
        return {
            "ok": True,
            "channels": page,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if refusal := view_refusal(args.get("view")):
            return refusal
        return {"ok": True, "view": args.get("view")}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view") or {}
        if refusal := view_refusal(view):
            return refusal
        return {"ok": True, "view": {**view, "id": f"V{next(self._files):04d}"}}

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._files):04d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = [{"id": f["id"], "title": f.get("title")} for f in args.get("files", [])]
        missing = [f["id"] for f in files if f["id"] not in self.uploads]
        if missing:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": files}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        self.calls.append(Call("upload", {"file_id": file_id, "bytes": len(self.uploads[file_id])}))
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    async def _response_url(self, request: web.Request) -> web.Response:
        """Like an incoming webhook: "ok", or a plain-text error with HTTP 400."""
        body = await request.json()
        call = Call("response_url", {"hook": request.match_info["hook"], **body})
        self.calls.append(call)
        if error := webhook_refusal(body):
            call.result = {"ok": False, "error": error}
            return web.Response(status=400, text=error)
        call.result = {"ok": True}
        return web.Response(text="ok")

    async def _dump(self, request: web.Request) -> web.Response:
        """Every call recorded (from the ``since``-th on, when given: a poller fetches
        only what is new)."""
        since = int(request.query.get("since", "0"))
        return web.json_response(
            [
                {
                    "method": c.method,
                    "args": c.args,
                    "at": c.at,
                    "wall": c.wall,
                    "result": c.result,
                }
                for c in self.calls[since:]
            ]
        )


def _read_back(messages: list[dict[str, Any]], args: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages as a history call returns them: metadata only with include_all_metadata."""
    if str(args.get("include_all_metadata")).lower() in ("1", "true"):
        return messages
    return [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
