"""Writing a whole scene in Fountain: heading, opening, the exchange or monologue, close.

A scene is a small dramatic machine: someone opens on the situation, the wants of the
speakers are said out loud and collide, the pressure finds a flaw or a need, and the scene
turns and ends on a button (``exchange``). One speaker gets a ``monologue`` instead. The
building blocks (situation, speakers, ``SceneWriter``) are in ``dialogue``.
"""

from __future__ import annotations

import random
import re

from core import fountain
from core.models import Bible, Character, Location
from generation.offline.dialogue import (
    SceneWriter,
    Situation,
    Speaker,
    heading_for,
    read_situation,
    scene_slots,
    scene_speakers,
)
from generation.offline.genres import Genre, story_genres
from generation.offline.grammar import Expander, Lit, finish
from generation.offline.lines import LINES
from generation.offline.text import lower_first, sentences
from generation.offline.voice_render import parenthetical_for, render


def write_scene(
    bible: Bible,
    focus: tuple[Character, ...],
    situation_text: str,
    seed: int,
    place: Location | None = None,
    roam: bool = True,
) -> str:
    """A whole scene: heading, opening action, the exchange, a closing action. ``place``:
    where it happens (a draft's scene has its beat's location), which heads it; ``roam``:
    whether a scene with no place may be set at any of the story's locations."""
    rng = random.Random(f"dialogue:{seed}")
    genres = story_genres(bible)
    cast_names = frozenset(w.lower() for c in (*focus, *bible.characters) for w in c.name.split())
    situation = read_situation(situation_text, cast_names)
    situation = _known_place(situation, genres)
    slots = scene_slots(rng, situation, genres)
    speakers = scene_speakers(bible, focus, rng, genres, str(slots["prize"]), situation_text)
    keep = frozenset(n.lower() for s in speakers for n in s.fig.name.split()) | cast_names
    w = SceneWriter(rng, speakers, slots, keep=keep)
    out: list[str] = []
    if rng.random() < 0.85 or situation.place or place is not None or not roam:
        out.append(heading_for(bible, situation, rng, genres, place, roam))
    a = speakers[0]
    b = speakers[1] if len(speakers) > 1 else None
    out.append(w.action(LINES.opening_action if b else LINES.solo_action, a, b))
    if situation.text:
        out.append(fountain.action(situation_line(situation, rng)))
    out += monologue(w, a) if b is None else exchange(w, speakers)
    out.append(w.action(LINES.closing_action, a, b) if b else w.action(LINES.solo_action[2:], a))
    return "\n\n".join(x for x in out if x)


def _known_place(s: Situation, genres: list[Genre]) -> Situation:
    """A room or outdoor place the genre knows, named in the situation ("the airlock argument")."""
    if s.place or not s.text:
        return s
    low = s.text.lower()
    for g in genres:
        for outside, bank in ((False, g.rooms), (True, g.outside)):
            for room in bank:
                if re.search(rf"\b{re.escape(room)}\b", low):
                    return Situation(s.text, s.topic, room, outside, s.is_sentence)
    return s


def situation_line(s: Situation, rng: random.Random) -> str:
    if s.is_sentence:
        text = s.text[0].upper() + s.text[1:]
        return text if text.endswith((".", "!", "?", "…")) else text + "."
    typed = {"situation": Lit(s.text), "situation_lower": Lit(lower_first(s.text))}
    return Expander(rng, typed).pick(LINES.situations)


def exchange(w: SceneWriter, sp: list[Speaker]) -> list[str]:
    """Wants said and colliding, pressure, a turn, a button."""
    rng = w.rng
    a, b = sp[0], sp[1]
    out: list[str | None] = [
        w.say(LINES.open, a, b, 0.1, sample=False),
        w.say(LINES.deflect, b, a),
        w.say(LINES.press, a, b),
        w.say(LINES.counter, b, a),
    ]
    for extra in sp[2:]:
        out.append(w.say(LINES.interject, extra, rng.choice((a, b))))
    if rng.random() < 0.6:
        mover = rng.choice((a, b))
        out.append(w.action(LINES.mid_action, mover, b if mover is a else a))
    first, second = (a, b) if rng.random() < 0.5 else (b, a)
    out.append(w.say(LINES.challenge, first, second))
    out.append(w.say(LINES.accuse_flaw if first.flaw else LINES.accuse, second, first))
    for extra in sp[2:]:
        if rng.random() < 0.6 or not extra.said_sample:
            out.append(w.say(LINES.press, extra, a, sample=True))
    if rng.random() < 0.5:
        mover = rng.choice((a, b))
        out.append(w.action(LINES.mid_action, mover, b if mover is a else a))
    revealer = rng.choice((a, b))
    other = b if revealer is a else a
    if revealer is second:  # no one speaks twice in a row
        out.append(w.say(LINES.soften, other, revealer))
    out.append(w.say(LINES.reveal_need if revealer.need else LINES.reveal, revealer, other))
    out.append(
        w.say(
            rng.choice((LINES.soften, LINES.ultimatum)),
            other,
            revealer,
            sample=not other.said_sample or None,
        )
    )
    out.append(w.say(LINES.refuse, revealer, other, sample=not revealer.said_sample or None))
    closer = other
    out.append(
        (w.echo(closer, revealer) if rng.random() < 0.3 else None)
        or w.say(LINES.button, closer, revealer)
    )
    return [x for x in out if x]


def monologue(w: SceneWriter, a: Speaker) -> list[str]:
    """One speaker: a speech in movements, broken by parentheticals and a beat of action."""
    rng = w.rng
    ex = w._ex(a, None)
    parts: list[str] = []
    for bank in (
        LINES.mono_open,
        LINES.mono_want,
        LINES.mono_flaw if a.flaw else LINES.reveal,
        LINES.mono_turn,
        LINES.reveal_need if a.need else LINES.reveal,
    ):
        draft = [x for x in bank if x not in a.said] or list(bank)
        text = finish(ex.expand(rng.choice(draft)))
        a.said.append(text)
        parts.append(render(a.voice, sentences(text), rng, ex, w.keep))
    first = [parts[0], parts[1]]
    if a.voice.sample:
        first.append(a.voice.sample)
        a.said_sample = True
    block1 = fountain.block(
        a.fig.name, first[:1], parenthetical_for(a.voice, rng, ex) if rng.random() < 0.5 else ""
    )
    block1 += "\n" + "\n".join(fountain.dialogue_line(x) for x in first[1:])
    beat = fountain.action(ex.pick(LINES.monologue_beats))
    ending = finish(ex.expand(rng.choice(LINES.mono_end)))
    block2 = fountain.block(a.fig.name, [parts[2], parts[3]], "", "CONT'D")
    block2 += f"\n{fountain.parenthetical(parenthetical_for(a.voice, rng, ex))}\n"
    block2 += "\n".join(
        fountain.dialogue_line(x)
        for x in (parts[4], render(a.voice, sentences(ending), rng, ex, w.keep))
    )
    return [block1, beat, block2]


__all__ = ["exchange", "monologue", "write_scene"]
