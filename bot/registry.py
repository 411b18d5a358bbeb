"""The one registry of commands: names, subcommands, typed parameters, help text.

The terminal's help, the text parser, the Slack manifest and the Discord command tree are
all made from these specs, so they cannot drift apart. A leaf's parameters are the fields
of its arguments dataclass (bot/params.py), so they are written once.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal

from typing_extensions import TypeVar

from bot.params import Param, public_params
from core.types import ActionArgs, Args, FollowUpArgs, Invocation, NoArgs

if TYPE_CHECKING:
    from bot.context import Context

__all__ = ["CommandSpec", "Handler", "JobKind", "Param", "Registry", "Resolved", "closest"]

A = TypeVar("A", bound=Args, default=Any)
Handler = Callable[["Context[A]"], Awaitable[None]]
"""A command's handler: one explicit context, whose ``args`` are the command's own."""
JobKind = Literal["quick", "text", "image"]


@dataclass(frozen=True, slots=True)
class CommandSpec(Generic[A]):
    """A command, or a group of subcommands (then ``handler`` and ``args`` are None).

    A leaf names its handler and its arguments' dataclass (``args``); its parameters are
    derived from that dataclass (bot/params.py), so they are written once. mypy checks
    that the handler reads the arguments the spec declares.

    ``job`` says what it is and how it runs: "quick" ones read or write the bible and
    answer at once (never limited); "text" and "image" ones run on the job queue, and
    "image" ones count against the image limits (bot/limits.py). ``needs_thread``: given
    no arguments, it reads the thread it is asked in (/summarize thread), so a platform
    that cannot say which thread a command came from answers with a hint instead.
    ``default`` (a group): the leaf that takes the words when the first word is not a
    subcommand (``/outline 5 end on a cliffhanger`` is ``/outline generate 5 …``). When
    every leaf starts with the same string parameter (a subject), a subcommand named
    right after the default leaf's first argument takes over (``/portrait Mara pose …``
    is ``/portrait pose Mara …``); see ``hands_subject``.
    """

    name: str
    help: str
    handler: Handler[A] | None = None
    args: type[A] | None = None
    subcommands: tuple[CommandSpec[Any], ...] = ()
    examples: tuple[str, ...] = ()
    job: JobKind = "quick"
    destructive: bool = False
    needs_thread: bool = False
    default: str | None = None

    @property
    def is_group(self) -> bool:
        return bool(self.subcommands)

    @property
    def args_type(self) -> type[Args]:
        return self.args or NoArgs

    @property
    def params(self) -> tuple[Param, ...]:
        """The parameters writers set, derived from ``args`` (internal fields left out)."""
        return public_params(self.args_type)

    def sub(self, name: str) -> CommandSpec[Any] | None:
        for s in self.subcommands:
            if s.name == name:
                return s
        return None

    @property
    def hands_subject(self) -> bool:
        """Whether the default leaf's first argument may name another leaf's subject
        (every leaf starts with the same string parameter)."""
        leaf = self.sub(self.default or "")
        first = leaf.params[0] if leaf is not None and leaf.params else None
        if first is None or first.type != "string" or first.keyword_only:
            return False
        return all(sub.params and sub.params[0] == first for sub in self.subcommands)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A leaf command found in the registry, with the path that named it."""

    group: CommandSpec[Any]
    leaf: CommandSpec[Any]

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
    def __init__(self, specs: list[CommandSpec[Any]]) -> None:
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise ValueError("duplicate command names")
        for spec in specs:
            _check(spec)
        self._specs = {s.name: s for s in specs}

    def __iter__(self) -> Iterator[CommandSpec[Any]]:
        return iter(self._specs.values())

    def get(self, name: str) -> CommandSpec[Any] | None:
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
        if not subcommand and spec.default is not None:
            subcommand = spec.default
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


def _check(spec: CommandSpec[Any]) -> None:
    """Registry rules that every platform needs (Discord's are the strictest)."""
    if not (1 <= len(spec.name) <= 32 and spec.name.islower() and spec.name.isascii()):
        raise ValueError(f"bad command name {spec.name!r}")
    if not 1 <= len(spec.help) <= 100:
        raise ValueError(f"/{spec.name}: help must be 1-100 characters")
    if spec.is_group == (spec.handler is not None) or spec.is_group == (spec.args is not None):
        raise ValueError(f"/{spec.name}: a group has subcommands, a leaf a handler and args")
    for sub in spec.subcommands:
        if sub.subcommands:
            raise ValueError(f"/{spec.name} {sub.name}: one level of subcommands only")
        _check(sub)
    if spec.default is not None:
        _check_default(spec)
    params = spec.params  # derived from the args dataclass: a bad declaration fails here
    if spec.needs_thread and any(p.required for p in params):
        raise ValueError(f"/{spec.name}: needs_thread is for a command that runs with no args")
    seen_optional = False
    for p in params:
        if p.type == "choice" and not p.choices:
            raise ValueError(f"/{spec.name}: choice parameter {p.name} has no choices")
        if not 1 <= len(p.help) <= 100:
            raise ValueError(f"/{spec.name} {p.name}: help must be 1-100 characters")
        if p.required and seen_optional:
            raise ValueError(f"/{spec.name}: required {p.name} after an optional parameter")
        seen_optional = seen_optional or not p.required
    if len(params) > 25 or len(spec.subcommands) > 25:
        raise ValueError(f"/{spec.name}: at most 25 parameters and 25 subcommands")


def _check_default(group: CommandSpec[Any]) -> None:
    """The default names one of the group's leaves."""
    if group.sub(group.default or "") is None:
        raise ValueError(f"/{group.name}: default {group.default!r} is not a subcommand")


ButtonCommand = Callable[[Invocation[ActionArgs]], Invocation]
"""Turns a button press into the typed command it stands for."""


@dataclass(frozen=True, slots=True)
class Hooks:
    """Handlers that are not typed commands: thread follow-ups and button presses.

    ``commands``: button kinds that run a registry command (a confirmation button, say),
    so the press gets every check the typed command gets (who may run it, limits)."""

    follow_up: Handler[FollowUpArgs]
    action: Handler[ActionArgs]
    commands: Mapping[str, ButtonCommand] = field(default_factory=dict)
