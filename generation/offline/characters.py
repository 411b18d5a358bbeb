"""Character sheets from a name and a brief, keeping every field the writer gave.

A temperament (``sheet_banks``) is chosen to fit what is given (a voice that says
"clipped" picks the stoic or guarded ones), then each missing field is written from it
and from the story (genre, setting, the cast already in the bible), in dependency order:
pronouns and age first, then role, one-line, personality, voice, flaw, want, need,
backstory, arc, appearance, sample line, relationships, aliases.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Bible, Character, field_label
from core.text import name_key
from generation.offline.aims import aim
from generation.offline.cast import Figure, role_slot, short_name
from generation.offline.fresh import Fresh
from generation.offline.genres import Genre, story_genres
from generation.offline.grammar import Expander, Lit, SlotValue, article
from generation.offline.pronouns import HE, SHE, THEY, Pronouns, label, parse_pronouns
from generation.offline.sheet_banks import BANKS, Temperament
from generation.offline.text import clip, lower_first, one_line, plural_agreement, upper_first
from generation.offline.voice import traits_in

_SHE = re.compile(
    r"\b(she|her|woman|girl|mother|sister|daughter|wife|queen|princess|aunt|"
    r"grandmother|widow|actress|waitress|lady|matriarch|heroine|nun)\b",
    re.I,
)
_HE = re.compile(
    r"\b(he|him|his|man|boy|father|brother|son|husband|king|prince|uncle|"
    r"grandfather|widower|actor|waiter|gentleman|patriarch|monk)\b",
    re.I,
)
_THEY = re.compile(r"\b(they|them|nonbinary|non-binary|enby|genderqueer|agender)\b", re.I)
_AGES = (
    (r"\b(child|kid|little)\b", 9, 12),
    (r"\bteen(age|ager)?\b|\bhigh school\b", 15, 18),
    (r"\btwenties\b|\b2\d-year-old\b", 21, 29),
    (r"\bthirties\b", 31, 39),
    (r"\bforties\b", 41, 49),
    (r"\bfifties\b", 51, 59),
    (r"\bsixties\b", 61, 69),
    (r"\bseventies\b", 71, 78),
    (r"\byoung\b|\brookie\b|\bapprentice\b|\bstudent\b", 19, 26),
    (r"\bmiddle-aged\b", 45, 55),
    (r"\bold\b|\belderly\b|\bretired\b|\bageing\b|\baging\b|\bveteran\b", 61, 74),
)


def _pronouns_for(brief: str, rng: random.Random) -> Pronouns:
    if _THEY.search(brief):
        return THEY
    she, he = len(_SHE.findall(brief)), len(_HE.findall(brief))
    if she > he:
        return SHE
    if he > she:
        return HE
    return rng.choices((SHE, HE, THEY), weights=(42, 42, 16), k=1)[0]


def _age_for(brief: str, role: str, rng: random.Random) -> str:
    number = re.search(r"\b(\d{1,3})(?:-year-old| years old| yo)\b", brief)
    if number:
        return number.group(1)
    for pattern, low, high in _AGES:
        if re.search(pattern, brief, re.I):
            return str(rng.randint(low, high))
    if role_slot(role) == "mentor":
        return str(rng.randint(52, 71))
    return str(rng.randint(23, 58))


def _role_for(brief: str, bible: Bible, rng: random.Random) -> str:
    found = role_slot(brief)
    if found:
        return {"hero": "protagonist", "foe": "antagonist", "love": "love interest"}.get(
            found, found
        )
    slots = [role_slot(c.role) for c in bible.characters]
    if "hero" not in slots:
        return "protagonist"
    if "foe" not in slots and rng.random() < 0.4:
        return "antagonist"
    return rng.choice(BANKS.support_roles)


def _temperament(
    given: dict[str, str], brief: str, rng: random.Random, taken: frozenset[str]
) -> Temperament:
    """The temperament that best fits the voice, personality and brief given, else any;
    one the story's other sheets have not used (``taken``: their voices) where one fits."""
    text = " ".join(
        [given.get("voice", ""), given.get("personality", ""), given.get("flaw", ""), brief]
    )
    wanted = traits_in(text)
    low = text.lower()
    scored = []
    for t in BANKS.temperaments:
        score = sum(3 for trait in t.traits if trait.split()[0] in low)
        score += sum(2 for w in wanted if w in traits_in(t.voice))
        scored.append((score, t))
    best = max(s for s, _ in scored)
    fitting = [t for s, t in scored if s == best] if best > 0 else list(BANKS.temperaments)
    for pool in (fitting, [t for s, t in scored if s > 0], list(BANKS.temperaments)):
        fresh = [t for t in pool if t.voice not in taken]
        if fresh:
            return rng.choice(fresh)
    return rng.choice(fitting)


def _job(brief: str, genres: list[Genre], rng: random.Random) -> str:
    m = re.match(
        r"^(?:an?|the)\s+([^,.;]+?)(?:\s+(?:who|with|from|that|whose|in|on|at)\b|[,.;]|$)",
        brief,
        re.I,
    )
    if m and 1 <= len(m.group(1).split()) <= 5:
        return m.group(1).strip()
    return rng.choice([j for g in genres for j in g.jobs])


def _others(bible: Bible, name: str) -> list[Character]:
    """The story's other sheets (a sheet being written again does not count itself)."""
    key = name_key(name)
    return [c for c in bible.characters if c.key != key]


def write_sheet(
    bible: Bible, name: str, brief: str, given: dict[str, str], seed: int
) -> dict[str, str]:
    """A full sheet: "name" plus every field in CHARACTER_FIELDS, all strings.

    Fields in ``given`` are kept exactly as written; the rest are consistent with them,
    drawn from banks by the story's genres and setting, and never repeat a clause of the
    story's other sheets (``fresh.Fresh``). Nothing is drawn by pronouns: looks,
    temperament and work come out the same way for everyone.
    """
    name = " ".join(name.split())
    if not name:
        raise GenerationError("A character needs a name before I can write a sheet for them.")
    rng = random.Random(f"character:{seed}:{name}")
    given = {k: str(v) for k, v in given.items() if k in CHARACTER_FIELDS and str(v).strip()}
    brief_line = clip(brief, 40)
    genres = story_genres(bible)
    others = _others(bible, name)
    fresh = Fresh(v for c in others for v in c.sheet().values())
    pronouns = parse_pronouns(given.get("pronouns", "")) or _pronouns_for(brief_line, rng)
    fig = Figure(short_name(name), short_name(name), pronouns)
    temperament = _temperament(given, brief_line, rng, frozenset(c.voice for c in others))
    prize = rng.choice([p for g in genres for p in g.prizes])
    place = clip(bible.story.setting, 10) or rng.choice([p for g in genres for p in g.places])
    slots: dict[str, SlotValue] = {"c": fig, "prize": Lit(prize), "place": Lit(lower_first(place))}
    ex = Expander(rng, slots)
    sheet: dict[str, str] = {"name": name}

    def put(field: str, make: Callable[[], str] | str | None) -> None:
        if field in given:
            value = given[field]
        elif callable(make):
            value = fresh.pick(make)
        else:
            value = make or ""
        sheet[field] = value
        fresh.add(value)

    put("pronouns", label(pronouns) if not pronouns.name_only else "name only")
    role = given.get("role") or _role_for(brief_line, bible, rng)
    put("role", role)
    put("age", _age_for(brief_line, role, rng))
    job = _job(brief_line, genres, rng)
    traits = temperament.traits
    if brief_line and re.match(r"^(a|an|the)\s", brief_line, re.I):
        put("one_line", upper_first(brief_line))
    else:
        who = _told_once(fresh, lambda: f"{job} who " + ex.expand(rng.choice(BANKS.quirks)))
        put("one_line", upper_first(f"{article(traits[0])} {traits[0]} {who or job}"))
    put("personality", lambda: _personality(ex, rng, temperament, pronouns))
    put("voice", temperament.voice)
    put("flaw", upper_first(ex.expand(temperament.flaw)))
    slot = role_slot(role)
    wants = (
        BANKS.foe_wants
        if slot == "foe"
        else BANKS.mentor_wants
        if slot == "mentor"
        else BANKS.wants
    )
    put("want", lambda: upper_first(ex.expand(rng.choice(wants))))
    put("need", upper_first(ex.expand(temperament.need)))
    age_num = int(sheet["age"]) if sheet["age"].isdigit() else 35
    put("backstory", _backstory(ex, rng, age_num, fresh) if "backstory" not in given else None)
    put("arc", lambda: _arc(ex, sheet))
    put("appearance", lambda: _appearance(ex, rng, genres, age_num, fresh))
    lines = [x for x in temperament.lines if not fresh.clashes(x)] or list(temperament.lines)
    put("sample_line", rng.choice(lines))
    put("relationships", relationships(bible, name, fig, rng, fresh))
    put("aliases", _alias(bible, name, job, rng))
    return sheet


def _personality(ex: Expander, rng: random.Random, t: Temperament, p: Pronouns) -> str:
    traits = t.traits
    habit = ex.expand(rng.choice(t.habits))
    habit = plural_agreement(habit) if p.plural_verbs else habit
    with_traits = ex.with_slots(
        T0=Lit(upper_first(traits[0])),
        t0=Lit(traits[0]),
        t1=Lit(traits[1]),
        t2=Lit(traits[2]),
        habit=Lit(habit),
    )
    return with_traits(rng.choice(BANKS.personalities))


def _backstory(ex: Expander, rng: random.Random, age: int, fresh: Fresh) -> str:
    """Where they grew up, what happened, and a secret: each part one the story's other
    sheets have not told; what happened and the secret are left out when every one is."""
    then = max(8, min(age - 2, rng.randint(12, 30)))
    origin = fresh.pick(lambda: ex("{c} grew up " + rng.choice(BANKS.origins) + "."))
    event = _told_once(
        fresh, lambda: ex(f"At {then}, " + "{c.they} " + rng.choice(BANKS.events) + ".")
    )
    secret = _told_once(fresh, lambda: ex(rng.choice(BANKS.secrets)))
    return " ".join(x for x in (origin, event, secret) if x)


def _arc(ex: Expander, sheet: dict[str, str]) -> str:
    flaw = aim(sheet["flaw"], 10)
    need = aim(sheet["need"], 12)
    flaw_text = flaw.raw if flaw else "old habits"
    need_text = need.noun if need else "something better"
    return ex.with_slots(flaw=Lit(flaw_text), need=Lit(need_text)).pick(BANKS.arcs)


def _appearance(
    ex: Expander, rng: random.Random, genres: list[Genre], age: int, fresh: Fresh
) -> str:
    """Build, age, a feature, clothes and a detail; a part every choice of which the
    story's other sheets have used is left out rather than said again."""
    clothes = BANKS.clothes.get(genres[0].key, BANKS.clothes["default"])
    ageing = rng.choice(BANKS.ageing) if age >= 45 else rng.choice(BANKS.young) if age < 24 else ""
    feature = _told_once(fresh, lambda: ", with " + ex.expand(rng.choice(BANKS.features)))
    wears = _told_once(fresh, lambda: "; wears " + ex.expand(rng.choice(clothes)))
    detail = _told_once(fresh, lambda: " " + ex.expand(rng.choice(BANKS.details)))
    return ex(upper_first(rng.choice(BANKS.builds)) + ageing + feature + wears + "." + detail)


def _told_once(fresh: Fresh, make: Callable[[], str]) -> str:
    """A fresh draw of ``make``, or "" when every draw repeats the story."""
    text = fresh.pick(make)
    return "" if fresh.clashes(text) else text


def relationships(
    bible: Bible, name: str, fig: Figure, rng: random.Random, fresh: Fresh | None = None
) -> str:
    """Ties to the cast already in the bible. A character whose sheet already names this
    one gets an answer to it (``ties_back``), not its words quoted back; no tie repeats
    one the story has (a tie that would is left out)."""
    fresh = fresh or Fresh()
    parts: list[str] = []
    used: set[str] = set()
    others = [o for o in bible.characters[:4] if o.key != name_key(name) and o.name.strip()]
    for i, other in enumerate(others):
        names_me = any(
            re.search(rf"\b{re.escape(short_name(name))}\b", seg, re.I)
            for seg in re.split(r"[;\n]", other.relationships)
        )
        ex = Expander(rng, {"c": fig, "o": Lit(short_name(other.name))})
        bank = BANKS.ties_back if names_me else BANKS.ties
        fresh_first = [t for t in bank if t not in used]  # no sheet says the same of two
        rng.shuffle(fresh_first)
        order = fresh_first + [t for t in bank if t in used]
        before = parts[-1] + "; " if parts else ""
        after = f"; {others[i + 1].name}:" if i + 1 < len(others) else ""
        drawn = [(t, f"{other.name}: " + ex(t)) for t in order]
        found = next(((t, x) for t, x in drawn if not fresh.clashes(before + x + after)), None)
        if found is None:  # every tie to them is told already: say none rather than repeat
            continue
        used.add(found[0])
        parts.append(found[1])
    return "; ".join(parts)


def _alias(bible: Bible, name: str, job: str, rng: random.Random) -> str:
    if rng.random() < 0.45:
        return ""
    options = [nick for word, nick in BANKS.nicknames.items() if word in job.lower()]
    first = name.split()[0]
    if len(first) >= 6 and first.isalpha():
        options.append(first[: 3 if first[2] not in "aeiou" else 4])
    if len(name.split()) > 1:
        options.append(name.split()[-1])
    options = [o for o in options if bible.character(o) is None and o.casefold() != name.casefold()]
    others = [c for c in bible.characters if c.key != name_key(name)]
    taken = {a.strip().casefold() for c in others for a in c.aliases.split(",") if a.strip()}
    taken |= {w.casefold() for c in others for w in c.name.split()}  # a shared surname
    options = [o for o in options if o.casefold() not in taken]
    return rng.choice(options) if options else ""


def render_sheet(sheet: dict[str, str]) -> str:
    """The sheet as the bot shows it: the name, then "Label: value" lines for filled fields."""
    lines = [sheet.get("name", "")]
    lines += [f"{field_label(f)}: {one_line(sheet[f])}" for f in CHARACTER_FIELDS if sheet.get(f)]
    return "\n".join(lines)


def parse_sheet(text: str) -> dict[str, str] | None:
    """Read a rendered sheet back ("Name" then "Label: value" lines); None if it is not one."""
    rows = [r for r in text.strip().splitlines() if r.strip()]
    if len(rows) < 2:
        return None
    by_label = {field_label(f).lower(): f for f in CHARACTER_FIELDS}
    sheet: dict[str, str] = {"name": rows[0].strip()}
    for row in rows[1:]:
        label_text, sep, value = row.partition(":")
        field = by_label.get(label_text.strip().lower())
        if sep and field:
            sheet[field] = value.strip()
    return sheet if len(sheet) > 1 else None


def complete(sheet: dict[str, str]) -> dict[str, str]:
    """Every field present, as strings."""
    return {"name": sheet.get("name", ""), **{f: str(sheet.get(f, "")) for f in CHARACTER_FIELDS}}
