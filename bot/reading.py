"""How a plain line in a reply's thread is read: a request to answer, or a follow-up on
the thread's draft.

A draft's thread is worked with its own words ("shorter", "save", "make her older"); a
question, small talk, a "show me", or a new piece of another kind asked for there is
answered as a request instead. A thread with no draft of the bot's (a mention in
someone else's thread) takes requests, except its vocabulary and an image's words.
"""

from __future__ import annotations

from bot.registry import Registry
from bot.router import ANSWERS, route
from bot.routes import ASK, Chat, Understood
from core.models import Conversation
from core.types import Place
from generation import followups
from storage.api import Store

NOT_REVISIONS = (
    "/story set",
    "/story undo",
    "/story check",
    "/story export",
    "/story note",
    "/outline show",
    "/outline add",
    "/outline edit",
    "/outline move",
    "/outline remove",
    "/outline board",
    "/location list",
    "/location new",
    "/scene list",
    "/scene show",
    "/scene remove",
    "/scene move",
    "/character edit",
    "/character develop",
    "/character remove",
)
"""Commands a sentence in a draft's thread runs rather than revising the draft with:
what they do is never a change to the draft ("set the genre to noir", "undo that"), or
they change the bible itself, by the board's numbers and the sheets' names ("move beat
2 to act 3", "set Mara's age to 41" under an outline saved to the board: the board and
the sheet are what the room works on; the reply says what it ran)."""
NEW_PIECES = (
    "/synopsis",
    "/dialogue",
    "/outline generate",
    "/character new",
    "/portrait",
    "/draft",
    "/summarize",
)
"""Commands that write a new piece: a sentence asking for one of another kind than the
thread's draft is a new request, not a revision of it."""
COLLECTING = frozenset({"summary-paste"})
"""Conversations whose thread takes every line as material (a pasted thread): never read
as requests."""


async def reads_thread(
    store: Store, registry: Registry, text: str, place: Place
) -> tuple[bool, Conversation | None]:
    """Whether a line in a thread is a request to answer rather than a follow-up, and
    the thread's conversation (None: no draft of the bot's). A request: in a thread
    with no draft (a mention in someone's thread), unless it is a thread's vocabulary
    ("shorter" said where nothing is to shorten, which the follow-up answers) or the
    thread is an image's; in a draft's thread when it asks rather than revises; never
    in one collecting a paste."""
    thread = (*place.story_key, str(place.thread))
    conversation = await store.conversation_at(thread)
    if conversation is not None and conversation.kind in COLLECTING:
        return False, conversation
    if conversation is None and not _thread_vocabulary(text):
        story = await store.active_story(place.story_key)
        image = story and await store.image_in_thread(story.id, thread[-1])
        if image is None:
            return True, None
    kind = conversation.kind if conversation is not None else None
    story = await store.active_story(place.story_key)
    names = [c.name for c in await store.characters(story.id)] if story else []
    return _asks_rather_than_revises(text, registry, kind, names), conversation


def _thread_vocabulary(text: str) -> bool:
    """Whether a line is the words a reply's thread is worked with (shorter, again,
    save, a numbered option, an image's "variations")."""
    said = followups.read(text)
    return said.intent != "revise" or bool(said.revision or said.option or said.image)


def _asks_rather_than_revises(
    text: str, registry: Registry, kind: str | None, names: list[str]
) -> bool:
    """In a reply's thread, a line is a follow-up on the draft (shorter, save, "make her
    older") unless it is a question, small talk, or asks to be shown something ("tell me
    about Mara"), which no draft is revised by, or asks for a new piece of another kind
    than the thread's draft ("write a synopsis of a heist" under a character sheet):
    those are answered instead. ``kind`` is the thread's draft's (None: no draft);
    ``names``: the story's characters."""
    if _thread_vocabulary(text):
        return False
    found = route(text, registry, names)
    if isinstance(found, Chat):
        return found.kind in ("small_talk", "never")
    if not isinstance(found, Understood):
        return False
    line = found.line
    if line.startswith((ASK, *ANSWERS, *NOT_REVISIONS)):
        return True
    group = line.split(maxsplit=1)[0].lstrip("/")
    return line.startswith(NEW_PIECES) and (group != kind or line.startswith("/character new"))
