"""The user directory keeps each person per workspace: on Enterprise Grid one user id is
the same person in every workspace of the org, admin in one and a member of another."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.adapters.slack.users import UserDirectory


class Workspace:
    """users.info as one workspace answers it (its own roles and display names)."""

    def __init__(self, team: str, admins: set[str]) -> None:
        self.team, self.admins = team, admins
        self.asked: list[str] = []

    async def users_info(self, user: str) -> dict[str, Any]:
        self.asked.append(user)
        await asyncio.sleep(0.01)  # concurrent lookups overlap
        profile = {"display_name": f"{user} of {self.team}"}
        return {"user": {"id": user, "is_admin": user in self.admins, "profile": profile}}


def directory(*workspaces: Workspace) -> UserDirectory:
    by_team = {w.team: w for w in workspaces}

    async def clients(team: str) -> Any:
        return by_team[team]

    return UserDirectory(clients)


async def test_an_admin_of_one_workspace_is_no_manager_of_another() -> None:
    t1, t2 = Workspace("T1", admins={"W123"}), Workspace("T2", admins=set())
    users = directory(t1, t2)
    in_t1 = await users.author("W123", team="T1", need_role=True)
    in_t2 = await users.author("W123", team="T2", need_role=True)
    assert in_t1.manager and in_t1.name == "W123 of T1"
    assert not in_t2.manager and in_t2.name == "W123 of T2"
    assert t1.asked == ["W123"] and t2.asked == ["W123"]  # each workspace asked its own


async def test_lookups_at_once_share_one_call_per_workspace() -> None:
    t1, t2 = Workspace("T1", admins=set()), Workspace("T2", admins={"W1"})
    users = directory(t1, t2)
    found = await asyncio.gather(
        *(users.person("W1", team) for team in ("T1", "T2", "T1", "T2", "T1"))
    )
    assert [p.manager for p in found if p is not None] == [False, True, False, True, False]
    assert t1.asked == ["W1"] and t2.asked == ["W1"]
    assert (await users.names(["W1"], "T2")) == {"W1": "W1 of T2"}
    assert t2.asked == ["W1"]  # kept for its TTL
