"""Who a Slack user is: a display name and whether they manage the workspace.

One ``users.info`` per person per ``ttl``, shared by concurrent lookups; a lookup that
fails (missing scope, network) answers "unknown" for a short while instead of retrying on
every message. ``manager`` (admin or owner) only matters for destructive commands. Each
lookup goes with the token of the person's workspace (``clients``: the runtime's
``client_for``), so one directory serves every workspace the app is installed in. People
are kept per workspace: on Enterprise Grid one user id is the same person in every
workspace of the org, with a role (and a display name) of each workspace's own, so an
admin of one workspace is not a manager of another.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.errors import CommandError
from core.shared_calls import Shared
from core.types import Author

log = logging.getLogger(__name__)

_FAILED_TTL = 60.0


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    manager: bool


class UserDirectory:
    def __init__(
        self,
        clients: Callable[[str], Awaitable[AsyncWebClient]],
        ttl: float = 600.0,
        max_people: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clients = clients
        self._ttl = ttl
        self._max = max_people
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, Person | None]] = OrderedDict()
        self._asking: Shared[tuple[str, str], Person | None] = Shared()

    async def person(self, user_id: str, team: str = "") -> Person | None:
        """Who ``user_id`` is (users.info once per TTL; the requests that come while it
        is asked wait for that one answer), in the workspace ``team``."""
        key = (team, user_id)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        return await self._asking.run(key, lambda: self._look_up(key))

    async def _look_up(self, key: tuple[str, str]) -> Person | None:
        team, user_id = key
        found = await self._fetch(user_id, team)
        ttl = self._ttl if found is not None else _FAILED_TTL
        self._cache[key] = (self._clock() + ttl, found)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)
        return found

    async def author(
        self, user_id: str, name: str | None = None, *, team: str = "", need_role: bool = False
    ) -> Author:
        """An Author; users.info is only asked when the name is unknown or the role matters."""
        if name and not need_role:
            return Author(id=user_id, name=name)
        found = await self.person(user_id, team)
        if found is None:
            return Author(id=user_id, name=name or user_id)
        return Author(id=user_id, name=name or found.name, manager=found.manager)

    async def names(self, user_ids: Iterable[str], team: str = "") -> dict[str, str]:
        ids = sorted({u for u in user_ids if u})
        people = await asyncio.gather(*(self.person(u, team) for u in ids))
        return {p.id: p.name for p in people if p is not None}

    async def _fetch(self, user_id: str, team: str) -> Person | None:
        try:
            client = await self._clients(team)
            resp = await client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("users.info %s failed: %s", user_id, exc.response.get("error"))
            return None
        except (aiohttp.ClientError, OSError, TimeoutError, CommandError) as exc:
            log.warning("users.info %s failed: %s", user_id, exc)
            return None
        user = resp.get("user") or {}
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )
        manager = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        return Person(user_id, str(name), manager)
