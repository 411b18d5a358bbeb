"""A ``Reply`` as Discord messages: content or embeds, split at Discord's limits.

A reply with a title, fields, a footer or images becomes embeds (character sheets keep
their fields); a bare one becomes plain content. Whatever does not fit one message goes on
to the next page; no text is ever cut off. Limits (https://discord.com/developers/docs):
content 2,000; per embed title 256, description 4,096, 25 fields of name 256 / value 1,024,
footer 2,048; per message 10 embeds and 6,000 characters of embed text, 10 attachments,
5 rows of 5 buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import discord

from bot.adapters.discord.screenplay import fountain_to_markdown
from bot.adapters.feedback import Made
from bot.adapters.split import Splitter, split_text, tail
from core.types import Action, FileRef, ImageRef, Reply, ReplyField

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBEDS_PER_MESSAGE = 10
EMBED_CHARS_PER_MESSAGE = 6000
FILES_PER_MESSAGE = 10
BUTTONS_PER_MESSAGE = 25

COLOURS = {"result": 0x5865F2, "info": 0x99AAB5, "error": 0xED4245}
_MIN_ROOM = 300  # below this much room left in a message, start the next page
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Page:
    """One Discord message: what it says, the files it carries and its buttons."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    images: tuple[ImageRef, ...] = ()
    actions: tuple[Action, ...] = ()
    files: tuple[FileRef, ...] = ()
    """Files (exports) sent from memory, on the first page of a final reply."""
    feedback: Made | None = None
    """What made the reply, on the first page of a generated one: Good / Not good under it."""

    def embed_chars(self) -> int:
        return sum(len(e) for e in self.embeds)


def attachment_name(image: ImageRef) -> str:
    """A filename Discord accepts in ``attachment://`` links."""
    name = _SAFE_NAME.sub("_", image.filename).strip("._") or "image.png"
    return name[:100]


def body_markdown(reply: Reply) -> str:
    """The reply's body in Discord markdown (the neutral markup is already close to it; a
    Fountain scene is laid out as a screenplay)."""
    body = reply.body.strip("\n")
    return fountain_to_markdown(body) if reply.format == "fountain" else body


def render(reply: Reply) -> list[Page]:
    """Every page of a final reply, in order. Buttons go on the first page, with the title."""
    if reply.title or reply.fields or reply.footer or reply.images:
        pages = _embed_pages(reply)
    else:
        pages = _content_pages(reply)
    pages[0].actions = reply.actions[:BUTTONS_PER_MESSAGE]
    _attach_images(pages, reply.images)
    pages[0].files = reply.files[: max(FILES_PER_MESSAGE - len(pages[0].images), 0)]
    return pages


def render_preview(reply: Reply) -> Page:
    """One page for a partial (streaming) state: the newest text when it is long."""
    if reply.title or reply.fields or reply.footer or reply.images:
        budget = DESCRIPTION_MAX - 100
        body = tail(body_markdown(reply), budget)
        preview = Reply(
            body=body, title=reply.title, fields=reply.fields, footer=reply.footer, tone=reply.tone
        )
        page = _embed_pages(preview)[0]
        _attach_images([page], reply.images[:1])  # a preview of an image still being made
    else:
        page = Page(content=tail(_content_text(reply), CONTENT_MAX))
    page.actions = reply.actions[:BUTTONS_PER_MESSAGE]
    return page


def _content_text(reply: Reply) -> str:
    text = body_markdown(reply)
    if reply.tone == "error":
        text = "⚠️ " + text
    return text or "…"


def _content_pages(reply: Reply) -> list[Page]:
    pieces = split_text(_content_text(reply), CONTENT_MAX)
    return [Page(content=piece) for piece in pieces] or [Page(content="…")]  # blank: one page


class _Packer:
    """Fills embeds into messages within the per-message counts and character totals."""

    def __init__(self, colour: int) -> None:
        self.colour = colour
        self.pages: list[Page] = [Page()]

    @property
    def room(self) -> int:
        page = self.pages[-1]
        if len(page.embeds) >= EMBEDS_PER_MESSAGE:
            return 0
        return EMBED_CHARS_PER_MESSAGE - page.embed_chars()

    def new_embed(self, need: int) -> discord.Embed:
        if self.room < max(need, _MIN_ROOM):
            self.pages.append(Page())
        embed = discord.Embed(colour=self.colour)
        self.pages[-1].embeds.append(embed)
        return embed

    @property
    def last(self) -> discord.Embed:
        return self.pages[-1].embeds[-1]


def _embed_pages(reply: Reply) -> list[Page]:
    packer = _Packer(COLOURS.get(reply.tone, COLOURS["result"]))
    body = body_markdown(reply)
    title = reply.title or ""
    if len(title) > TITLE_MAX:
        body = f"**{title}**\n\n{body}"  # the whole title stays readable
        title = title[: TITLE_MAX - 1] + "…"
    embed = packer.new_embed(len(title))
    if title:
        embed.title = title
    splitter = Splitter(body)
    first = True
    while not splitter.done:
        if not first:
            embed = packer.new_embed(_MIN_ROOM)
        first = False
        embed.description = splitter.take(min(DESCRIPTION_MAX, packer.room))
    for f in reply.fields:
        _add_field(packer, f)
    footer = reply.footer or ""
    if len(footer) > FOOTER_MAX:  # too long for a footer: keep all of it, as text
        for piece in split_text(footer, DESCRIPTION_MAX):
            packer.new_embed(len(piece)).description = piece
    elif footer:
        if packer.room < len(footer):
            packer.new_embed(len(footer))
        packer.last.set_footer(text=footer)
    return [p for p in packer.pages if p.embeds]


def _add_field(packer: _Packer, f: ReplyField) -> None:
    label = f.label.strip() or "—"
    if len(label) > FIELD_NAME_MAX:
        label = label[: FIELD_NAME_MAX - 1] + "…"
    values = split_text(f.value, FIELD_VALUE_MAX) or ["—"]
    for i, value in enumerate(values):
        name = label if i == 0 else _continued(label)
        size = len(name) + len(value)
        embed = packer.last
        if len(embed.fields) >= FIELDS_MAX or packer.room < size:
            embed = packer.new_embed(size)
        embed.add_field(name=name, value=value, inline=f.inline and len(values) == 1)


def _continued(label: str) -> str:
    suffix = " (cont.)"
    if len(label) + len(suffix) > FIELD_NAME_MAX:
        label = label[: FIELD_NAME_MAX - len(suffix) - 1] + "…"
    return label + suffix


def _attach_images(pages: list[Page], images: tuple[ImageRef, ...]) -> None:
    """Images ride on the first page (ten at most); the first shows inside its embed."""
    if not images:
        return
    groups = [images[i : i + FILES_PER_MESSAGE] for i in range(0, len(images), FILES_PER_MESSAGE)]
    pages[0].images = groups[0]
    if pages[0].embeds:
        pages[0].embeds[0].set_image(url=f"attachment://{attachment_name(images[0])}")
    for i, group in enumerate(groups[1:], start=1):
        if i < len(pages):
            pages[i].images = group
        else:
            pages.append(Page(images=group))
