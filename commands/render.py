"""How bible entries and drafts look in a Reply (platform-neutral markup)."""

from __future__ import annotations

import datetime as dt

from core.models import CHARACTER_FIELDS, Character, Revision, Story, field_label
from core.types import Action, BodyFormat, Reply, ReplyField

OFFLINE_ENGINE = "offline draft engine"


def body_format(kind: str) -> BodyFormat:
    """What a draft of ``kind`` is: a scene ("dialogue") is Fountain, the rest markup."""
    return "fountain" if kind == "dialogue" else "markup"


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
