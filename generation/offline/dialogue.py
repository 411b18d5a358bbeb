"""Scene building blocks: speakers with their sheets' voices and wants, in a situation.

``read_situation`` reads what the writer asked for, ``scene_speakers`` turns the cast into
``Speaker``s, and ``SceneWriter`` writes their blocks: every line is drafted by intent
(``lines``) and said in the speaker's voice (``voice_render``); each speaker's sample line
from the sheet is used as written. ``dialogue_scenes`` assembles whole scenes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from core import fountain
from core.models import Bible, Character, Location, find_location
from core.text import name_key
from generation.offline import lines, names
from generation.offline.aims import aim
from generation.offline.cast import Figure, short_name, solo
from generation.offline.genres import GENRES, Genre, matched_genres
from generation.offline.grammar import Expander, Lit, SlotValue, finish
from generation.offline.lexicon import LEXICON
from generation.offline.lines import LINES
from generation.offline.pronouns import NAME_ONLY
from generation.offline.text import clip, lower_first, sentences, strip_end, words
from generation.offline.voice import Voice, read_voice
from generation.offline.voice_render import parenthetical_for, render
from generation.scenes import is_outside
from generation.textkit import STOPWORDS

_SCENE_WORDS = re.compile(
    r"\b(argument|fight|talk|conversation|scene|confrontation|meeting|showdown|discussion|"
    r"negotiation|chat|quarrel|row|standoff|reunion|interrogation|confession|goodbye|breakup|"
    r"dinner|date|debate|exchange|moment)s?\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\b(?:about|over|regarding|concerning|because of)\s+(.+)$", re.IGNORECASE)
_PLACE = re.compile(
    r"\b(?:in|at|on|inside|outside|aboard|by|under)\s+(?:the|a|an)\s+"
    r"([^\W\d_][\w'’ -]{1,40}?)"
    r"(?=[,.;:!?]|$|\s(?:during|while|after|before|as|when|with|where|about|over)\b)",
    re.IGNORECASE,
)
_OUTSIDE = re.compile(
    r"\b(street|road|roof|rooftop|field|beach|forest|woods|park|yard|garden|"
    r"dock|docks|pier|square|bridge|alley|lot|desert|shore|hill|mountain|lake|"
    r"river|platform|cemetery|graveyard|camp|outside|ridge|crater|highway)\b",
    re.I,
)


def _has_verb(ws: list[str]) -> bool:
    """Whether a short phrase reads as a clause ("xe addresses the miners")."""
    if ws and ws[0] in LEXICON.subjects:
        return True
    for prev, w in zip(["the", *ws], ws, strict=False):
        if prev in LEXICON.determiners or not w.endswith("s") or len(w) < 4:
            continue
        stems = (w[:-1], w[:-2], w[:-3] + "y")
        if any(stem in LEXICON.verbs for stem in stems):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Situation:
    text: str  # as typed, one line, clipped
    topic: str  # what they argue about: "the airlock"
    place: str  # for the heading, "" if none was named
    outside: bool
    is_sentence: bool


def read_situation(text: str, cast_names: frozenset[str]) -> Situation:
    flat = clip(text, 40)
    if not flat:
        return Situation("", "", "", False, False)
    low_words = [w.lower() for w in words(flat)]
    is_sentence = (
        len(low_words) > 7
        or any(w in cast_names for w in low_words)
        or flat.endswith((".", "!", "?"))
        or _has_verb(low_words)
    )
    place_m = _PLACE.search(flat)
    place = clip(place_m.group(1), 5) if place_m else ""
    topic_m = _TOPIC.search(flat)
    if topic_m:
        topic = clip(topic_m.group(1), 8)
    elif not is_sentence:
        bare = _SCENE_WORDS.sub("", flat)
        bare = re.sub(r"\s+", " ", bare).strip(" ,;:-")
        topic = bare if len(bare.split()) >= 1 and bare.lower() not in ("the", "a", "an") else ""
    else:
        topic = ""
    if (
        topic
        and not re.match(r"^(the|a|an|my|your|his|her|their|our|this|that)\s", topic, re.I)
        and topic[:1].islower()
        and len(topic.split()) > 1
    ):
        topic = "the " + topic
    if not place and not is_sentence and topic:
        place = ""
    return Situation(
        flat,
        lower_first(topic, cast_names),
        place,
        bool(_OUTSIDE.search(place or flat)),
        is_sentence,
    )


@dataclass
class Speaker:
    fig: Figure
    voice: Voice
    want: str  # first person: "to get my brother home"
    want_heard: str  # second person: "to get your brother home"
    need: str = ""
    flaw: str = ""  # a noun for "your ___"
    sheet: Character | None = None
    turns: int = 0
    said_sample: bool = False
    said: list[str] = field(default_factory=list)


def _speaker(fig: Figure, rng: random.Random, taken_wants: set[str], prize: str) -> Speaker:
    c = fig.sheet
    voice = read_voice(
        c.voice if c else "", c.personality if c else "", c.sample_line if c else "", rng
    )
    want_aim = aim(c.want, 16) if c and c.want else None
    if want_aim:
        want = lines.personal(want_aim.noun, fig, 1)
        heard = lines.personal(want_aim.noun, fig, 2)
    else:
        options = [w for w in (*LINES.default_wants, prize) if w not in taken_wants]
        want = heard = rng.choice(options)
    taken_wants.add(want)
    need_aim = aim(c.need, 16) if c and c.need else None
    flaw = ""
    if c and c.flaw:
        f = clip(c.flaw, 8)
        if not re.match(r"^(i|she|he|they|xe|ze|it|too|always|never|can't|won't)\b", f, re.I):
            flaw = re.sub(r"^(a|an|the|her|his|their|my|xyr)\s+", "", lower_first(f), flags=re.I)
    need = lines.personal(need_aim.noun, fig, 1, inward=True) if need_aim else ""
    return Speaker(fig, voice, want, heard, need, flaw, c)


@dataclass
class SceneWriter:
    """Writes blocks for one scene; keeps who has spoken and what was said."""

    rng: random.Random
    speakers: list[Speaker]
    slots: dict[str, SlotValue]
    introduced: set[str] = field(default_factory=set)
    keep: frozenset[str] = frozenset()

    def _ex(self, me: Speaker, you: Speaker | None) -> Expander:
        other = you or me
        extra: dict[str, SlotValue] = {
            "me": me.fig,
            "you": other.fig,
            "me_caps": Lit(self._caps(me)),
            "you_caps": Lit(self._caps(other)),
            "my_want": Lit(me.want),
            "your_want": Lit(other.want_heard),
            "my_need": Lit(me.need),
            "flaw": Lit(other.flaw),
        }
        return Expander(self.rng, {**self.slots, **extra})

    def _caps(self, s: Speaker) -> str:
        if s.fig.name in self.introduced:
            return s.fig.short
        self.introduced.add(s.fig.name)
        age = clip(s.sheet.age, 3) if s.sheet and s.sheet.age else ""
        full = s.sheet.name if s.sheet else s.fig.name
        caps = full.upper() if any(ch.isalpha() for ch in full) else full
        return f"{caps} ({age})" if age and len(age) <= 12 else caps

    def action(self, bank: tuple[str, ...], me: Speaker, you: Speaker | None = None) -> str:
        return fountain.action(self._ex(me, you).pick(bank))

    def say(
        self,
        intent: tuple[str, ...],
        me: Speaker,
        you: Speaker | None,
        paren_chance: float = 0.25,
        sample: bool | None = None,
    ) -> str:
        """One block. ``sample``: add the sheet's sample line (None: sometimes, after turn one)."""
        ex = self._ex(me, you)
        options = [t for t in intent if t not in me.said] or list(intent)
        template = self.rng.choice(options)
        me.said.append(template)
        spoken = [render(me.voice, sentences(finish(ex.expand(template))), self.rng, ex, self.keep)]
        paren = (
            parenthetical_for(me.voice, self.rng, ex) if self.rng.random() < paren_chance else ""
        )
        if sample is None:
            sample = me.turns >= 1 and self.rng.random() < 0.35
        if sample and me.voice.sample and not me.said_sample:
            me.said_sample = True
            spoken.insert(self.rng.choice((0, 1)), me.voice.sample)
        me.turns += 1
        return fountain.block(me.fig.name, spoken, paren)

    def echo(self, me: Speaker, you: Speaker | None) -> str | None:
        if not me.said_sample:
            return None
        first = strip_end(re.split(r"[.!?;,—]", me.voice.sample)[0])
        if not first or len(first.split()) > 8:
            return None
        ex = self._ex(me, you).with_slots(echo=Lit(first))
        return fountain.block(me.fig.name, [ex.pick(LINES.echo)])


def named_in(text: str) -> list[str]:
    """Names a beat or situation gives people the bible does not know ("Isla finds the
    logbook"): capitalised words that are not common words, at most two."""
    found: list[str] = []
    for w in re.findall(r"\b[A-Z][a-z]{2,}\b", text):
        if w.lower() in STOPWORDS or w.lower() in LEXICON.verbs or w in found:
            continue
        found.append(w)
    return found[:2]


def scene_speakers(
    bible: Bible,
    focus: tuple[Character, ...],
    rng: random.Random,
    genres: list[Genre],
    prize: str,
    situation: str = "",
) -> list[Speaker]:
    """The scene's speakers: the focus; else, for a situation that names people the
    bible does not have, those names (their pronouns unknown, so by name); else the
    bible's first two; else two invented people."""
    chars = list(focus) or ([] if named_in(situation) else list(bible.characters[:2]))
    figs = [solo(c) for c in chars]
    if not figs:
        figs = [Figure(n, n, NAME_ONLY) for n in named_in(situation)]
    if not figs:
        taken: set[str] = set()
        for _ in range(2):
            name, pronouns = names.invent_person(rng, [g.key for g in genres], taken)
            taken.add(name.split()[0].casefold())
            figs.append(Figure(name, short_name(name), pronouns, invented=True))
    # In a scene everyone goes by their short name (cues, action), unless two would clash.
    shorts = [f.short.casefold() for f in figs]
    figs = [
        Figure(
            f.short if shorts.count(f.short.casefold()) == 1 else f.name,
            f.short if shorts.count(f.short.casefold()) == 1 else f.name,
            f.pronouns,
            f.desc,
            f.slot,
            f.sheet,
            invented=f.invented,
        )
        for f in figs
    ]
    wants: set[str] = set()
    return [_speaker(f, rng, wants, prize) for f in figs[:6]]


def scene_slots(
    rng: random.Random, situation: Situation, genres: list[Genre]
) -> dict[str, SlotValue]:
    bank = genres[0]
    prize = rng.choice(bank.prizes)
    return {
        "topic": Lit(situation.topic or prize),
        "threat": Lit(rng.choice(bank.threats)),
        "texture": tuple(Lit(t) for t in bank.textures),
        "prize": Lit(prize),
    }


_SETTING_CUT = re.compile(
    r"[,;:(]|\s(?:on|in|at|near|by|off|outside|under|above|beyond|with|where|during|"
    r"after|before|that|which|who|from|between|among|across)\s",
    re.IGNORECASE,
)


def setting_place(setting: str) -> str:
    """The place a setting names, for a heading: "a remote lighthouse on the Scottish
    coast" -> "remote lighthouse"; "" for a setting that is a time, not a place."""
    flat = re.sub(r"^(?:a|an|the)\s+", "", " ".join(setting.split()), flags=re.I)
    head = _SETTING_CUT.split(flat, maxsplit=1)[0].strip(" .")
    if not head or not any(ch.isalpha() for ch in head) or re.fullmatch(r"[\d\s]+s?", head):
        return ""
    return " ".join(head.split()[:4])


def known_place(bible: Bible, place: str) -> bool:
    """Whether a place read from a situation ("in the airlock") is a place the story or
    any genre knows (a location, the setting's words, a genre's rooms and exteriors),
    rather than some noun the situation mentions ("on the radio")."""
    low = name_key(place)
    if not low:
        return False
    if find_location(bible.locations, place) is not None:
        return True
    setting = name_key(bible.story.setting)
    if re.search(rf"\b{re.escape(low)}\b", setting):
        return True
    return low in _KNOWN_ROOMS


_KNOWN_ROOMS = frozenset(name_key(room) for g in GENRES for room in (*g.rooms, *g.outside))


def heading_for(
    bible: Bible,
    situation: Situation,
    rng: random.Random,
    genres: list[Genre],
    place: Location | None = None,
    roam: bool = True,
) -> str:
    """A scene heading from the story's places, never from a noun of the situation:
    the scene's location; else a location the situation names, or a place it names that
    the story or a genre knows; else (``roam``) one of the story's locations; else the
    setting, with a room of the genre its texts name ("DERELICT MINING STATION - MED
    BAY"), alone when they name none; else a room of the genre. A draft's scene does not
    roam: a beat with no place is set where the story is."""
    time = rng.choice(("NIGHT", "NIGHT", "DAY", "DAY", "DAWN", "DUSK"))
    named = place or _named_location(bible, situation.text)
    if named is not None:
        return fountain.heading(named.name, not is_outside(named), time)
    if situation.place and known_place(bible, situation.place):
        return fountain.heading(situation.place, not situation.outside, time)
    if roam and bible.locations:
        chosen = rng.choice(bible.locations)
        return fountain.heading(chosen.name, not is_outside(chosen), time)
    setting = setting_place(bible.story.setting)
    known = matched_genres(bible)
    if setting and not known:  # no genre of the story's own says what rooms it has
        return fountain.heading(setting, not _OUTSIDE.search(setting), time)
    bank = known[0] if known else genres[0]
    outside = rng.random() < 0.25
    room = rng.choice(bank.outside if outside else bank.rooms)
    return fountain.heading(f"{setting} - {room}" if setting else room, not outside, time)


def _named_location(bible: Bible, text: str) -> Location | None:
    for loc in sorted(bible.locations, key=lambda x: -len(x.name)):
        if re.search(rf"(?<!\w){re.escape(loc.name)}(?!\w)", text, re.IGNORECASE):
            return loc
    return None


__all__ = ["SceneWriter", "Speaker", "read_situation", "scene_speakers"]
