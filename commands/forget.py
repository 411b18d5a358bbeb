"""/story forget: delete everything this channel's story holds, after a confirmation.

Without ``confirm`` it only says what would go, with a **Forget everything** button that
works for BUTTON_MINUTES (the press runs ``/story forget confirm``, with the same check of
who may). With it, the store deletes every row of
the channel in one transaction (secure_delete, then a WAL checkpoint so the log no longer
holds the text), and the image files go from the data directory. Only the story's creator
or a channel manager may run it (the spec is ``destructive``; the dispatcher checks).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.context import Context
from bot.params import internal, param
from bot.registry import CommandSpec
from commands.export import export_path
from core.errors import CommandError
from core.types import Action, ActionArgs, Args, Invocation, Reply

log = logging.getLogger(__name__)

Confirm = Literal["confirm"]
CONFIRM: Confirm = "confirm"
BUTTON_MINUTES = 10
"""How long the warning's button works: a warning read later may no longer say what goes."""


@dataclass(frozen=True, slots=True)
class ForgetArgs(Args):
    confirm: Confirm | None = param("Type confirm to delete for good", default=None)
    shown_at: str = internal("")
    """When the warning with the button was shown (the button's ref); "" when typed."""


def confirmed_by_button(inv: Invocation[ActionArgs]) -> Invocation[ForgetArgs]:
    """A press of the warning's button, as the command ``/story forget confirm``."""
    return Invocation(
        "story",
        "forget",
        ForgetArgs(CONFIRM, shown_at=inv.args.ref),
        "/story forget confirm",
        inv.place,
        inv.author,
        inv.capabilities,
    )


async def forget(ctx: Context[ForgetArgs]) -> None:
    key = ctx.place.story_key
    if ctx.args.confirm != CONFIRM:
        await ctx.reply(await _warning(ctx))
        return
    shown_at = ctx.args.shown_at
    if shown_at:
        age = time.time() - int(shown_at) if shown_at.isdigit() else float("inf")
        if not 0 <= age <= BUTTON_MINUTES * 60:
            raise CommandError(
                f"That button has expired (it works for {BUTTON_MINUTES} minutes after the "
                "warning); nothing was deleted. Run /story forget again to see what would go."
            )
    me = ctx.job_id
    if ctx.resources.jobs is not None:  # a draft being written must not bring it back
        await ctx.resources.jobs.stop_channel(key, keep=me)
    gone = await ctx.store.forget_channel(key, keep_job=me)
    exports = export_path(ctx.settings.data_dir, key, "any").parent  # this channel's folder
    files = await asyncio.to_thread(
        remove_files, ctx.settings.data_dir, gone.image_paths, gone.story_ids, exports
    )
    log.info(
        "forgot channel stories=%d revisions=%d conversations=%d images=%d files=%d "
        "jobs=%d usage=%d",
        gone.stories,
        gone.revisions,
        gone.conversations,
        gone.images,
        files,
        gone.jobs,
        gone.usage,
    )
    await ctx.reply(
        Reply.info(
            f"Forgotten. Deleted {gone.stories} stor{'y' if gone.stories == 1 else 'ies'}, "
            f"{gone.characters} character(s), {gone.revisions} revision(s), "
            f"{gone.conversations} conversation(s) with {gone.messages} message(s), "
            f"{files} image file(s), {gone.jobs} job record(s) and {gone.usage} usage record(s). "
            "The database was overwritten where they were, so the text is not recoverable "
            "from the file. Messages already posted in this channel stay where they are.",
            title="Story forgotten",
        )
    )


async def _warning(ctx: Context) -> Reply:
    stories = await ctx.store.stories(ctx.place.story_key)
    counts = {"characters": 0, "locations": 0, "beats": 0, "scenes": 0, "notes": 0}
    for story in stories:
        bible = await ctx.store.bible(story.id)
        for name in counts:
            counts[name] += len(getattr(bible, name))
    archived = sum(1 for s in stories if s.status == "archived")
    what = ", ".join(f"{n} {name}" for name, n in counts.items())
    buttons = ctx.inv.capabilities.buttons
    return Reply(
        title="This deletes everything of this channel's story",
        body=(
            f"**/story forget confirm** permanently deletes, for this channel only: "
            f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'} ({archived} archived) "
            f"with {what}; every revision (no undo afterwards); every reply thread's "
            "conversation and messages; every generated image, files included; job records "
            "and token usage details.\n"
            "It cannot be undone. Run /story export first if you want a copy. "
            + (
                f"To go ahead: press **Forget everything** (within {BUTTON_MINUTES} minutes) "
                "or type `/story forget confirm`."
                if buttons
                else "To go ahead: `/story forget confirm`"
            )
        ),
        tone="error",
        actions=(Action("forget", "Forget everything", str(int(time.time()))),) if buttons else (),
    )


def remove_files(
    data_dir: Path, paths: tuple[str, ...], story_ids: tuple[int, ...], exports: Path | None = None
) -> int:
    """Delete image files (relative to ``data_dir``), the stories' image folders and the
    channel's exports folder; nothing outside ``data_dir`` is touched. Returns how many
    files went."""
    root = data_dir.resolve()
    removed = 0
    for relative in paths:
        target = (root / relative).resolve()
        if target.is_relative_to(root) and target.is_file():
            target.unlink()
            removed += 1
    folders = [root / "images" / str(story_id) for story_id in story_ids]
    if exports is not None:
        folders.append(exports)
    for folder in (f.resolve() for f in folders):
        if folder.is_relative_to(root) and folder != root and folder.is_dir():
            removed += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
    return removed


FORGET = CommandSpec(
    "forget",
    "Delete everything of this channel's story, for good (asks to confirm).",
    handler=forget,
    args=ForgetArgs,
    examples=("/story forget", "/story forget confirm"),
    destructive=True,
)
