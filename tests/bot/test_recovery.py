"""Job payloads: typed arguments survive the JSON round trip, and old records still read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from bot.parsing import parse
from bot.recovery import decode, encode
from commands import build_registry
from commands.character import NewArgs
from commands.portrait import PoseArgs, StyleArgs
from commands.writing import DialogueArgs, SynopsisArgs
from core.models import JobRecord
from core.types import (
    ACTION,
    FOLLOW_UP,
    ActionArgs,
    Author,
    Capabilities,
    FollowUpArgs,
    Invocation,
    Place,
)

REGISTRY = build_registry()
PLACE = Place("terminal", "local", "room", "t1")
ANN = Author("u1", "Ann", manager=True)


def record(payload: str) -> JobRecord:
    place = (*PLACE.story_key, PLACE.thread)
    return JobRecord("j1", "text", "x", place, "u1", "queued", time.time(), payload=payload)


def old_payload(command: str, subcommand: str | None, args: dict[str, Any], raw: str) -> str:
    """A payload as written before arguments were typed: only what was given, names as lists."""
    return json.dumps(
        {
            "command": command,
            "subcommand": subcommand,
            "args": args,
            "raw": raw,
            "author": [ANN.id, ANN.name, ANN.manager],
            "capabilities": [False, True, True, 100_000],
        }
    )


def test_every_example_round_trips_with_its_typed_arguments() -> None:
    for resolved in REGISTRY.leaves():
        for line in resolved.leaf.examples:
            parsed = parse(REGISTRY, line)
            inv = Invocation(
                parsed.resolved.group.name,
                parsed.resolved.subcommand,
                parsed.args,
                line,
                PLACE,
                ANN,
                Capabilities(upload_files=True, buttons=True),
            )
            stored = decode(record(encode(inv)), REGISTRY)
            assert stored is not None and stored.inv == inv, line
            assert stored.resolved == parsed.resolved


def test_follow_ups_and_button_presses_round_trip() -> None:
    for inv in (
        Invocation(FOLLOW_UP, None, FollowUpArgs("make her older"), "make her older", PLACE, ANN),
        Invocation(ACTION, None, ActionArgs("regenerate", "12"), "[regenerate]", PLACE, ANN),
    ):
        stored = decode(record(encode(inv)), REGISTRY)
        assert stored is not None and stored.inv == inv and stored.resolved is None


def test_old_payloads_are_bound_again_to_todays_arguments() -> None:
    dialogue = decode(
        record(
            old_payload(
                "dialogue",
                None,
                {"characters": ["Mara", "Old Tom"], "situation": "the debt"},
                "/dialogue Mara, Old Tom: the debt",
            )
        ),
        REGISTRY,
    )
    assert dialogue is not None
    assert dialogue.inv.args == DialogueArgs(("Mara", "Old Tom"), "the debt")
    synopsis = decode(record(old_payload("synopsis", None, {}, "/synopsis")), REGISTRY)
    assert synopsis is not None and synopsis.inv.args == SynopsisArgs()
    named = decode(
        record(old_payload("character", "new", {"name": "Jonah", "role": "lead"}, "")), REGISTRY
    )
    assert named is not None and named.inv.args == NewArgs(name="Jonah", role="lead")
    press = decode(record(old_payload(ACTION, None, {"action": "save", "ref": "3"}, "")), REGISTRY)
    assert press is not None and press.inv.args == ActionArgs("save", "3")


def test_an_old_portrait_request_reads_as_the_subcommand_it_named() -> None:
    """Before /portrait had subcommands its words after the name were one request."""

    def old(args: dict[str, Any]) -> tuple[str | None, object]:
        stored = decode(record(old_payload("portrait", None, args, "")), REGISTRY)
        assert stored is not None and stored.resolved is not None
        return stored.inv.subcommand, stored.inv.args

    assert old({"name": "Mara"}) == ("draw", StyleArgs("Mara"))
    assert old({"name": "Mara", "request": "noir comic"}) == (
        "draw",
        StyleArgs("Mara", "noir comic"),
    )
    assert old({"name": "Mara Quell", "request": "pose leaning on the rail"}) == (
        "pose",
        PoseArgs("Mara Quell", "leaning on the rail"),
    )
    assert old({"name": "Mara", "request": "history"})[0] == "history"


def test_unreadable_payloads_are_none() -> None:
    assert decode(record(""), REGISTRY) is None
    assert decode(record("{not json"), REGISTRY) is None
    assert decode(record(old_payload("nosuch", None, {}, "")), REGISTRY) is None
    assert decode(record(old_payload("outline", None, {"acts": "nine"}, "")), REGISTRY) is None
    assert (
        decode(record(old_payload(ACTION, None, {"action": "explode", "ref": "1"}, "")), REGISTRY)
        is None
    )


def test_recovery_does_not_import_the_dispatcher() -> None:
    """The dispatcher uses recovery's codec; recovery is handed the dispatcher, never imports it."""
    code = "import sys, bot.recovery; print('bot.dispatch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"
