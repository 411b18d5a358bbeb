"""The limits know an image job by its spec's kind, never by a command's name or words."""

from __future__ import annotations

import dataclasses

from bot.app import App
from bot.limits import Limits
from core.types import ACTION, ActionArgs, Args, Author, Invocation, NoArgs, Place

PLACE = Place("terminal", "local", "room")
DANA = Author("u1", "Dana")


def ask(command: str, args: Args | None = None) -> Invocation:
    return Invocation(command, None, args or NoArgs(), "", PLACE, DANA)


async def test_image_jobs_are_counted_by_their_kind_and_image_buttons(app: App) -> None:
    limits = Limits(dataclasses.replace(app.settings, image_jobs_per_user=1), app.store)
    first = ask("sketch")
    assert await limits.check(first, "image") is None  # holds the one place
    refused = await limits.check(ask("sketch"), "image")
    assert refused is not None and "already have 1 image job" in refused
    # Not image jobs, whatever they are called: the spec's kind decides.
    assert await limits.check(ask("portrait"), "text") is None
    assert await limits.check(ask("portrait"), "quick") is None
    # A button on an image makes one; a button on a draft does not.
    vary = ask(ACTION, ActionArgs("variations", "img.3"))
    assert await limits.check(vary, "text") is not None
    assert await limits.check(ask(ACTION, ActionArgs("regenerate", "12")), "text") is None
    limits.started(first, None)  # never queued: its place is free again
    assert await limits.check(ask("sketch"), "image") is None
