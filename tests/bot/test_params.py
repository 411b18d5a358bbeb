"""A command's parameters come from its arguments dataclass, and bind fills that dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from bot.params import Param, internal, param, params_of, public_params
from bot.parsing import bind, parse
from bot.registry import CommandSpec, Registry, Resolved
from commands import build_registry
from commands.writing import DialogueArgs
from core.errors import UsageError
from core.types import Args

Mood = Literal["calm", "stormy"]


@dataclass(frozen=True, slots=True)
class SceneArgs(Args):
    who: tuple[str, ...] = param("Who is in it", autocomplete="characters")
    mood: Mood = param("How it feels", default="calm")
    beats: int = param("How many beats", default=3, min_value=1, max_value=9)
    place: str = param("Where", default="", max_length=40)
    field: str = param("Which field", choices=("title", "logline"), default="title")
    take: Mood | None = param("Which take", default=None, keyword_only=True)
    notes: str = param("Anything else", text=True, default="")
    origin: str = internal("typed")


async def _scene(ctx: object) -> None:
    return None


SCENE = CommandSpec("scene", "A test scene.", _scene, SceneArgs)
RESOLVED = Resolved(SCENE, SCENE)


def test_params_are_derived_from_the_fields_types_and_declarations() -> None:
    by_name = {p.name: p for p in params_of(SceneArgs)}
    assert by_name["who"] == Param(
        "who", "Who is in it", "names", required=True, autocomplete="characters"
    )
    assert by_name["mood"].type == "choice" and by_name["mood"].choices == ("calm", "stormy")
    assert not by_name["mood"].required
    assert by_name["beats"].type == "integer"
    assert (by_name["beats"].min_value, by_name["beats"].max_value) == (1, 9)
    assert by_name["place"].type == "string" and by_name["place"].max_length == 40
    assert by_name["field"].choices == ("title", "logline")
    assert by_name["take"].choices == ("calm", "stormy") and by_name["take"].keyword_only
    assert by_name["notes"].type == "text"
    assert by_name["origin"].internal
    assert [p.name for p in SCENE.params] == [
        "who",
        "mood",
        "beats",
        "place",
        "field",
        "take",
        "notes",
    ]  # internal fields are never offered
    assert public_params(SceneArgs) == SCENE.params


def test_bind_fills_the_dataclass_with_converted_values_and_defaults() -> None:
    bound = bind(RESOLVED, {"who": "Mara, Jonah", "mood": "Stormy", "beats": "4"})
    assert bound == SceneArgs(who=("Mara", "Jonah"), mood="stormy", beats=4)
    assert bind(RESOLVED, {"who": ["Mara"], "origin": "button"}) == SceneArgs(
        who=("Mara",), origin="button"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "Missing who"),
        ({"who": "Mara", "mood": "sunny"}, "must be one of: calm, stormy"),
        ({"who": "Mara", "beats": "ten"}, "must be a whole number"),
        ({"who": "Mara", "beats": 12}, "between 1 and 9"),
        ({"who": "Mara", "place": "x" * 41}, "too long"),
        ({"who": "Mara", "colour": "red"}, "Unknown option colour"),
    ],
)
def test_bind_refuses_what_the_declaration_does_not_allow(
    given: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        bind(RESOLVED, given)


def test_typed_options_and_a_typed_line_give_the_same_arguments() -> None:
    """Discord's options go through the same binding as the parser's words."""
    registry = build_registry()
    line = parse(registry, "/dialogue Mara, Old Tom: the debt comes due")
    options = bind(
        line.resolved, {"characters": ["Mara", "Old Tom"], "situation": "the debt comes due"}
    )
    assert line.args == options == DialogueArgs(("Mara", "Old Tom"), "the debt comes due")


def test_a_field_declared_without_param_or_with_a_mismatched_type_is_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Bare(Args):
        name: str = ""

    @dataclass(frozen=True, slots=True)
    class ChoicesOnAnInt(Args):
        n: int = param("A number", choices=("1", "2"), default=1)

    @dataclass(frozen=True, slots=True)
    class LiteralWithChoices(Args):
        mood: Mood = param("How", choices=("calm",), default="calm")

    @dataclass(frozen=True, slots=True)
    class OptionalWithAValue(Args):
        take: Mood | None = param("Which take", default="calm")

    for cls in (Bare, ChoicesOnAnInt, LiteralWithChoices):
        with pytest.raises(TypeError):
            params_of(cls)
    with pytest.raises(TypeError, match="defaults to None"):
        params_of(OptionalWithAValue)


def test_the_registry_checks_the_args_of_every_leaf_when_it_is_built() -> None:
    @dataclass(frozen=True, slots=True)
    class Wordy(Args):
        who: str = param("Who " * 30)

    with pytest.raises(ValueError, match="help must be 1-100 characters"):
        Registry([CommandSpec("odd", "Odd.", _scene, Wordy)])
    with pytest.raises(ValueError, match="a leaf a handler and args"):
        Registry([CommandSpec("noargs", "No args.", _scene)])
