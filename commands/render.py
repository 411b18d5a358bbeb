"""How bible entries and drafts look in a Reply (platform-neutral markup)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core import board
from core.models import CHARACTER_FIELDS, Beat, Character, Location, Revision, Story, field_label
from core.types import Action, BodyFormat, Reply, ReplyField

OFFLINE_ENGINE = "offline draft engine"


def body_format(kind: str) -> BodyFormat:
    """What a draft of ``kind`` is: a scene ("dialogue", "scene") is Fountain, the rest markup."""
    return "fountain" if kind in ("dialogue", "scene") else "markup"


def footer(engine: str, seed: int | None = None) -> str:
    if engine == OFFLINE_ENGINE:
        label = "Offline draft engine (no model configured)"
    else:
        label = f"Written by {engine}"
    return f"{label} · take {seed}" if seed is not None else label


def draft_actions(
    conversation_id: int, *, can_continue: bool = True, can_save: bool = True
) -> tuple[Action, ...]:
    ref = str(conversation_id)
    actions = [Action("regenerate", "Regenerate", ref)]
    if can_continue:
        actions.append(Action("continue", "Continue", ref))
    if can_save:
        actions.append(Action("save", "Save to bible", ref))
    return tuple(actions)


def sheet_text(c: Character) -> str:
    """A sheet as plain text: the artifact of a character thread."""
    return "\n".join([c.name, *(f"{field_label(k)}: {v}" for k, v in c.sheet().items())])


def character_fields(sheet: dict[str, str]) -> tuple[ReplyField, ...]:
    short = {"pronouns", "age", "role"}
    return tuple(
        ReplyField(field_label(f), sheet[f], inline=f in short)
        for f in CHARACTER_FIELDS
        if sheet.get(f)
    )


def character_reply(c: Character, *, footer_text: str | None = None, body: str = "") -> Reply:
    return Reply(
        title=c.name,
        body=body or (f"_{c.one_line}_" if c.one_line else ""),
        fields=character_fields(c.sheet()),
        footer=footer_text,
    )


def story_reply(story: Story, counts: dict[str, int]) -> Reply:
    rows = [
        ReplyField("Logline", story.logline or "—"),
        ReplyField("Genre", story.genre or "—", inline=True),
        ReplyField("Tone", story.tone or "—", inline=True),
    ]
    if story.setting:
        rows.append(ReplyField("Setting", story.setting))
    if story.style:
        rows.append(ReplyField("Style", story.style))
    if story.synopsis:
        rows.append(ReplyField("Synopsis", story.synopsis))
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    return Reply(title=story.title, body=summary, fields=tuple(rows))


def revision_line(r: Revision) -> str:
    when = dt.datetime.fromtimestamp(r.at, tz=dt.UTC).strftime("%Y-%m-%d %H:%M")
    return f"#{r.id} {when} **{r.actor_name or r.actor_id}**: {r.summary}"


def short(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1].rstrip() + "…"


def beat_line(number: int, beat: Beat, locations: Sequence[Location] = ()) -> str:
    """ "4. Mara hides the letter. _(Lamp Room)_": a beat by its board number."""
    where = next((loc.name for loc in locations if loc.id == beat.location_id), None)
    return f"{number}. {beat.text}" + (f" _({where})_" if where else "")


def board_text(beats: Sequence[Beat], locations: Sequence[Location] = ()) -> str:
    """The board as a list per act, beats numbered across the whole board."""
    lines: list[str] = []
    act = None
    for n, beat in enumerate(board.board(beats), 1):
        if beat.act != act:
            if lines:
                lines.append("")
            lines.append(f"**Act {beat.act}**")
            act = beat.act
        lines.append(beat_line(n, beat, locations))
    return "\n".join(lines)


EMPTY_BOARD = (
    "The board is empty. Add a beat with `/outline add 1 <what happens>`, or write an "
    "outline with `/outline` and say **save** in its thread."
)


def board_reply(
    story: Story, beats: Sequence[Beat], locations: Sequence[Location], note: str = ""
) -> Reply:
    """The board after a change (``note`` says what changed), or as /outline show gives it."""
    body = board_text(beats, locations) if beats else EMPTY_BOARD
    return Reply(
        title=f"Board · {story.title}",
        body=f"{note}\n\n{body}" if note else body,
        tone="info",
    )
