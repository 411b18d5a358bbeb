"""A command's parameters, declared once, as the fields of its typed arguments.

Each command declares a frozen dataclass of ``core.types.Args``; each field is a
parameter, declared with ``param`` (help text, limits, autocomplete), or a value only code
sets (a button's), declared with ``internal``::

    @dataclass(frozen=True, slots=True)
    class DialogueArgs(Args):
        characters: tuple[str, ...] = param("Who speaks", autocomplete="characters")
        situation: str = param("What the scene is about", text=True, default="")

The field's type says the parameter's type: ``str`` is one word or a "quoted phrase"
(``text=True``: the rest of the line), ``int`` a whole number, a ``Literal`` one of its
values (``choices=`` gives the values of a plain ``str`` that are listed elsewhere),
``tuple[str, ...]`` one or more names. A field without a default is required; ``X | None``
defaults to None. ``params_of`` derives the ``Param``s that the parser, the help, the
Slack manifest and the Discord tree read, so the two can never disagree.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from core.types import Args

ParamType = Literal["string", "text", "integer", "choice", "names"]
"""string: one word or a "quoted phrase"; text: the rest of the line; integer; choice: one
of ``choices``; names: one or more names ("Mara Jonah" or "Mara, Old Tom:")."""
AutocompleteSource = Literal["characters", "locations"]

_DECLARED = "writersroom.param"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    help: str
    type: ParamType = "string"
    required: bool = True
    choices: tuple[str, ...] = ()
    autocomplete: AutocompleteSource | None = None
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    keyword_only: bool = False
    """Only set by name (``role:mentor``); never filled from a bare word."""
    internal: bool = False
    """Set by code only (a button, a shortcut's choice): never typed, never offered."""

    def usage(self) -> str:
        label = self.name
        if self.type == "choice" and self.choices and len(self.choices) <= 4:
            label = "|".join(self.choices)
        if self.type in ("text", "names"):
            label += "…"
        if self.keyword_only:
            return f"[{self.name}:…]"
        return f"<{label}>" if self.required else f"[{label}]"


def param(
    help: str,
    *,
    default: Any = dataclasses.MISSING,
    text: bool = False,
    choices: tuple[str, ...] = (),
    autocomplete: AutocompleteSource | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    max_length: int | None = None,
    keyword_only: bool = False,
) -> Any:
    """A parameter writers type or pick: a dataclass field carrying its help and limits
    (a Param whose name, type and requiredness ``params_of`` fills in from the field)."""
    declared = Param(
        "",
        help,
        "text" if text else "string",
        choices=choices,
        autocomplete=autocomplete,
        min_value=min_value,
        max_value=max_value,
        max_length=max_length,
        keyword_only=keyword_only,
    )
    return dataclasses.field(default=default, metadata={_DECLARED: declared})


def internal(default: Any) -> Any:
    """A field only code sets (``/story forget``'s button time, a shortcut's delivery)."""
    declared = Param("", "", required=False, internal=True)
    return dataclasses.field(default=default, metadata={_DECLARED: declared})


_DERIVED: dict[type[Args], tuple[Param, ...]] = {}


def params_of(cls: type[Args]) -> tuple[Param, ...]:
    """Every field of ``cls`` as a Param, internal ones included, in field order (derived
    once per class).

    Raises TypeError for a field declared without ``param``/``internal``, or whose type
    and declaration disagree (choices on an int, a Literal with ``choices=``)."""
    derived = _DERIVED.get(cls)
    if derived is None:
        hints = typing.get_type_hints(cls)
        derived = tuple(_param(cls, f, hints[f.name]) for f in dataclasses.fields(cls))
        _DERIVED[cls] = derived
    return derived


def public_params(cls: type[Args]) -> tuple[Param, ...]:
    """The parameters writers can set (what the parser, help and platforms show)."""
    return tuple(p for p in params_of(cls) if not p.internal)


def _param(cls: type[Args], f: dataclasses.Field[Any], hint: Any) -> Param:
    where = f"{cls.__name__}.{f.name}"
    declared = f.metadata.get(_DECLARED)
    if not isinstance(declared, Param):
        raise TypeError(f"{where}: declare the field with param(...) or internal(...)")
    if f.default_factory is not dataclasses.MISSING:
        raise TypeError(f"{where}: a default_factory is not supported; use an immutable default")
    base, optional = _strip_none(hint)
    if optional and f.default is not None:
        raise TypeError(f"{where}: an optional (X | None) field defaults to None")
    kind, choices = _kind(where, base, declared)
    required = f.default is dataclasses.MISSING
    return dataclasses.replace(declared, name=f.name, type=kind, required=required, choices=choices)


def _strip_none(hint: Any) -> tuple[Any, bool]:
    if get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in get_args(hint) if a is not type(None)]
        if len(rest) == 1 and len(get_args(hint)) == 2:
            return rest[0], True
    return hint, False


def _kind(where: str, hint: Any, declared: Param) -> tuple[ParamType, tuple[str, ...]]:
    if get_origin(hint) is Literal:
        values = get_args(hint)
        if declared.choices or not all(isinstance(v, str) for v in values):
            raise TypeError(f"{where}: a Literal of strings gives the choices itself")
        return "choice", tuple(values)
    if hint is str:
        if declared.choices:
            if declared.type == "text":
                raise TypeError(f"{where}: a choice is not free text")
            return "choice", declared.choices
        return declared.type, ()
    if declared.choices or declared.type == "text":
        raise TypeError(f"{where}: choices and text=True are for str fields")
    if hint is int:
        return "integer", ()
    if get_origin(hint) is tuple and get_args(hint) == (str, ...):
        return "names", ()
    raise TypeError(f"{where}: unsupported parameter type {hint!r}")
