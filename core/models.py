"""The story bible as plain data, and the rules that change it.

These dataclasses are what storage returns and what commands and engines read. The
functions at the bottom are state changes on plain data, testable without a database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from core.text import clean_name, clean_text, name_key

StoryKey = tuple[str, str, str]

STORY_FIELDS = ("title", "logline", "genre", "tone", "setting", "style", "synopsis")
"""Story fields a writer may set with /story set."""

STORY_FIELD_CHARS = {"title": 200, "genre": 200, "tone": 200}
"""The short story fields' most characters, typed or in a form (which must be able to show
what was saved); the long ones take what a line holds, and a form keeps what it cannot
show."""

CHARACTER_FIELDS = (
    "pronouns",
    "age",
    "role",
    "one_line",
    "appearance",
    "personality",
    "want",
    "need",
    "flaw",
    "backstory",
    "arc",
    "voice",
    "sample_line",
    "relationships",
    "aliases",
)
"""Sheet fields besides the name, in the order a sheet is shown."""

FIELD_LABELS = {
    "one_line": "One-line",
    "sample_line": "Sample line",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    key: StoryKey
    title: str = "Untitled"
    logline: str = ""
    genre: str = ""
    tone: str = ""
    setting: str = ""
    style: str = ""
    synopsis: str = ""
    status: Literal["active", "archived"] = "active"
    created_by: str = ""
    created_at: float = 0.0


@dataclass(frozen=True, slots=True)
class Character:
    """A character sheet. ``aliases`` is comma-separated other names the room uses."""

    name: str
    id: int = 0
    story_id: int = 0
    pronouns: str = ""
    age: str = ""
    role: str = ""
    one_line: str = ""
    appearance: str = ""
    personality: str = ""
    want: str = ""
    need: str = ""
    flaw: str = ""
    backstory: str = ""
    arc: str = ""
    voice: str = ""
    sample_line: str = ""
    relationships: str = ""
    aliases: str = ""
    image_seed: int | None = None
    reference_image: str | None = None

    @property
    def key(self) -> str:
        return name_key(self.name)

    def alias_keys(self) -> list[str]:
        return [name_key(a) for a in self.aliases.split(",") if a.strip()]

    def sheet(self) -> dict[str, str]:
        """The filled-in sheet fields, in display order."""
        return {f: getattr(self, f) for f in CHARACTER_FIELDS if getattr(self, f)}


LOCATION_FIELDS = ("description", "look", "sound")
"""What a location's entry holds besides its name: a one-line description, how it looks
(image prompts may use it) and how it sounds."""


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    id: int = 0
    story_id: int = 0
    description: str = ""
    look: str = ""
    sound: str = ""


@dataclass(frozen=True, slots=True)
class Beat:
    """A beat on the board: its act, its place within the act (from 1), what happens, and
    where (a location's id, or None). core.board numbers beats across the whole board."""

    act: int
    position: int
    text: str
    id: int = 0
    story_id: int = 0
    location_id: int | None = None


SceneSource = Literal["room", "draft"]
"""Who last wrote a saved scene: the room (saved or edited by hand) or /draft."""


@dataclass(frozen=True, slots=True)
class Scene:
    """A saved scene. ``beat_id``: the beat it was written for (the script follows the
    board, core.board.script); ``position`` orders scenes of one beat; ``source`` says
    whether /draft may write over it ("draft") or the room made it its own ("room")."""

    title: str
    text: str
    kind: str = "dialogue"
    id: int = 0
    story_id: int = 0
    created_at: float = 0.0
    beat_id: int | None = None
    position: int = 0
    source: SceneSource = "room"


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    id: int = 0
    story_id: int = 0
    created_at: float = 0.0


Entity = Literal["story", "character", "location", "beat", "scene", "note"]
RevisionAction = Literal["create", "update", "delete", "undo"]


@dataclass(frozen=True, slots=True)
class Revision:
    """One change to the bible, append-only. ``before``/``after`` are full snapshots."""

    id: int
    story_id: int
    entity: Entity
    entity_id: int
    action: RevisionAction
    actor_id: str
    actor_name: str
    at: float
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    undone_by: int | None = None
    undoes: int | None = None


@dataclass(frozen=True, slots=True)
class Bible:
    """Everything one story holds, for prompts and engines."""

    story: Story
    characters: tuple[Character, ...] = ()
    locations: tuple[Location, ...] = ()
    beats: tuple[Beat, ...] = ()
    scenes: tuple[Scene, ...] = ()
    notes: tuple[Note, ...] = ()

    def character(self, name: str) -> Character | None:
        return find_character(self.characters, name)

    def location(self, name: str) -> Location | None:
        return find_location(self.locations, name)


@dataclass(frozen=True, slots=True)
class Conversation:
    """A reply's thread: the artifact it is about and how it was made."""

    id: int
    place: tuple[str, str, str, str]  # platform, workspace, channel, thread
    story_id: int
    kind: str  # "synopsis" | "dialogue" | "character" | ...
    artifact: str
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    conversation_id: int
    role: Literal["user", "bot"]
    author: str
    text: str
    at: float = 0.0
    id: int = 0


@dataclass(frozen=True, slots=True)
class Usage:
    engine: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


JobState = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    kind: str
    command: str
    place: tuple[str, str, str, str | None]
    author_id: str
    state: JobState
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    payload: str | None = None
    """The invocation as JSON (bot/recovery.py), so a restart can run or retry the job."""
    owner: str | None = None
    """The process running (or holding) the job; another takes it over only once this
    one's lease has expired (bot/leases.py)."""
    reply: str | None = None
    """The first message the job posted (a MessageHandle as JSON), so a takeover can edit
    it rather than leave a draft that says "Writing…" forever."""


# --- rules: state changes on plain data -------------------------------------------------


def find_character(
    characters: tuple[Character, ...] | list[Character], name: str
) -> Character | None:
    """Find by name or alias; case, spacing and Unicode form do not matter."""
    key = name_key(name)
    if not key:
        return None
    for c in characters:
        if c.key == key:
            return c
    for c in characters:
        if key in c.alias_keys():
            return c
    return by_one_name(characters, key)


def by_one_name(characters: tuple[Character, ...] | list[Character], key: str) -> Character | None:
    """ "Mara" finds "Mara Quell" when she is the only character with that first or last name."""
    if " " in key:
        return None
    found = [c for c in characters if key in c.key.split(" ")]
    return found[0] if len(found) == 1 else None


def new_character(name: str, **sheet: str) -> Character:
    """A character from a typed name and any sheet fields; unknown fields are refused."""
    unknown = set(sheet) - set(CHARACTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown character fields: {', '.join(sorted(unknown))}")
    clean = clean_name(name)
    if not clean:
        raise ValueError("a character needs a name")
    fields: dict[str, Any] = {k: clean_text(v) for k, v in sheet.items()}
    return Character(name=clean, **fields)


def edit_character(character: Character, field_name: str, value: str) -> Character:
    """Set one sheet field (or the name). Returns a new Character."""
    return _edited(character, field_name, value, CHARACTER_FIELDS, "character")


E = TypeVar("E", Character, Location)


def _edited(entry: E, field_name: str, value: str, fields: tuple[str, ...], what: str) -> E:
    """``entry`` with its name (cleaned as a name, never empty) or one of ``fields`` set."""
    if field_name == "name":
        clean = clean_name(value)
        if not clean:
            raise ValueError(f"a {what} needs a name")
        return dataclasses.replace(entry, name=clean)
    if field_name not in fields:
        raise ValueError(f"unknown {what} field: {field_name}")
    change: dict[str, Any] = {field_name: clean_text(value)}
    return dataclasses.replace(entry, **change)


def new_location(name: str, description: str = "", look: str = "", sound: str = "") -> Location:
    """A location from a typed name and its fields, cleaned; a name is required."""
    clean = clean_name(name)
    if not clean:
        raise ValueError("a location needs a name")
    return Location(
        name=clean,
        description=clean_text(description),
        look=clean_text(look),
        sound=clean_text(sound),
    )


def edit_location(location: Location, field_name: str, value: str) -> Location:
    """Set the name or one of LOCATION_FIELDS. Returns a new Location."""
    return _edited(location, field_name, value, LOCATION_FIELDS, "location")


def find_location(locations: tuple[Location, ...] | list[Location], name: str) -> Location | None:
    """By name, ignoring case, spacing, Unicode form and a leading "the"."""
    key = _place_key(name)
    if not key:
        return None
    return next((loc for loc in locations if _place_key(loc.name) == key), None)


def _place_key(name: str) -> str:
    key = name_key(name)
    return key[4:] if key.startswith("the ") else key


def edit_story(story: Story, field_name: str, value: str) -> Story:
    if field_name not in STORY_FIELDS:
        raise ValueError(f"unknown story field: {field_name}")
    value = clean_name(value) if field_name == "title" else clean_text(value)
    if field_name == "title" and not value:
        value = "Untitled"
    change: dict[str, Any] = {field_name: value}
    return dataclasses.replace(story, **change)


def to_dict(obj: Any) -> dict[str, Any]:
    """A snapshot for revisions (JSON-safe)."""
    data = dataclasses.asdict(obj)
    if "key" in data and isinstance(data["key"], tuple):
        data["key"] = list(data["key"])
    return data
