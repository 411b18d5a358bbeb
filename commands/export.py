"""/story export: the story in Fountain, Final Draft (.fdx), Markdown or JSON.

The file is attached to the reply (Slack and Discord upload it from memory). A platform
that cannot upload (the terminal) gets it written under the data directory, and the
reply names the path.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec
from core.models import Bible
from core.types import Args, FileRef, Reply
from generation.export import Format, export

HISTORY_LIMIT = 100_000
_LABELS = {
    "fountain": "Fountain screenplay",
    "fdx": "Final Draft script (.fdx)",
    "markdown": "Markdown story bible",
    "json": "JSON (everything, with history)",
}


@dataclass(frozen=True, slots=True)
class ExportArgs(Args):
    format: Format = param("Which format", default="fountain")


async def export_story(ctx: Context[ExportArgs]) -> None:
    fmt = ctx.args.format
    story = await ctx.story()
    bible = await ctx.store.bible(story.id)
    revisions = list(reversed(await ctx.store.history(story.id, limit=HISTORY_LIMIT)))
    made = export(bible, fmt, revisions, dt.datetime.now(dt.UTC).date().isoformat())
    summary = describe(bible, fmt)
    title = f"Export · {story.title}"
    if ctx.inv.capabilities.upload_files:
        await ctx.reply(
            Reply(
                title=title,
                body=f"{_LABELS[fmt]}: {summary}",
                files=(FileRef(made.filename, made.content, f"{story.title} ({fmt})", made.mime),),
            )
        )
        return
    path = export_path(ctx.settings.data_dir, ctx.place.story_key, made.filename)
    await asyncio.to_thread(_write, path, made.content)
    await ctx.reply(Reply(title=title, body=f"{_LABELS[fmt]}: {summary}\nWritten to `{path}`"))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def describe(bible: Bible, fmt: str) -> str:
    """What the file holds, in words."""
    n = len(bible.scenes)
    scenes = f"{n} saved scene{'s' if n != 1 else ''}"
    if fmt in ("fountain", "fdx"):
        return scenes + ("" if n else " (save a /dialogue scene to fill the script)")
    parts = [
        f"{len(bible.characters)} characters",
        f"{len(bible.locations)} locations",
        f"{len(bible.beats)} beats",
        scenes,
        f"{len(bible.notes)} notes",
    ]
    return ", ".join(parts)


def export_path(data_dir: Path, key: tuple[str, str, str], filename: str) -> Path:
    """data/exports/<platform>-<workspace>-<channel>/<file>, in safe characters."""
    folder = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(key)).strip("._") or "channel"
    return Path(data_dir) / "exports" / folder / filename


EXPORT = CommandSpec(
    "export",
    "Export the story: fountain, fdx (Final Draft), markdown or json (all data).",
    handler=export_story,
    args=ExportArgs,
    examples=("/story export fountain", "/story export json"),
)
