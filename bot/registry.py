"""The one registry of commands: names, subcommands, typed parameters, help text.

The terminal's help, the text parser, the Slack manifest and the Discord command tree are
all made from these specs, so they cannot drift apart.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bot.context import Context

Handler = Callable[["Context"], Awaitable[None]]
ParamType = Literal["string", "text", "integer", "choice", "names"]
"""string: one word or a "quoted phrase"; text: the rest of the line; integer; choice: one
of ``choices``; names: one or more names ("Mara Jonah" or "Mara, Old Tom:")."""
AutocompleteSource = Literal["characters", "locations"]
JobKind = Literal["quick", "text", "image"]


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
    default: str | int | None = None
    keyword_only: bool = False
    """Only set by name (``role:mentor``); never filled from a bare word."""

    def usage(self) -> str:
        label = self.name
        if self.type == "choice" and self.choices and len(self.choices) <= 4:
            label = "|".join(self.choices)
        if self.type in ("text", "names"):
            label += "…"
        if self.keyword_only:
            return f"[{self.name}:…]"
        return f"<{label}>" if self.required else f"[{label}]"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command, or a group of subcommands (then ``handler`` is None).

    ``job`` says how it runs: "quick" ones read or write the bible and answer at once;
    "text" and "image" ones run on the job queue with their kind's concurrency.
    """

    name: str
    help: str
    handler: Handler | None = None
    params: tuple[Param, ...] = ()
    subcommands: tuple[CommandSpec, ...] = ()
    examples: tuple[str, ...] = ()
    job: JobKind = "quick"
    destructive: bool = False

    @property
    def is_group(self) -> bool:
        return bool(self.subcommands)

    def sub(self, name: str) -> CommandSpec | None:
        for s in self.subcommands:
            if s.name == name:
                return s
        return None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A leaf command found in the registry, with the path that named it."""

    group: CommandSpec
    leaf: CommandSpec

    @property
    def subcommand(self) -> str | None:
        return None if self.leaf is self.group else self.leaf.name

    @property
    def path(self) -> str:
        return self.group.name + (f" {self.leaf.name}" if self.leaf is not self.group else "")

    def usage(self) -> str:
        parts = [f"/{self.path}", *(p.usage() for p in self.leaf.params)]
        return " ".join(parts)


class Registry:
    def __init__(self, specs: list[CommandSpec]) -> None:
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise ValueError("duplicate command names")
        for spec in specs:
            _check(spec)
        self._specs = {s.name: s for s in specs}

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self._specs.values())

    def get(self, name: str) -> CommandSpec | None:
        return self._specs.get(name)

    def leaves(self) -> Iterator[Resolved]:
        for spec in self:
            if spec.is_group:
                for sub in spec.subcommands:
                    yield Resolved(spec, sub)
            else:
                yield Resolved(spec, spec)

    def resolve(self, name: str, subcommand: str | None) -> Resolved:
        """Find a leaf by name and subcommand; unknown ones fail with the closest match."""
        from core.errors import UsageError

        spec = self._specs.get(name.lower())
        if spec is None:
            hint = closest(name.lower(), list(self._specs))
            raise UsageError(
                f"There is no /{name} command."
                + (f" Did you mean /{hint}?" if hint else "")
                + " Type /help to see them all."
            )
        if not spec.is_group:
            return Resolved(spec, spec)
        choices = ", ".join(s.name for s in spec.subcommands)
        if not subcommand:
            raise UsageError(
                f"/{spec.name} needs a subcommand: {choices}.",
                f"/{spec.name} <{'|'.join(s.name for s in spec.subcommands)}> …",
            )
        sub = spec.sub(subcommand.lower())
        if sub is None:
            hint = closest(subcommand.lower(), [s.name for s in spec.subcommands])
            raise UsageError(
                f"/{spec.name} has no subcommand '{subcommand}'."
                + (f" Did you mean /{spec.name} {hint}?" if hint else "")
                + f" It has: {choices}."
            )
        return Resolved(spec, sub)


def closest(word: str, options: list[str]) -> str | None:
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    if found:
        return found[0]
    prefixed = [o for o in options if o.startswith(word[:2])] if len(word) >= 2 else []
    return prefixed[0] if len(prefixed) == 1 else None


def _check(spec: CommandSpec) -> None:
    """Registry rules that every platform needs (Discord's are the strictest)."""
    if not (1 <= len(spec.name) <= 32 and spec.name.islower() and spec.name.isascii()):
        raise ValueError(f"bad command name {spec.name!r}")
    if not 1 <= len(spec.help) <= 100:
        raise ValueError(f"/{spec.name}: help must be 1-100 characters")
    if spec.is_group == (spec.handler is not None):
        raise ValueError(f"/{spec.name}: a group has subcommands, a leaf a handler")
    for sub in spec.subcommands:
        if sub.subcommands:
            raise ValueError(f"/{spec.name} {sub.name}: one level of subcommands only")
        _check(sub)
    seen_optional = False
    for p in spec.params:
        if p.type == "choice" and not p.choices:
            raise ValueError(f"/{spec.name}: choice parameter {p.name} has no choices")
        if not 1 <= len(p.help) <= 100:
            raise ValueError(f"/{spec.name} {p.name}: help must be 1-100 characters")
        if p.required and seen_optional:
            raise ValueError(f"/{spec.name}: required {p.name} after an optional parameter")
        seen_optional = seen_optional or not p.required
    if len(spec.params) > 25 or len(spec.subcommands) > 25:
        raise ValueError(f"/{spec.name}: at most 25 parameters and 25 subcommands")
