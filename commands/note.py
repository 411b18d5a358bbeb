"""/story note: keep a piece of text in the bible, as a note or, when it is Fountain, a scene.

Typed (``/story note Mara never learned to swim``) or from a platform's message menu
("Save to bible" on Discord), which passes the message's author and link as ``source`` so
the note says where it came from. ``core.fountain.is_scene`` decides what the text is: a
scene heading or a character cue with dialogue, in clean Fountain, is saved as a scene
(titled by its first heading); anything else is a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.params import internal, param
from bot.registry import CommandSpec
from commands.render import short
from core import fountain
from core.errors import UsageError
from core.models import Scene
from core.types import Args, Reply

TITLE_MAX = 200


@dataclass(frozen=True, slots=True)
class NoteArgs(Args):
    text: str = param("The note (a Fountain scene is saved as a scene)", text=True)
    source: str = internal("")
    """Where the text came from ("Dana's message: <link>"), set by a message menu."""


async def add_note(ctx: Context[NoteArgs]) -> None:
    text = ctx.args.text.strip()
    if not text:
        raise UsageError(
            "There is no text to save: give the note after the command.", "/story note <text>"
        )
    story = await ctx.story()
    if fountain.is_scene(text):
        heading = next((e.text for e in fountain.parse(text) if e.kind == "heading"), "Scene")
        scene = await ctx.store.add_scene(
            story.id, Scene(title=heading[:TITLE_MAX], text=text), ctx.author
        )
        await ctx.reply(
            Reply.info(
                f"Saved the scene **{scene.title}** to the bible. /scene list shows the "
                "script; /story undo takes it back."
            )
        )
        return
    source = ctx.args.source.strip()
    await ctx.store.add_note(story.id, f"{text} (from {source})" if source else text, ctx.author)
    await ctx.reply(
        Reply.info(f"Saved a note to the bible: “{short(text, 120)}” (/story undo takes it back).")
    )


NOTE = CommandSpec(
    "note",
    "Save a note to the bible (a Fountain scene is saved as a scene).",
    handler=add_note,
    args=NoteArgs,
    examples=("/story note Mara never learned to swim.",),
)
