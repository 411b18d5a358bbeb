"""The registry's specs agree with their handlers, their examples and their own rules."""

from __future__ import annotations

import typing
from dataclasses import dataclass

import pytest

from bot.context import Context
from bot.params import param
from bot.parsing import parse
from bot.registry import CommandSpec, Registry
from commands import build_hooks, build_registry
from commands.character import NamedArgs
from core.types import ActionArgs, Args, FollowUpArgs, NoArgs


def test_every_handler_reads_the_arguments_its_spec_declares() -> None:
    """mypy checks the pair where a spec is written; this checks none slipped through
    as a bare Context (whose args would be unchecked)."""
    for resolved in build_registry().leaves():
        leaf = resolved.leaf
        hints = typing.get_type_hints(leaf.handler)
        assert hints["ctx"] == Context[leaf.args_type], resolved.path
    hooks = build_hooks()
    assert typing.get_type_hints(hooks.follow_up)["ctx"] == Context[FollowUpArgs]
    assert typing.get_type_hints(hooks.action)["ctx"] == Context[ActionArgs]


def test_every_example_parses_to_its_own_command() -> None:
    registry = build_registry()
    for resolved in registry.leaves():
        for example in resolved.leaf.examples:
            parsed = parse(registry, example)
            assert parsed.resolved.path == resolved.path, example
            assert isinstance(parsed.args, resolved.leaf.args_type)


def test_the_spec_says_which_command_needs_a_thread() -> None:
    registry = build_registry()
    assert [r.path for r in registry.leaves() if r.leaf.needs_thread] == ["summarize thread"]
    assert parse(registry, "/summarize thread").needs_thread
    assert not parse(registry, "/summarize thread Dana: lock the target").needs_thread
    assert not parse(registry, "/summarize scene").needs_thread


async def _noop(ctx: Context[NamedArgs]) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Required(Args):
    who: str = param("Who")


async def _needs_who(ctx: Context[_Required]) -> None:
    return None


def test_a_command_that_needs_a_thread_must_run_without_arguments() -> None:
    with pytest.raises(ValueError, match="needs_thread"):
        Registry([CommandSpec("read", "Read.", _needs_who, _Required, needs_thread=True)])


def test_a_default_leaf_must_exist_and_hands_its_subject_on_only_when_every_leaf_shares_it() -> (
    None
):
    shown = CommandSpec("show", "Show.", _noop, NamedArgs)
    listed = CommandSpec("list", "List.", _noop, NoArgs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a subcommand"):
        Registry([CommandSpec("cast", "Cast.", subcommands=(shown,), default="draw")])
    mixed = CommandSpec("cast", "Cast.", subcommands=(shown, listed), default="show")
    shared = CommandSpec("cast", "Cast.", subcommands=(shown,), default="show")
    assert not mixed.hands_subject and shared.hands_subject
    registry = Registry([mixed])
    assert parse(registry, "/cast Mara list").args == NamedArgs("Mara list")  # no hand-off
    assert parse(registry, "/cast list").resolved.leaf is listed
