"""Forms instead of long commands: what a form holds, and how a submission is saved.

``/character edit <name>`` with no field opens the character's sheet as a form, every
field filled in; ``/story set <field>`` with no text opens that field as a long-text form
(the synopsis, most often). The platform shows a ``Form`` its own way (a Slack modal;
Discord modals hold five inputs, so ``Form.groups`` splits the fields) and carries
``Form.ref()`` (small, plain JSON) through the platform until the form comes back; then
``submit`` checks the values and saves them as ONE revision.

Nothing here knows a platform. What makes a submission safe:

- only the fields the writer changed in the form are written (``ref`` keeps a
  fingerprint of each value as opened), so an edit someone else made meanwhile to another
  field stays; a field whose value is already what was submitted writes nothing, so a form
  submitted twice saves once;
- a character deleted, or a story replaced by /story new, after the form opened is said
  plainly (``FormGone``), and nothing is written;
- values that do not fit (too long, an empty name, a name another character has) come
  back as ``FormInvalid`` with a message per field, for the form to show next to them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from commands.character import EditArgs
from commands.story import SetArgs
from core.errors import CommandError, Conflict, NotFound
from core.models import (
    CHARACTER_FIELDS,
    STORY_FIELD_CHARS,
    STORY_FIELDS,
    Character,
    StoryKey,
    edit_character,
    edit_story,
    field_label,
)
from core.text import clean_name, clean_text
from core.types import Args, Author
from storage.api import Store

FormKind = Literal["character", "story"]
NAME_CHARS = 80
FIELD_CHARS = 4000
LONG_STORY_FIELDS = frozenset({"logline", "setting", "style", "synopsis"})
LONG_CHARACTER_FIELDS = frozenset(
    {"appearance", "personality", "backstory", "arc", "voice", "relationships", "want", "need"}
)
_PRINT = 10


class FormInvalid(CommandError):
    """Values the form must show again, with a message per field name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field_label(k)}: {v}" for k, v in self.errors.items()))


class FormGone(CommandError):
    """What the form was about is gone (a character removed, a story replaced)."""


@dataclass(frozen=True, slots=True)
class FormRequest:
    """An invocation that asks for a form rather than a value."""

    kind: FormKind
    subject: str
    """The character's name, or the story field."""


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    value: str = ""
    long: bool = False
    """Several lines of text (a synopsis, a backstory) rather than one."""
    max_length: int = FIELD_CHARS
    required: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    kind: FormKind
    title: str
    fields: tuple[FormField, ...]
    story_id: int
    subject: str
    """The character's id, or the story field."""
    about: str
    """The character's name or the story's title, as opened (for messages)."""

    def ref(self) -> dict[str, Any]:
        """What the platform carries with the open form (a few hundred characters)."""
        return {
            "k": self.kind,
            "s": self.story_id,
            "t": self.subject,
            "a": self.about[:NAME_CHARS],
            "o": {f.name: fingerprint(f.value) for f in self.fields},
        }

    def groups(self, size: int = 5) -> list[tuple[FormField, ...]]:
        """The fields in pages of at most ``size`` (Discord modals hold five inputs)."""
        return [self.fields[i : i + size] for i in range(0, len(self.fields), size)]


def fingerprint(value: str) -> str:
    return hashlib.sha256(clean_text(value).encode()).hexdigest()[:_PRINT]


def form_request(path: str, args: Args) -> FormRequest | None:
    """The form an invocation asks for: /character edit <name> without a field, /story
    set <field> without a value; None for anything else."""
    if path == "character edit" and isinstance(args, EditArgs) and not args.field:
        return FormRequest("character", args.name)
    if path == "story set" and isinstance(args, SetArgs) and not args.value:
        return FormRequest("story", args.field)
    return None


async def open_form(store: Store, key: StoryKey, request: FormRequest, actor: Author) -> Form:
    """The form, filled in from the channel's story (a story field's form starts the
    channel's story if it has none, as /story set does); raises NotFound for a character
    the story does not have."""
    if request.kind == "story":
        current = await store.ensure_story(key, actor)
        name = request.subject
        field = FormField(
            name,
            field_label(name),
            str(getattr(current, name, "") or ""),
            long=name in LONG_STORY_FIELDS,
            max_length=STORY_FIELD_CHARS.get(name, FIELD_CHARS),
        )
        title = f"Story · {field_label(name)}"
        return Form("story", title, (field,), current.id, name, current.title)
    story = await store.active_story(key)
    if story is None:
        raise NotFound(
            f"No character named {request.subject} in this channel's story; it has no "
            f"characters yet. Create one with /character new {request.subject}."
        )
    character = await store.find_character(story.id, request.subject)
    if character is None:
        cast = await store.characters(story.id)
        names = ", ".join(c.name for c in cast[:25]) or "no characters yet"
        raise NotFound(
            f"No character named {request.subject} in this channel's story. It has: {names}."
        )
    return Form(
        "character",
        character.name,
        _sheet_fields(character),
        story.id,
        str(character.id),
        character.name,
    )


def _sheet_fields(c: Character) -> tuple[FormField, ...]:
    sheet = c.sheet()
    fields = [FormField("name", "Name", c.name, max_length=NAME_CHARS, required=True)]
    for name in CHARACTER_FIELDS:
        fields.append(
            FormField(
                name, field_label(name), sheet.get(name, ""), long=name in LONG_CHARACTER_FIELDS
            )
        )
    return tuple(fields)


def validate(kind: FormKind, values: Mapping[str, str]) -> dict[str, str]:
    """A message per field whose value does not fit; {} when every one does."""
    errors: dict[str, str] = {}
    for name, raw in values.items():
        value = clean_text(raw)
        limit = field_limit(kind, name)
        if limit is None:
            errors[name] = "This form has no such field."
        elif len(value) > limit:
            errors[name] = f"{len(value):,} characters; at most {limit:,}."
    if kind == "character" and "name" in values and not clean_name(values["name"]):
        errors["name"] = "A character needs a name."
    return errors


def field_limit(kind: FormKind, name: str) -> int | None:
    """The most characters a field takes, in a form or typed (``/story set``)."""
    if kind == "character":
        if name == "name":
            return NAME_CHARS
        return FIELD_CHARS if name in CHARACTER_FIELDS else None
    return STORY_FIELD_CHARS.get(name, FIELD_CHARS) if name in STORY_FIELDS else None


@dataclass(frozen=True, slots=True)
class Saved:
    """What a submission wrote: the fields changed (none: nothing to save)."""

    about: str
    fields: tuple[str, ...]

    def message(self) -> str:
        if not self.fields:
            return f"Nothing changed in **{self.about}**: the form held what was saved already."
        changed = ", ".join(field_label(f) for f in self.fields)
        return f"Saved **{self.about}**: {changed}. One revision; /story undo takes it back."


async def submit(
    store: Store, key: StoryKey, ref: Mapping[str, Any], values: Mapping[str, str], actor: Author
) -> Saved:
    """Check and save a submitted form as one revision. Raises FormInvalid (messages by
    field), FormGone (the character or story is gone), or CommandError (a form this
    channel did not open)."""
    kind = ref.get("k")
    opened = ref.get("o")
    if kind not in ("character", "story") or not isinstance(opened, dict):
        raise CommandError("That form can't be read any more. Open it again.")
    errors = validate(kind, values)
    if errors:
        raise FormInvalid(errors)
    changed = {n: clean_text(v) for n, v in values.items() if fingerprint(v) != opened.get(n)}
    story = await store.active_story(key)
    about = str(ref.get("a") or "")
    if story is None or story.id != ref.get("s"):
        raise FormGone(
            "This channel started another story after the form opened, so nothing was saved. "
            "Open the form again."
        )
    if kind == "story":
        return await _save_story(store, story.id, changed, actor, about)
    return await _save_character(store, story.id, str(ref.get("t")), changed, actor, about)


async def _save_story(
    store: Store, story_id: int, changed: dict[str, str], actor: Author, about: str
) -> Saved:
    written: list[str] = []

    def change(story: Any) -> Any:
        written.clear()
        for name, value in changed.items():
            if getattr(story, name) != value:
                story = edit_story(story, name, value)
                written.append(name)
        return story

    updated = await store.update_story(story_id, change, actor, "set story " + ", ".join(changed))
    return Saved(updated.title or about, tuple(written))


async def _save_character(
    store: Store,
    story_id: int,
    character_id: str,
    changed: dict[str, str],
    actor: Author,
    about: str,
) -> Saved:
    gone = FormGone(f"{about} was removed from the story after the form opened; nothing was saved.")
    current = next((c for c in await store.characters(story_id) if str(c.id) == character_id), None)
    if current is None:
        raise gone
    written: list[str] = []

    def change(c: Character) -> Character:
        written.clear()
        for name, value in changed.items():
            if (c.name if name == "name" else getattr(c, name)) != value:
                c = edit_character(c, name, value)
                written.append(name)
        return c

    summary = f"edited {current.name}: " + ", ".join(changed)
    try:
        updated = await store.update_character(story_id, current.name, change, actor, summary)
    except Conflict as exc:
        raise FormInvalid({"name": exc.message}) from None
    except NotFound:
        raise gone from None
    return Saved(updated.name, tuple(written))
