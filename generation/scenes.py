"""What one scene of a draft is written from: its beat, the people and place in it, and a
short recap of the scene before (Dramatron's scene step sees no more than that).

``scene_task`` builds the WritingTask /draft sends for one beat. Its size does not grow
with the board: the beat, the next beat's one line, the place, the sheets of the
characters the beat names and a recap of a few dozen words, whatever the scene's number.
Pure functions on plain data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core import fountain
from core.models import Beat, Bible, Character, Location
from generation.base import WritingTask

RECAP_WORDS = 60
"""At most this many words of the scene before reach a scene's prompt."""

_OUTSIDE = re.compile(
    r"\b(street|road|roof|rooftop|field|beach|forest|woods|park|yard|garden|dock|docks|pier|"
    r"quay|harbour|harbor|square|bridge|alley|lot|desert|shore|cliff|cliffs|hill|mountain|"
    r"lake|river|platform|cemetery|graveyard|camp|outside|ridge|crater|highway|moor|"
    r"headland|coast|gallery|deck|porch|courtyard|causeway|jetty|strand|outdoors)\b",
    re.IGNORECASE,
)


def names_of(c: Character, cast: Sequence[Character]) -> list[str]:
    """The ways a text may name a character: full name, aliases, and a first or last name
    no one else in the cast shares; longest first."""
    found = [c.name, *(a.strip() for a in c.aliases.split(",") if a.strip())]
    for part in c.name.split():
        if len(part) > 2 and sum(part.lower() in o.name.lower().split() for o in cast) == 1:
            found.append(part)
    return sorted(set(found), key=len, reverse=True)


def cast_of(bible: Bible, text: str) -> tuple[Character, ...]:
    """The characters ``text`` names, in the order it first names them."""
    at: list[tuple[int, int, Character]] = []
    for i, c in enumerate(bible.characters):
        spots = [
            m.start()
            for name in names_of(c, bible.characters)
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
        ]
        if spots:
            at.append((min(spots), i, c))
    return tuple(c for _, _, c in sorted(at, key=lambda t: (t[0], t[1])))


def place_of(bible: Bible, beat: Beat) -> Location | None:
    """Where a beat happens: its location, else a location its text names."""
    if beat.location_id is not None:
        found = next((loc for loc in bible.locations if loc.id == beat.location_id), None)
        if found is not None:
            return found
    for loc in sorted(bible.locations, key=lambda x: -len(x.name)):
        if re.search(rf"(?<!\w){re.escape(loc.name)}(?!\w)", beat.text, re.IGNORECASE):
            return loc
    return None


def is_outside(location: Location) -> bool:
    """Whether a place reads as an exterior (EXT.) from its name, else its description."""
    return bool(_OUTSIDE.search(location.name) or _OUTSIDE.search(location.description[:80]))


def recap(beat: str, scene: str, words: int = RECAP_WORDS) -> str:
    """A scene in a few dozen words: its beat, who speaks, and how it ends."""
    who = fountain.speakers(scene)
    last = next(
        ((cue, line) for cue, line in reversed(_speeches(scene)) if line.strip()),
        None,
    )
    parts = [beat.strip()]
    if who:
        parts.append(f"Speaking: {', '.join(w.title() for w in who[:6])}.")
    if last is not None:
        parts.append(f"It ends with {last[0].title()}: “{last[1]}”")
    text = " ".join(parts)
    flat = text.split()
    return text if len(flat) <= words else " ".join(flat[:words]) + "…"


def _speeches(scene: str) -> list[tuple[str, str]]:
    """(cue name, the speech) for each speech of a Fountain scene, in order."""
    out: list[tuple[str, str]] = []
    cue = None
    for el in fountain.parse(scene):
        if el.kind == "character":
            cue = fountain.cue_name(el.text) or el.text
            out.append((cue, ""))
        elif el.kind == "dialogue" and cue is not None and out:
            name, said = out[-1]
            out[-1] = (name, f"{said} {el.text}".strip())
        elif el.kind != "parenthetical":
            cue = None
    return out


def scene_task(
    bible: Bible,
    beats: Sequence[Beat],
    number: int,
    previous: str,
    seed: int,
) -> WritingTask:
    """The task for the scene of beat ``number`` (1-based, board order) of ``beats``.

    The task's bible carries no saved scenes (the prompt never sees the script so far),
    only ``previous``: the recap of the scene before."""
    beat = beats[number - 1]
    place = place_of(bible, beat)
    following = beats[number] if number < len(beats) else None
    params = {
        "beat": beat.text,
        "number": number,
        "total": len(beats),
        "act": beat.act,
        "location_id": place.id if place is not None else None,
        "location": place.name if place is not None else "",
        "previous": previous,
        "next_beat": following.text if following is not None else "",
    }
    lean = Bible(story=bible.story, characters=bible.characters, locations=bible.locations)
    return WritingTask("scene", lean, seed, params, focus=cast_of(bible, beat.text))
