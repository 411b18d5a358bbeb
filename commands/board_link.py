"""/outline board: a private link to this channel's board on the web, and revoking them.

``/outline board`` answers only the person who asked (an ephemeral message on Slack and
Discord) with ``WRITERSROOM_PUBLIC_URL/board/<token>``: a signed token (core/links.py)
naming this channel's story key and that person, working for WRITERSROOM_WEB_LINK_HOURS.
Whatever the page changes is recorded under that person, as if they had typed it.
``/outline board revoke`` ends every link of the channel (a link pasted in a public
channel by mistake, say), on every process: it raises the channel's link generation in
the database, which every request of the page checks again (``open_link``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Literal

from bot.context import Context
from bot.params import param
from bot.settings import Settings
from core import links
from core.errors import CommandError
from core.links import BoardLink, LinkRefused
from core.types import Args, Author, Reply
from storage.api import Store

BOARD_PATH = "/board/"
"""Where a link's page lives under WRITERSROOM_PUBLIC_URL (bot/adapters/web serves it)."""

NOT_SERVED = (
    "The web board is not set up here: whoever runs the bot sets WRITERSROOM_PUBLIC_URL "
    "and serves the page (Slack's HTTP mode does; otherwise `python -m bot web`)."
)


@dataclass(frozen=True, slots=True)
class BoardArgs(Args):
    action: Literal["link", "revoke"] = param(
        "link: a private link to the board on the web; revoke: end every link", default="link"
    )


async def signing_key(settings: Settings, store: Store) -> bytes:
    """The key links are signed with: WRITERSROOM_WEB_SECRET (hashed, so a passphrase of
    any length will do), else the random key kept in the database for every process."""
    if settings.web_secret:
        return hashlib.sha256(settings.web_secret.encode()).digest()
    return await store.link_key()


async def make_link(
    settings: Settings, store: Store, link: BoardLink, key: bytes | None = None
) -> str:
    """The page's address for ``link`` (signed with ``key``, or the signing key)."""
    if not settings.public_url:
        raise CommandError(NOT_SERVED)
    token = links.sign(link, key or await signing_key(settings, store))
    return settings.public_url + BOARD_PATH + token


async def open_link(token: str, key: bytes, store: Store, now: float | None = None) -> BoardLink:
    """What ``token`` opens, checked in full: signed with ``key``, not expired, and of
    the channel's current generation. Raises LinkRefused ("tampered", "expired",
    "revoked"). The page calls it on every request, reads and writes alike."""
    link = links.read(token, key, time.time() if now is None else now)
    if link.generation != await store.link_generation(link.key):
        raise LinkRefused("revoked")
    return link


async def board(ctx: Context[BoardArgs]) -> None:
    key = ctx.place.story_key
    if ctx.args.action == "revoke":
        await ctx.store.revoke_links(key)
        await ctx.reply(
            Reply.info(
                "Every board link of this channel has stopped working, on open pages too. "
                "Anyone who still needs the board: `/outline board` gives a new link.",
                title="Board links revoked",
            )
        )
        return
    settings = ctx.settings
    story = await ctx.story()
    hours = settings.web_link_hours
    link = BoardLink(
        key,
        Author(ctx.author.id, ctx.author.name),
        time.time() + hours * 3600,
        await ctx.store.link_generation(key),
    )
    url = await make_link(settings, ctx.store, link)
    await ctx.reply(
        Reply(
            title=f"Board · {story.title}",
            body=(
                f"Your link to this channel's board, for you alone (it works for {hours} "
                f"hours; what you change there is recorded under your name):\n{url}\n\n"
                "Posted somewhere by mistake? `/outline board revoke` ends every link of "
                "this channel."
            ),
            tone="info",
            private=True,
        )
    )
