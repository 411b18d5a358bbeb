"""The limits know an image job by its spec's kind, never by a command's name or words;
what they hold lives in the database, so every process on it counts the same jobs."""

from __future__ import annotations

import dataclasses
import itertools

from bot.app import App
from bot.limits import Limits, judge
from bot.registry import JobKind
from core.models import JobRecord
from core.types import ACTION, ActionArgs, Args, Author, Invocation, NoArgs, Place
from storage.coordination import Allowance

PLACE = Place("terminal", "local", "room")
DANA = Author("u1", "Dana")
_ids = itertools.count(1)


def ask(command: str, args: Args | None = None) -> Invocation:
    return Invocation(command, None, args or NoArgs(), "", PLACE, DANA)


def record(kind: JobKind) -> JobRecord:
    return JobRecord(f"j{next(_ids)}", kind, "x", (*PLACE.story_key, None), DANA.id, "queued", 1.0)


async def test_image_jobs_are_counted_by_their_kind_and_image_buttons(app: App) -> None:
    limits = Limits(dataclasses.replace(app.settings, image_jobs_per_user=1), app.store)
    refusal, first = await limits.admit(ask("sketch"), "image", record("image"))
    assert refusal is None and await app.store.job(first.id) is not None  # holds the place
    refused, _ = await limits.admit(ask("sketch"), "image", record("image"))
    assert refused is not None and "already have 1 image job" in refused
    # Not image jobs, whatever they are called: the spec's kind decides.
    assert (await limits.admit(ask("portrait"), "text", record("text")))[0] is None
    assert (await limits.admit(ask("portrait"), "quick", record("quick")))[0] is None
    # A button on an image makes one (and is recorded as one); a button on a draft does not.
    vary = ask(ACTION, ActionArgs("variations", "img.3"))
    refused, as_image = await limits.admit(vary, "text", record("text"))
    assert refused is not None and as_image.kind == "image"
    assert (
        await limits.admit(ask(ACTION, ActionArgs("regenerate", "12")), "text", record("text"))
    )[0] is None
    await app.store.set_job_state(first.id, "done")  # finished: its place is free again
    assert (await limits.admit(ask("sketch"), "image", record("image")))[0] is None


def test_the_rule_refuses_over_the_image_cap_before_spending_a_token() -> None:
    full = Allowance(3.0, 0.0)
    assert judge(full, 2, rate=3, image_cap=2, image=True, now=0.0)[0] is None
    assert judge(full, 2, rate=3, image_cap=2, image=False, now=0.0) == (Allowance(2.0, 0.0), None)
    bucket, refusal = judge(None, 0, rate=0, image_cap=0, image=True, now=5.0)
    assert (bucket, refusal) == (None, None)
    empty = Allowance(0.0, 100.0)
    bucket, refusal = judge(empty, 0, rate=6, image_cap=0, image=False, now=105.0)
    assert bucket is None and refusal is not None and "Try again in 5 s" in refusal
