"""Questions about the story, answered from this channel's bible alone, offline.

"What's Mara's flaw?" reads Mara's sheet; "what's the logline?" the story; "where does act
two end?" the board; anything else ("who knows about the tape?") is looked for in every
text the bible holds (sheets, beats, locations, scenes, notes, the synopsis), and the best
passages are quoted with where they come from. A question the bible cannot answer says
so, and which command would put the answer there. Nothing is made up: every answer is a
quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.board import script
from core.fountain import speakers
from core.models import CHARACTER_FIELDS, STORY_FIELDS, Bible, Character, field_label
from core.text import name_key
from generation.textkit import STOPWORDS, stem, words

FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "want": ("want", "wants", "goal", "goals", "desire", "after"),
    "need": ("need", "needs"),
    "flaw": ("flaw", "flaws", "weakness", "weaknesses", "fault"),
    "age": ("age", "old"),
    "role": ("role", "part"),
    "one_line": ("job", "who is", "occupation"),
    "appearance": ("look", "looks", "appearance", "wear", "wears", "dress"),
    "personality": ("personality", "like", "temperament", "nature"),
    "backstory": ("backstory", "past", "history", "grew up", "background"),
    "arc": ("arc", "change", "journey"),
    "voice": ("voice", "talk", "speak", "sound"),
    "sample_line": ("sample line", "line", "catchphrase"),
    "relationships": ("relationship", "relationships", "related", "friends", "enemies"),
    "pronouns": ("pronoun", "pronouns"),
    "aliases": ("alias", "aliases", "nickname", "nicknames", "called"),
}
STORY_WORDS: dict[str, tuple[str, ...]] = {
    "logline": ("logline",),
    "genre": ("genre",),
    "tone": ("tone",),
    "setting": ("setting", "set in", "where is it set"),
    "style": ("style",),
    "synopsis": ("synopsis",),
    "title": ("title", "called the story", "story called"),
}
_ORDINALS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
_QUESTION = frozenset(
    [
        "what",
        "whats",
        "who",
        "whos",
        "where",
        "when",
        "why",
        "how",
        "which",
        "does",
        "do",
        "is",
        "are",
        "did",
        "has",
        "have",
        "again",
        "tell",
        "me",
        "about",
        "know",
        "knows",
    ]
)


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    source: str
    """Where it is in the bible: "Mara Quell's flaw", "beat 4", "note #2"."""


@dataclass(frozen=True, slots=True)
class BibleAnswer:
    quotes: tuple[Quote, ...]
    lead: str = ""
    """One sentence before the quotes ("Mara Quell's flaw:")."""
    missing: str = ""
    """When nothing answers: what is missing, and the command that would record it."""

    @property
    def found(self) -> bool:
        return bool(self.quotes)


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None


def _character_in(question: str, bible: Bible) -> Character | None:
    low = question.lower()
    best: tuple[int, Character] | None = None
    for c in bible.characters:
        forms = {c.name, c.name.split()[0], *(a.strip() for a in c.aliases.split(",") if a.strip())}
        for form in forms:
            m = re.search(rf"\b{re.escape(form.lower())}(?:'s|’s)?\b", low)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), c)
    return best[1] if best else None


def _field_in(question: str, table: dict[str, tuple[str, ...]]) -> str | None:
    low = question.lower()
    for field, phrases in table.items():
        if any(_has(low, p) for p in phrases):
            return field
    return None


def _act_in(question: str) -> int | None:
    m = re.search(
        r"\bact\s+(\d+|one|two|three|four|five)\b|\b(first|second|third|fourth|fifth)\s+act\b",
        question.lower(),
    )
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return int(word) if word.isdigit() else _ORDINALS[word]


_COUNTED = re.compile(
    r"\bhow\s+many\s+(beats|acts|characters|people|scenes|locations|places|notes)\b", re.I
)


def _count(question: str, bible: Bible) -> BibleAnswer | None:
    """ "How many beats are there?": the count, and what is counted, from the bible."""
    m = _COUNTED.search(question)
    if m is None:
        return None
    what = m.group(1).lower()
    if what in ("beats", "acts"):
        acts = sorted({b.act for b in bible.beats})
        if not acts:
            return BibleAnswer((), missing="The board has no beats yet. /outline writes some.")
        per = tuple(
            Quote(f"{sum(b.act == a for b in bible.beats)} beats", f"act {a}") for a in acts
        )
        return BibleAnswer(per, lead=f"{len(bible.beats)} beats in {len(acts)} acts:")
    items: tuple[tuple[str, str], ...]
    if what in ("characters", "people"):
        what = "characters"
        items = tuple((c.name, "the cast") for c in bible.characters)
        hint = "/character new adds one."
    elif what in ("locations", "places"):
        what = "locations"
        items = tuple((loc.name, "the places") for loc in bible.locations)
        hint = "/location new adds one."
    elif what == "scenes":
        items = tuple((sc.title or "untitled", "the script") for sc in bible.scenes)
        hint = "Save a /dialogue scene to start the script."
    else:
        items = tuple((n.text[:200], "a note") for n in bible.notes)
        hint = "/story note adds one."
    if not items:
        return BibleAnswer((), missing=f"The story has no {what} yet. {hint}")
    return BibleAnswer(tuple(Quote(t, where) for t, where in items), lead=f"{len(items)} {what}:")


def _numbered_beat(question: str, bible: Bible) -> BibleAnswer | None:
    """ "What happens in beat 7?": that beat, by its number on the board."""
    m = re.search(r"\bbeat\s*(?:number\s*|#\s*)?(\d+)\b", question, re.IGNORECASE)
    if m is None:
        return None
    number = int(m.group(1))
    if not 1 <= number <= len(bible.beats):
        count = len(bible.beats)
        return BibleAnswer(
            (), missing=f"The board has {count} beat{'s' if count != 1 else ''}; no beat {number}."
        )
    beat = bible.beats[number - 1]
    return BibleAnswer(
        (Quote(beat.text, f"beat {number}, act {beat.act}"),), lead=f"Beat {number}:"
    )


def _numbered_scene(question: str, bible: Bible) -> BibleAnswer | None:
    """ "Who is in scene 3?": who speaks in it; "what is scene 3?": its title. By its
    number in the script (/scene list)."""
    m = re.search(r"\bscene\s*(?:number\s*|#\s*)?(\d+)\b", question, re.IGNORECASE)
    if m is None:
        return None
    number = int(m.group(1))
    ordered = script(bible.beats, bible.scenes)
    if not 1 <= number <= len(ordered):
        count = len(ordered)
        return BibleAnswer(
            (),
            missing=f"The script has {count} scene{'s' if count != 1 else ''}; no scene {number}."
            " /scene list shows them.",
        )
    scene = ordered[number - 1]
    where = f"scene {number}, {scene.title}" if scene.title else f"scene {number}"
    if re.search(r"\bwho\b", question, re.IGNORECASE):
        names = speakers(scene.text)
        said = ", ".join(n.title() for n in names) if names else "nobody speaks in it"
        return BibleAnswer((Quote(said, where),), lead=f"Who speaks in scene {number}:")
    return BibleAnswer((Quote(scene.title or "untitled", where),), lead=f"Scene {number}:")


def answer(question: str, bible: Bible) -> BibleAnswer:
    """The bible's answer to ``question``: quotes with their place, or what is missing."""
    character = _character_in(question, bible)
    field = _field_in(question, FIELD_WORDS)
    if character is not None and field is not None and field in CHARACTER_FIELDS:
        value = str(getattr(character, field) or "").strip()
        label = field_label(field).lower()
        if value:
            return BibleAnswer(
                (Quote(value, f"{character.name}'s {label}"),), lead=f"{character.name}'s {label}:"
            )
        return BibleAnswer(
            (),
            missing=f"{character.name}'s sheet has no {label} yet. "
            f"/character edit {character.name} {field} <text> records it.",
        )
    story_field = _field_in(question, STORY_WORDS) if character is None else None
    if story_field is not None and story_field in STORY_FIELDS:
        value = str(getattr(bible.story, story_field) or "").strip()
        if value:
            return BibleAnswer(
                (Quote(value, f"the story's {story_field}"),), lead=f"The {story_field}:"
            )
        return BibleAnswer(
            (),
            missing=f"The story has no {story_field} yet. "
            f"/story set {story_field} <text> records it.",
        )
    if (counted := _count(question, bible)) is not None:
        return counted
    if (beat := _numbered_beat(question, bible)) is not None:
        return beat
    if (scene := _numbered_scene(question, bible)) is not None:
        return scene
    act = _act_in(question)
    if act is not None:
        beats = [b for b in bible.beats if b.act == act]
        if beats:
            ends = _has(question.lower(), "end") or _has(question.lower(), "ends")
            chosen = beats[-1:] if ends else beats[:1] if _has(question.lower(), "start") else beats
            number = {b.id: n for n, b in enumerate(bible.beats, 1)}
            return BibleAnswer(
                tuple(Quote(b.text, f"beat {number.get(b.id, '?')}, act {act}") for b in chosen),
                lead=f"Act {act}" + (" ends with:" if ends else ":"),
            )
        return BibleAnswer(
            (),
            missing=f"The board has no beats in act {act} yet. /outline add {act} <beat> adds one.",
        )
    return _search(question, bible, character)


def _passages(bible: Bible) -> list[Quote]:
    found: list[Quote] = []
    for c in bible.characters:
        for field in CHARACTER_FIELDS:
            value = str(getattr(c, field) or "").strip()
            if value:
                found.append(Quote(value, f"{c.name}'s {field_label(field).lower()}"))
    numbers = {b.id: n for n, b in enumerate(bible.beats, 1)}
    found += [Quote(b.text, f"beat {numbers[b.id]}") for b in bible.beats]
    for loc in bible.locations:
        for part in (loc.description, getattr(loc, "look", ""), getattr(loc, "sound", "")):
            if part:
                found.append(Quote(part, f"the location {loc.name}"))
    for n, note in enumerate(bible.notes, 1):
        found.append(Quote(note.text, f"note #{n}"))
    for scene in bible.scenes:
        for line in scene.text.splitlines():
            if line.strip():
                found.append(Quote(line.strip(), f"the scene {scene.title}"))
    for field in ("logline", "synopsis"):
        value = str(getattr(bible.story, field) or "")
        found += [
            Quote(s.strip(), f"the story's {field}")
            for s in re.split(r"(?<=[.!?])\s+", value)
            if s.strip()
        ]
    return found


def _search(question: str, bible: Bible, character: Character | None) -> BibleAnswer:
    asked = {stem(w) for w in words(question) if w not in STOPWORDS and w not in _QUESTION}
    if character is not None:
        asked -= {stem(w) for w in words(character.name)}
    scored: list[tuple[int, int, Quote]] = []
    for i, passage in enumerate(_passages(bible)):
        have = {stem(w) for w in words(passage.text)}
        overlap = len(asked & have)
        if character is not None and name_key(character.name) not in name_key(
            passage.source + " " + passage.text
        ):
            overlap -= 1  # a character was named: passages about them first
        if overlap > 0:
            scored.append((overlap, -i, passage))
    if not asked or not scored:
        what = f" about {character.name}" if character else ""
        hint = (
            f"/character edit {character.name} backstory <text> or /story set synopsis <text>"
            if character
            else "/story set synopsis <text>, a note on the board (/outline add), or a sheet"
        )
        return BibleAnswer((), missing=f"The bible doesn't say{what}. {hint} would record it.")
    scored.sort(key=lambda s: (-s[0], -s[1]))
    best = scored[0][0]
    quotes = tuple(q for n, _i, q in scored[:3] if n >= max(1, best - 1))
    return BibleAnswer(quotes, lead="From the bible:")


ANSWER_PROMPT = (
    "You answer a writers' room's question about its own story, from the bible excerpts "
    "below only. Answer in one to three sentences. Put every fact you use in double quotes, "
    'copied exactly from an excerpt. If the excerpts do not answer it, say "The bible '
    "doesn't say.\"\n\nBible excerpts:\n{excerpts}"
)


def excerpts(question: str, bible: Bible, limit: int = 12) -> list[Quote]:
    """The bible entries a question names or shares words with, best first: what a
    model's answer may rely on (and nothing of another channel: this bible only)."""
    character = _character_in(question, bible)
    asked = {stem(w) for w in words(question) if w not in STOPWORDS and w not in _QUESTION}
    scored = []
    for i, passage in enumerate(_passages(bible)):
        about = character is not None and passage.source.startswith(character.name)
        overlap = len(asked & {stem(w) for w in words(passage.text)}) + (2 if about else 0)
        if overlap:
            scored.append((overlap, -i, passage))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    return [q for _n, _i, q in scored[:limit]]


def checked_quotes(text: str, bible: Bible) -> tuple[list[str], list[str]]:
    """The double-quoted passages of a model's answer that are in the bible, and those
    that are not (made up: the caller drops the answer's claims that rest on them)."""
    haystack = " ".join(" ".join(q.text.split()).lower() for q in _passages(bible))
    quoted = re.findall(r"[\"“]([^\"”]{3,})[\"”]", text)
    kept = [q for q in quoted if " ".join(q.split()).lower().strip(" .") in haystack]
    return kept, [q for q in quoted if q not in kept]
