"""A story plan: everything a synopsis or outline is written from, fixed once per seed.

The plan reads the bible (genre, tone, setting, style, logline, the cast's sheets) and the
request (direction, focus), chooses a shape and an ending, and fixes the story's concrete
nouns (the prize, the threat, the secret) so every sentence of one draft agrees with the
others. The writers in ``synopsis`` and ``outline`` only pick and order sentences.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from core.models import Bible, Character
from generation.offline.aims import Aim, aim
from generation.offline.beats import BEATS
from generation.offline.cast import Cast, Figure, build_cast
from generation.offline.genres import Genre, story_genres
from generation.offline.grammar import Expander, Lit, SlotValue
from generation.offline.lexicon import LEXICON
from generation.offline.shapes import Shape, choose_shape, mentioned_shapes
from generation.offline.text import clip, content_words, lower_first, strip_end
from generation.offline.tones import Style, Tone, match_style, match_tone

_MODAL = re.compile(
    r"\b(must|has to|have to|needs to|need to|sets out to|set out to|tries to|fights to|races to|"
    r"struggles to|is forced to|are forced to|decides to|vows to|plans to|hopes to|wants to|"
    r"agrees to|sets out|goes to|is sent to)\s+(.+)",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"\b(before|until|by the time)\s+(.+?)(?:[.;:!?]|,\s*(?:or|but|and)\b|$)", re.I
)
_CUT_GOAL = re.compile(
    r"\s*(?:\bbefore\b|\buntil\b|\bor else\b|\bor\b|,\s*but\b|;|\s—\s|\.).*$", re.I
)
_LEAD = re.compile(r"^(?:when|after|as|in|once|while|if|with|during|following)\b[^,]*,\s*", re.I)
_ENDINGS = (
    ("happy", r"\bhappy ending\b|\bhappily\b|\bhappy\b|\bupbeat ending\b|\bwins?\b"),
    ("tragic", r"\btragic\b|\btragedy\b|\bsad ending\b|\bdies\b|\bdie\b|\bdowner\b"),
    ("bittersweet", r"\bbittersweet\b"),
    ("open", r"\bopen ending\b|\bambiguous\b|\bcliffhanger\b|\bopen-ended\b|\bunresolved\b"),
)
_VERBISH = re.compile(
    r"\b(is|are|was|were|has|have|had|turns out|becomes|become|dies|kills|loves|betrays|wins|"
    r"loses|can|will|would|never|doesn't|don't|isn't|gets|finds|learns|knows|hides|lies|"
    r"works|wants|falls|leaves|returns|owns|steals)\b",
    re.I,
)
_FOCUS_LEAD = r"\b(focus on|about|from|through|told by|centred on|centered on)"
_INSTRUCTION = re.compile(
    r"^(?:please\s+)?(?:make (?:it|this|the story)\s+|add\s+|include\s+|with\s+|featuring\s+|"
    r"focus on\s+|more about\s+|let\s+|have\s+)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Direction:
    """What a free-form direction asks for, as far as the offline engine can tell."""

    tone: Tone | None = None
    shapes: tuple[str, ...] = ()
    ending: str | None = None
    focus: tuple[Character, ...] = ()
    setting: str = ""
    extra: str = ""  # what is left to weave in as story material
    extra_is_clause: bool = False


def read_direction(text: str, characters: tuple[Character, ...]) -> Direction:
    flat = clip(text, 40)
    if not flat:
        return Direction()
    low = flat.lower()
    tone = match_tone(low)
    ending = next((k for k, pat in _ENDINGS if re.search(pat, low)), None)
    focus = tuple(
        c
        for c in characters
        if re.search(rf"{_FOCUS_LEAD}\s+{re.escape(c.name.lower())}", low)
        or re.search(rf"\b{re.escape(c.name.lower())}'s (point of view|perspective|pov)", low)
    )
    where = re.search(
        r"\bset (?:it |the story )?(?:in|on|at|aboard|during)\s+(.+?)(?:[.;,]|$)", flat, re.I
    )
    if where is None:  # "a heist on Mars", "a ghost story aboard the Kestrel"
        where = re.search(
            r"\b(?:on|in|aboard|at)\s+((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})\s*[.!?]*$",
            flat,
        )
    setting = clip(where.group(1), 12) if where else ""
    residue = _INSTRUCTION.sub("", flat)
    meaningful = [
        w
        for w in content_words(residue)
        if not re.fullmatch(r"more|less|darker|lighter|funnier|ending|story|tone|make", w)
        and match_tone(w).key == "neutral"
        and not mentioned_shapes(w)
    ]
    extra = ""
    if len(meaningful) >= 3 and not where:
        extra = lower_first(
            strip_end(residue), frozenset(n.lower() for c in characters for n in c.name.split())
        )
    return Direction(
        tone=None if tone.key == "neutral" else tone,
        shapes=tuple(mentioned_shapes(low)),
        ending=ending,
        focus=focus,
        setting=setting,
        extra=extra,
        extra_is_clause=bool(
            _VERBISH.search(extra)
            or _CLAUSE_START.match(extra)
            or re.search(r"\b\w+(ed|es)\b", extra)
        ),
    )


@dataclass(frozen=True, slots=True)
class Premise:
    """What the logline says, pulled apart: the goal, the deadline, who the hero is."""

    goal: str = ""
    deadline: str = ""
    hero_desc: str = ""


def read_logline(logline: str) -> Premise:
    flat = clip(logline, 60)
    if not flat:
        return Premise()
    goal, desc = "", ""
    m = _MODAL.search(flat)
    if m:
        goal = clip(_CUT_GOAL.sub("", m.group(2)), 16)
        subject = _LEAD.sub("", flat[: m.start()]).strip(" ,")
        subject = subject.rsplit(", ", 1)[-1] if ", " in subject else subject
        if re.match(r"^(a|an)\s", subject, re.I) and len(subject.split()) <= 9:
            desc = lower_first(subject)
    d = _BEFORE.search(flat)
    deadline = f"{d.group(1).lower()} {clip(d.group(2), 10)}" if d else ""
    return Premise(goal=goal if goal and aim(goal) else "", deadline=deadline, hero_desc=desc)


@dataclass
class Plan:
    """One story, decided. ``ex`` expands templates against the plan's slots."""

    bible: Bible
    rng: random.Random
    cast: Cast
    shape: Shape
    genres: list[Genre]
    tone: Tone
    style: Style
    ending: str
    direction: Direction
    ex: Expander
    hero_want: Aim | None
    flaw: Aim | None
    has_need: bool

    def say(self, options: tuple[str, ...] | list[str]) -> str:
        return self.ex.pick(options)


def _bank(genres: list[Genre], name: str) -> tuple[str, ...]:
    out: list[str] = []
    for g in genres:
        out.extend(getattr(g, name))
    return tuple(out)


def make_plan(
    bible: Bible,
    seed: int,
    direction_text: str = "",
    focus: tuple[Character, ...] = (),
    purpose: str = "story",
) -> Plan:
    """Decide the story for this seed. The same inputs always give the same plan."""
    rng = random.Random(f"{purpose}:{seed}")
    story = bible.story
    direction = read_direction(direction_text, bible.characters)
    genres = story_genres(bible)[:2]
    tone = direction.tone or match_tone(story.tone, story.genre)
    style = match_style(story.style)
    premise = read_logline(story.logline)
    cast = build_cast(
        bible.characters,
        tuple(focus) + direction.focus,
        rng,
        [g.key for g in genres],
        _bank(genres, "jobs"),
        _bank(genres, "forces"),
        premise.hero_desc,
    )
    shape = choose_shape(
        rng,
        " ".join([story.logline, direction_text, story.synopsis[:400]]),
        list(_bank(genres, "shapes")),
        list(direction.shapes),
    )
    ending = (
        direction.ending
        or rng.choices([e for e, _ in tone.endings], weights=[w for _, w in tone.endings], k=1)[0]
    )
    keep = frozenset(n.lower() for c in bible.characters for n in c.name.split())
    sheet = cast.hero.sheet
    hero_want = aim(sheet.want, 18, keep) if sheet and sheet.want else None
    goal_aim = hero_want if hero_want and hero_want.vp else aim(premise.goal, 16, keep)
    slots: dict[str, SlotValue] = {**cast.slots()}
    ex = Expander(rng, slots)
    setting = direction.setting or clip(story.setting, 14)
    foe_sheet = cast.foe.sheet
    foe_want = aim(foe_sheet.want, 16, keep) if foe_sheet and foe_sheet.want else None
    genre_label = clip(story.genre, 5).lower() if story.genre.strip() else genres[0].label
    if genre_label.split()[-1] not in LEXICON.genre_nouns:
        genre_label += " story"
    mood = (
        clip(story.tone, 4).lower()
        if story.tone.strip() and len(story.tone) < 40
        else rng.choice(tone.moods)
    )
    ex.slots.update(
        place=Lit(direction.setting or lower_first(setting, keep))  # a direction's is a name
        if setting
        else Lit(ex.expand(rng.choice(_bank(genres, "places")))),
        prize=Lit(ex.expand(rng.choice(_bank(genres, "prizes")))),
        threat=Lit(ex.expand(rng.choice(_bank(genres, "threats")))),
        stakes=Lit(ex.expand(rng.choice(_bank(genres, "stakes")))),
        deadline=Lit(premise.deadline or "before " + rng.choice(_bank(genres, "deadlines"))),
        texture=_bank(genres, "textures"),
        theme=Lit(rng.choice(shape.themes)),
        genre_label=Lit(genre_label),
        mood=Lit(mood),
        title=Lit(clip(story.title, 12)),
        direction=Lit(direction.extra),
        foe_wants=Lit(foe_want.predicate("wants")) if foe_want else "wants {prize}",
    )
    ex.slots["secret"] = Lit(ex.expand(rng.choice(_bank(genres, "secrets"))))
    goal = Lit(goal_aim.vp) if goal_aim and goal_aim.vp else Lit(ex.expand(rng.choice(shape.goals)))
    want = hero_want or goal_aim or Aim(str(goal), "vp")
    need = aim(sheet.need, 18, keep) if sheet and sheet.need else None
    flaw = read_flaw(sheet.flaw, cast.hero, keep) if sheet and sheet.flaw else None
    ex.slots.update(
        goal=goal,
        want_noun=Lit(want.noun),
        hero_wants=Lit(want.predicate("wants")),
        hero_wants_p=Lit(want.predicate("want" + cast.hero.form("s"))),
        need_noun=Lit(need.noun if need else ex.expand(rng.choice(BEATS.default_needs))),
        flaw=Lit(flaw.raw if flaw else rng.choice(BEATS.default_flaws)),
    )
    ex.slots["hook"] = shape.hooks
    ex.named.clear()
    return Plan(
        bible,
        rng,
        cast,
        shape,
        genres,
        tone,
        style,
        ending,
        direction,
        ex,
        hero_want,
        flaw,
        need is not None,
    )


_CLAUSE_START = re.compile(r"^(i|i'm|she|he|they|xe|ze|ey|fae|it|we|you)\b", re.I)
_ADVERB_START = re.compile(
    r"^(always|never|can't|cannot|won't|doesn't|does not|will not|"
    r"refuses|trusts|lies|hides|runs|needs|wants)\b",
    re.I,
)
_ADJ_START = re.compile(r"^(too|overly|so|very|far too|deeply|painfully|fiercely)\b", re.I)
_DETERMINER = re.compile(r"^(a|an|the|her|his|their|my|xyr|hir|zir|eir|faer)\s+", re.I)


def read_flaw(text: str, hero: Figure, keep: frozenset[str]) -> Aim | None:
    """A flaw as a noun ("pride": "her pride") or a clause ("she trusts no one")."""
    phrase = clip(text, 14)
    if not phrase:
        return None
    name_first = phrase.split(" ", 1)[0].lower() in {n.lower() for n in hero.name.split()}
    if _CLAUSE_START.match(phrase) or name_first:
        return Aim(lower_first(phrase, keep), "other")
    if _ADJ_START.match(phrase):
        return Aim(f"{hero.short} is {lower_first(phrase, keep)}", "other")
    if _ADVERB_START.match(phrase):
        return Aim(f"{hero.short} {lower_first(phrase, keep)}", "other")
    return Aim(lower_first(_DETERMINER.sub("", phrase), keep), "np")


def flaw_lines(plan: Plan, pressure: bool = False) -> tuple[str, ...]:
    """Templates about the hero's flaw that fit how the flaw was written."""
    if plan.flaw is None or plan.flaw.kind == "np":
        return BEATS.flaw_pressure_np if pressure else BEATS.flaw_np
    return BEATS.flaw_pressure_clause if pressure else BEATS.flaw_clause


def is_untitled(plan: Plan) -> bool:
    return plan.bible.story.title.strip().lower() in ("", "untitled")


def others(plan: Plan) -> list[Figure]:
    """Named cast beyond the hero and the opposition, for introductions."""
    core = {plan.cast.hero.name, plan.cast.foe.name}
    return [f for f in plan.cast.named() if f.name not in core]
