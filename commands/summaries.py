"""What every /summarize leaf shares: where its summary goes, and the cast's names that
tell the story's characters from the people in the room."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.context import Context
from bot.params import internal
from core.types import Args

Delivery = Literal["thread", "private"]


@dataclass(frozen=True, slots=True)
class DeliveredArgs(Args):
    delivery: Delivery = internal("thread")
    """Where the digest goes: the Slack shortcut lets its user choose "private"."""

    @property
    def private(self) -> bool:
        return self.delivery == "private"


async def cast_names(ctx: Context) -> list[str]:
    """The names (and aliases) of the channel's story's characters, so a digest tells
    characters from the people in the room; none when the channel has no story yet."""
    story = await ctx.store.active_story(ctx.place.story_key)
    if story is None:
        return []
    names: list[str] = []
    for c in await ctx.store.characters(story.id):
        names.append(c.name)
        names.extend(a.strip() for a in c.aliases.split(",") if a.strip())
    return names
