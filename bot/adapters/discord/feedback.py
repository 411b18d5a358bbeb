"""Good / Not good buttons under generated replies on Discord, and recording a press.

As on Slack (bot/adapters/slack/feedback.py), the buttons carry what made the reply (the
command, the engine, the model: ``Made``) in their custom id, so a press needs no lookup,
works in any process and after a restart, and stays right after the configuration
changes. Discord allows 100 characters in a custom id: a model name too long for it is
cut to fit (the votes of one model are still counted together). A vote is stored with the
message and the person (a second press changes it) under the channel's story, where
``/story stats`` adds them up; the presser is thanked privately.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any, Protocol, cast

import discord

from bot.adapters.feedback import Made
from core.types import Reply

if TYPE_CHECKING:
    from typing import Self

log = logging.getLogger(__name__)

PREFIX = "wrfb"
CUSTOM_ID_MAX = 100
TEMPLATE = re.compile(rf"{PREFIX}:(?P<verdict>good|bad):(?P<made>\{{.{{1,90}}\}})")
_LABELS = {"good": "👍 Good", "bad": "👎 Not good"}
_STYLES = {"good": discord.ButtonStyle.secondary, "bad": discord.ButtonStyle.secondary}
FEEDBACK_ROW = 4
"""The last of a message's five rows, below the reply's own buttons."""


class FeedbackHandler(Protocol):
    async def on_feedback(
        self, interaction: discord.Interaction, good: bool, made: Made
    ) -> None: ...


def wanted(reply: Reply, made: Made | None) -> Made | None:
    """``made`` when the reply is a final generated result to vote on (not a choice still
    to make, a progress state or an error), else None."""
    choosing = any(a.kind == "choose" for a in reply.actions)  # vote on the one kept
    if made is None or reply.tone != "result" or reply.partial or choosing:
        return None
    return made


def custom_id(verdict: str, made: Made) -> str:
    """``wrfb:<verdict>:<Made as JSON>``, the model cut until it fits in 100 characters."""
    model = made.model
    while True:
        value = json.dumps({"c": made.command, "e": made.engine, "m": model}, separators=(",", ":"))
        found = f"{PREFIX}:{verdict}:{value}"
        if len(found) <= CUSTOM_ID_MAX or not model:
            return found[:CUSTOM_ID_MAX]
        model = model[:-1]


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """👍 Good or 👎 Not good under a generated reply."""

    def __init__(self, verdict: str, made: Made) -> None:
        super().__init__(
            discord.ui.Button(
                label=_LABELS[verdict],
                style=_STYLES[verdict],
                custom_id=custom_id(verdict, made),
                row=FEEDBACK_ROW,
            )
        )
        self.verdict = verdict
        self.made = made

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        made = Made.read(match["made"])
        if made is None:
            raise ValueError("a feedback button with an unreadable custom id")
        return cls(match["verdict"], made)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = getattr(interaction.client, "router", None)
        if handler is None:
            log.warning("feedback pressed on a client without a router")
            return
        await cast(FeedbackHandler, handler).on_feedback(
            interaction, self.verdict == "good", self.made
        )


def add_buttons(view: discord.ui.View, made: Made) -> None:
    """Put the two feedback buttons on ``view``'s last row."""
    for verdict in _LABELS:
        view.add_item(FeedbackButton(verdict, made))


def thanks(made: Made, good: bool, first: bool) -> str:
    verdict = "good" if good else "not good"
    again = "" if first else " (your vote is changed)"
    model = f" ({made.model})" if made.model else ""
    return (
        f"Thanks: /{made.command} by {made.engine}{model} recorded as {verdict}{again}. "
        "/story stats shows this channel's votes."
    )
