"""Reply buttons that keep working after a restart.

Each button is a ``DynamicItem``: its state lives in its custom id (``wr:<kind>:<ref>``,
at most 100 characters), so any process that registered ``ActionButton`` in its
``setup_hook`` can answer a press on a message sent by an earlier one. Nothing is kept
in memory per message.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Protocol, cast, get_args

import discord

from core.types import Action, ActionKind

if TYPE_CHECKING:
    from typing import Self

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = get_args(ActionKind)
CUSTOM_ID = re.compile(rf"wr:(?P<kind>{'|'.join(KINDS)}):(?P<ref>[A-Za-z0-9_.-]{{1,80}})")
LABEL_MAX = 80
_STYLES = {
    "save": discord.ButtonStyle.success,
    "cancel": discord.ButtonStyle.danger,
    "forget": discord.ButtonStyle.danger,
    "regenerate": discord.ButtonStyle.primary,
}
_DEFAULT_LABELS = {
    "regenerate": "Regenerate",
    "continue": "Continue",
    "save": "Save to bible",
    "variations": "Variations",
    "cancel": "Cancel",
    "retry": "Retry",
    "choose": "Use this option",
}


class ButtonHandler(Protocol):
    async def on_button(self, interaction: discord.Interaction, kind: str, ref: str) -> None: ...


def custom_id(kind: str, ref: str) -> str:
    return f"wr:{kind}:{ref}"


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID):
    """One of a reply's actions (Regenerate, Continue, Save to bible, Variations, Cancel)."""

    def __init__(self, kind: str, ref: str, label: str | None = None) -> None:
        text = (label or _DEFAULT_LABELS.get(kind, kind.title()))[:LABEL_MAX]
        super().__init__(
            discord.ui.Button(
                label=text,
                style=_STYLES.get(kind, discord.ButtonStyle.secondary),
                custom_id=custom_id(kind, ref),
            )
        )
        self.kind = kind
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        label = getattr(item, "label", None)
        return cls(match["kind"], match["ref"], label if isinstance(label, str) else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = getattr(interaction.client, "router", None)
        if handler is None:
            log.warning("button %s pressed on a client without a router", self.custom_id)
            return
        await cast(ButtonHandler, handler).on_button(interaction, self.kind, self.ref)


def action_view(actions: tuple[Action, ...]) -> discord.ui.View | None:
    """A persistent view (no timeout) with one button per action, or None for none."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    for action in actions:
        if not CUSTOM_ID.fullmatch(custom_id(action.kind, action.ref)):
            log.warning("skipping a button with an unusable ref: %s %r", action.kind, action.ref)
            continue
        view.add_item(ActionButton(action.kind, action.ref, action.label))
    return view if view.children else None
