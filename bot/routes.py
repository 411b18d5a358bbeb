"""What a plain-language request was understood as (bot/router.py offline, bot/
command_tools.py with a model): a command line to run as typed with a sentence saying what
was understood, the likeliest readings to offer as buttons, or a short answer."""

from __future__ import annotations

from dataclasses import dataclass

ASK = "/ask"
MAX_BUTTON_LINE = 90
"""The longest command line an ask-back button carries (platform id limits)."""


@dataclass(frozen=True, slots=True)
class Understood:
    """A command line to run as typed, and what it was understood as."""

    line: str
    said: str


@dataclass(frozen=True, slots=True)
class Unsure:
    """The likeliest readings, to offer as buttons."""

    options: tuple[Understood, ...]


@dataclass(frozen=True, slots=True)
class Chat:
    """Small talk, or a request no command does: a short answer, never an error.
    ``kind`` says which: "small_talk", "never" (forgetting), "revise" (a revision asked
    outside its thread), "unknown", "empty", or "model" (the model's own words)."""

    reply: str
    kind: str = "unknown"


Route = Understood | Unsure | Chat
