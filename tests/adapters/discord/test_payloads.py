"""The fake's checks refuse what Discord refuses, and take what it takes (400 Invalid Form
Body, code 50035, naming the problem)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import pytest
from discord.http import Route

from tests.adapters.discord.discord_limits import (
    INTEGER,
    check_autocomplete,
    check_commands,
    check_message,
    check_modal,
    check_thread,
    slash_name,
)
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import interaction_payload

Check = Callable[[dict[str, Any]], None]


def _option(name: str = "name", **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "Who", "required": False} | extra


def _command(name: str = "story", **extra: Any) -> dict[str, Any]:
    return {"type": 1, "name": name, "description": "The story", "options": []} | extra


def _sub(name: str, options: list[dict[str, Any]], kind: int = 1) -> dict[str, Any]:
    return {"type": kind, "name": name, "description": "A part", "options": options}


def _commands(*commands: dict[str, Any]) -> dict[str, Any]:
    return {"commands": list(commands)}


def _sync(p: dict[str, Any]) -> None:
    check_commands(p["commands"])


def _choices(n: int, name: str = "c", value: Any = "v") -> list[dict[str, Any]]:
    return [{"name": f"{name}{i}", "value": value if value != "v" else f"v{i}"} for i in range(n)]


def _heavy(options: int) -> dict[str, Any]:
    """A command of ``options`` options of 25 choices of 100-character names and values:
    each 5,000 characters and more, toward the command's 8,000."""
    choices = [{"name": f"{i:02}" + "n" * 98, "value": f"{i:02}" + "v" * 98} for i in range(25)]
    return _command(options=[_option(f"o{i}", choices=choices) for i in range(options)])


def _modal(*inputs: dict[str, Any]) -> dict[str, Any]:
    rows = [{"type": 1, "components": [c]} for c in inputs]
    return {"title": "Mara", "custom_id": "wrf:m", "components": rows}


def _input(custom_id: str = "name", **extra: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1, "label": "Name"} | extra


def _menu(**extra: Any) -> dict[str, Any]:
    return {"type": 3, "custom_id": "pick", "options": [{"label": "A", "value": "a"}]} | extra


def _select(**extra: Any) -> dict[str, Any]:
    """A message of one select menu."""
    return {"components": [{"type": 1, "components": [_menu(**extra)]}]}


def _button(custom_id: str) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id}


TAKEN: list[tuple[Check, dict[str, Any]]] = [
    (_sync, _commands(_command(options=[_option(required=True), _option("age")]))),
    (_sync, _commands(*(_command(f"c{i}") for i in range(100)))),
    (_sync, _commands(_command("story"), {"type": 3, "name": "Story Of This Message"})),
    (_sync, _commands(_command("story", options=[_sub("set", [_option()])]))),
    (_sync, _commands(_command("perm", options=[_sub("user", [_sub("get", [])], kind=2)]))),
    (_sync, _commands(_command(options=[_option(choices=_choices(25))]))),
    (_sync, _commands(_command(options=[_option(autocomplete=True, max_length=6000)]))),
    (_sync, _commands(_heavy(1))),  # over 4,000: Discord's limit until 2024
    (check_autocomplete, {"choices": _choices(25)}),
    (check_autocomplete, {"choices": [{"name": "x" * 100, "value": "y" * 100}]}),
    (check_modal, _modal(_input(max_length=4000, value="x" * 4000, placeholder="p" * 100))),
    (
        check_modal,
        {
            "title": "t" * 45,
            "custom_id": "m",
            "components": [{"type": 18, "label": "l" * 45, "component": _input(label=None)}],
        },
    ),
    (check_message, _select(options=[{"label": "x" * 100, "value": str(i)} for i in range(25)])),
    (
        check_modal,
        {
            "title": "Pick",
            "custom_id": "m",
            "components": [
                {
                    "type": 18,
                    "label": "Who",
                    "component": _menu(),
                }
            ],
        },
    ),
    (
        check_message,
        {"components": [{"type": 1, "components": [_button(str(i)) for i in range(5)]}]},
    ),
    (check_thread, {"name": "n" * 100, "auto_archive_duration": 10080}),
]

REFUSED: list[tuple[Check, dict[str, Any], str]] = [
    (_sync, _commands(_command("Story")), "name"),
    (_sync, _commands(_command("story set")), "name"),
    (_sync, _commands(_command("s" * 33)), "name"),
    (_sync, _commands(_command(description="d" * 101)), "description"),
    (_sync, _commands(_command(description="")), "description"),
    (_sync, _commands(_command(options=[_option(f"o{i}") for i in range(26)])), "25 options"),
    (_sync, _commands(_command(options=[_sub(f"s{i}", []) for i in range(26)])), "25 options"),
    (
        _sync,
        _commands(_command(options=[_sub("g", [_sub(f"s{i}", []) for i in range(26)], kind=2)])),
        "(g): more than 25 options",
    ),
    (_sync, _commands(_command(options=[_option(choices=_choices(26))])), "25 choices"),
    (_sync, _commands(_command(options=[_option(choices=_choices(1, "n" * 101))])), "name"),
    (_sync, _commands(_command(options=[_option(choices=_choices(1, value="v" * 101))])), "value"),
    (_sync, _commands(_command(options=[_option(), _option("b", required=True)])), "required"),
    (_sync, _commands(*(_command(f"c{i}") for i in range(101))), "more than 100"),
    (_sync, _commands(*({"type": 3, "name": f"Menu {i}"} for i in range(16))), "more than 15"),
    (_sync, _commands({"type": 3, "name": "m" * 33}), "1-32"),
    (_sync, _commands(_command("story"), _command("story")), "share a name"),
    (_sync, _commands(_command(options=[_option("a"), _option("a")])), "share a name"),
    (_sync, _commands(_heavy(2)), "more than 8000 characters"),
    (_sync, _commands(_command(options=[_option(min_length=-1)])), "0-6000"),
    (_sync, _commands(_command(options=[_option(max_length=6001)])), "0-6000"),
    (_sync, _commands(_command(options=[_option(max_length=0)])), "0-6000"),
    (_sync, _commands(_command(options=[_option(autocomplete=True, choices=_choices(2))])), "auto"),
    (_sync, _commands(_command(options=[_sub("s", []), _option()])), "mixed"),
    (_sync, _commands(_command(options=[_sub("s", [_sub("t", [])])])), "nested"),
    (check_autocomplete, {"choices": _choices(26)}, "25 choices"),
    (check_autocomplete, {"choices": [{"name": "n" * 101, "value": "v"}]}, "name"),
    (check_autocomplete, {"choices": [{"name": "", "value": "v"}]}, "name"),
    (check_autocomplete, {"choices": [{"name": "n", "value": "v" * 101}]}, "value"),
    (check_modal, {**_modal(_input()), "title": "t" * 46}, "title"),
    (check_modal, _modal(_input(label="l" * 46)), "label"),
    (check_modal, _modal(_input(placeholder="p" * 101)), "placeholder"),
    (check_modal, _modal(_input(value="v" * 4001, max_length=None)), "value"),
    (check_modal, _modal(_input(max_length=4001)), "max_length"),
    (check_modal, _modal(_input("same"), _input("same")), "twice"),
    (check_message, _select(options=_choices(26, "l")), "1-25 options"),
    (check_message, _select(options=[{"label": "l" * 101, "value": "v"}]), "label"),
    (
        check_message,
        _select(options=[{"label": "l", "value": "v", "description": "d" * 101}]),
        "desc",
    ),
    (check_message, _select(custom_id="c" * 101), "custom_id"),
    (check_message, _select(placeholder="p" * 151), "placeholder"),
    (
        check_message,
        {"components": [{"type": 1, "components": [_button("a"), _button("a")]}]},
        "twice",
    ),
    (check_message, {"components": [{"type": 1, "components": [_button("c" * 101)]}]}, "custom_id"),
    (check_message, {"embeds": [{"author": {"name": "a" * 257}}]}, "author"),
    (check_thread, {"name": "n" * 101}, "name"),
    (check_thread, {"name": "   "}, "name"),
    (check_thread, {"name": "draft", "auto_archive_duration": 30}, "auto_archive"),
    (check_thread, {"name": "post", "applied_tags": ["1", "2", "3", "4", "5", "6"]}, "tags"),
]


@pytest.mark.parametrize(("check", "payload"), TAKEN)
def test_discord_takes(check: Check, payload: dict[str, Any]) -> None:
    check(payload)


@pytest.mark.parametrize(("check", "payload", "problem"), REFUSED)
def test_discord_refuses(check: Check, payload: dict[str, Any], problem: str) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        check(payload)
    assert refused.value.status == 400 and refused.value.code == 50035
    assert problem in refused.value.text


@pytest.mark.parametrize(
    "name", ["story", "set-up", "don't", "mara_2", "écrire", "नमस्ते", "สวัสดี", "故事"]
)
def test_slash_names_discord_takes(name: str) -> None:
    assert slash_name(name)


@pytest.mark.parametrize("name", ["", "Story", "story set", "a.b", "ÉCRIRE", "x" * 33, "emoji🙂"])
def test_slash_names_discord_refuses(name: str) -> None:
    assert not slash_name(name)


def test_an_integer_options_choices_are_integers() -> None:
    check_autocomplete({"choices": [{"name": "one", "value": 1}]}, INTEGER)
    with pytest.raises(discord.HTTPException):
        check_autocomplete({"choices": [{"name": "one", "value": "1"}]}, INTEGER)


async def test_only_choices_answer_an_autocomplete_and_only_within_the_limits() -> None:
    fake = FakeDiscord()
    options = [{"type": INTEGER, "name": "count", "value": 1, "focused": True}]
    typing = interaction_payload(4, {"id": "1", "name": "outline", "type": 1, "options": options})
    command = interaction_payload(2, {"id": "1", "name": "outline", "type": 1})
    for payload in (typing, command):
        fake.interactions[payload["token"]] = payload

    async def answer(payload: dict[str, Any], kind: int, data: dict[str, Any]) -> None:
        route = Route(
            "POST",
            "/interactions/{id}/{token}/callback",
            id=payload["id"],
            token=payload["token"],
        )
        await fake._handle(route, {"type": kind, "data": data}, [])

    for payload, kind, data in [
        (typing, 4, {"content": "hi"}),  # a message answers no autocomplete
        (command, 8, {"choices": []}),  # choices answer nothing else
        (typing, 8, {"choices": [{"name": "one", "value": "1"}]}),  # an integer option's
    ]:
        with pytest.raises(discord.HTTPException) as refused:
            await answer(payload, kind, data)
        assert refused.value.code == 50035
    assert fake.refused == 3 and fake.responded == {}
    await answer(typing, 8, {"choices": [{"name": "one", "value": 1}]})
    assert fake.responded == {typing["token"]: 8}
