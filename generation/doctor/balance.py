"""Balance and bias: who speaks how much, the Bechdel–Wallace test, and how the sheets
describe people, grouped by the pronouns on them.

Per sheet, the words spent on looks (the Appearance field, and words of ``looks``
elsewhere) are set against the words spent on agency (the Want field, and words of
what someone does or can do elsewhere), and violence words are counted. A pattern is
reported only when it is large enough to mean something, worded as an observation with
the lines it comes from, for the room to judge: it knows its story, and a story may mean
it. A cast described alike gets no observation at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Bible, Character, field_label
from generation.doctor.bechdel import SceneTest, bechdel
from generation.doctor.material import quote
from generation.doctor.speech import Share, Speech, by_character, by_pronouns, pronouns_of
from generation.doctor.speech import speeches as read_speeches
from generation.doctor.vocabulary import VOCABULARY
from generation.textkit import fold, words

LOOKS_GAP = 0.25
"""Looks' share of descriptive words must differ by this much between two groups."""
VIOLENCE_MIN = 3
"""A group's sheets need this many violence words in all before it is mentioned."""
SPEECH_MIN_WORDS = 150
SPEECH_SKEW = 1.5
"""A group speaking this many times its share of the speakers is mentioned."""
_SKIP = ("pronouns", "age", "role", "aliases")


@dataclass(frozen=True, slots=True)
class Weight:
    """How one sheet spends its words."""

    name: str
    pronouns: str
    looks: int
    agency: int
    violence: int
    looks_quote: str
    agency_quote: str
    violence_quote: str

    @property
    def looks_share(self) -> float:
        total = self.looks + self.agency
        return self.looks / total if total else 0.0


def _hits(text: str, vocabulary: frozenset[str]) -> list[str]:
    return [w for w in words(text) if w in vocabulary]


def _quote_of(c: Character, field: str, word: str | None = None) -> str:
    text = getattr(c, field)
    if word is None:
        piece = " ".join(text.split())
        piece = piece if len(piece) <= 140 else piece[:139].rstrip() + "…"
    else:
        at = fold(text).find(word)
        piece = quote(text, at, at + len(word), 140) if at >= 0 else text
    return f"{c.name}'s sheet · {field_label(field).lower()}: “{piece}”"


def weigh(c: Character) -> Weight:
    looks = len(words(c.appearance))
    agency = len(words(c.want))
    violence = 0
    looks_q = _quote_of(c, "appearance") if c.appearance else ""
    agency_q = _quote_of(c, "want") if c.want else ""
    violence_q = ""
    for field, value in c.sheet().items():
        if field in _SKIP:
            continue
        hurt = _hits(value, VOCABULARY.violence)
        violence += len(hurt)
        if hurt and not violence_q:
            violence_q = _quote_of(c, field, hurt[0])
        if field in ("appearance", "want"):
            continue
        seen, did = _hits(value, VOCABULARY.looks), _hits(value, VOCABULARY.agency)
        looks += len(seen)
        agency += len(did)
        if seen and not looks_q:
            looks_q = _quote_of(c, field, seen[0])
        if did and not agency_q:
            agency_q = _quote_of(c, field, did[0])
    return Weight(c.name, pronouns_of(c), looks, agency, violence, looks_q, agency_q, violence_q)


@dataclass(frozen=True, slots=True)
class Group:
    pronouns: str
    sheets: tuple[Weight, ...]

    @property
    def looks_share(self) -> float:
        counted = [w for w in self.sheets if w.looks + w.agency]
        return sum(w.looks_share for w in counted) / len(counted) if counted else 0.0

    @property
    def violence(self) -> int:
        return sum(w.violence for w in self.sheets)

    @property
    def violence_rate(self) -> float:
        return self.violence / len(self.sheets) if self.sheets else 0.0


def groups(cast: Sequence[Character]) -> list[Group]:
    """Sheets by pronoun group, named groups first ("not set" last)."""
    by: dict[str, list[Weight]] = {}
    for c in cast:
        w = weigh(c)
        by.setdefault(w.pronouns, []).append(w)
    order = sorted(by, key=lambda g: (g == "not set", g))
    return [Group(g, tuple(by[g])) for g in order]


@dataclass(frozen=True, slots=True)
class Balance:
    characters: tuple[Share, ...]
    pronouns: tuple[Share, ...]
    scenes: tuple[SceneTest, ...]
    sheets: tuple[Group, ...]
    observations: tuple[str, ...]
    speeches: tuple[Speech, ...] = ()

    @property
    def passes(self) -> tuple[int, ...]:
        return tuple(t.scene for t in self.scenes if t.passes)


def balance(bible: Bible) -> Balance:
    found = read_speeches(bible)
    sheet_groups = groups(bible.characters)
    notes = looks_notes(sheet_groups) + violence_notes(sheet_groups) + speech_notes(found)
    return Balance(
        characters=tuple(by_character(found)),
        pronouns=tuple(by_pronouns(found)),
        scenes=tuple(bechdel(bible)),
        sheets=tuple(sheet_groups),
        observations=tuple(notes),
        speeches=tuple(found),
    )


def looks_notes(found: Sequence[Group]) -> list[str]:
    named = [
        g for g in found if g.pronouns != "not set" and any(w.looks + w.agency for w in g.sheets)
    ]
    if len(named) < 2:
        return []
    high = max(named, key=lambda g: g.looks_share)
    low = min(named, key=lambda g: g.looks_share)
    if high.looks_share - low.looks_share < LOOKS_GAP:
        return []
    looks = max(high.sheets, key=lambda w: w.looks_share)
    acts = min(low.sheets, key=lambda w: (not w.agency_quote, w.looks_share))
    example = "; ".join(q for q in (looks.looks_quote, acts.agency_quote) if q)
    return [
        f"The {high.pronouns} sheets give {high.looks_share:.0%} of their descriptive words "
        f"to looks, the {low.pronouns} sheets {low.looks_share:.0%} (the rest goes to what "
        f"they want, do and can do). For instance {_closed(example)} Worth a look if that is "
        "not what the story means."
    ]


def violence_notes(found: Sequence[Group]) -> list[str]:
    named = [g for g in found if g.sheets]
    if len(named) < 2:
        return []
    top = max(named, key=lambda g: g.violence_rate)
    others = max(g.violence_rate for g in named if g is not top)
    if top.violence < VIOLENCE_MIN or top.violence_rate < 3 * max(others, 0.34):
        return []
    worst = max(top.sheets, key=lambda w: w.violence)
    rest = ", ".join(f"{g.pronouns} {g.violence}" for g in named if g is not top)
    return [
        f"Violence words on the sheets: {top.pronouns} {top.violence} across "
        f"{len(top.sheets)} sheet{'s' if len(top.sheets) != 1 else ''}, {rest}. "
        f"For instance {_closed(worst.violence_quote)}"
    ]


def speech_notes(found: Sequence[Speech]) -> list[str]:
    shares = [s for s in by_pronouns(found) if s.label != "not set"]
    total_words = sum(s.words for s in shares)
    speakers = sum(s.speakers for s in shares)
    if len(shares) < 2 or total_words < SPEECH_MIN_WORDS or not speakers:
        return []
    top = shares[0]
    word_share, people_share = top.words / total_words, top.speakers / speakers
    if word_share < SPEECH_SKEW * people_share:
        return []
    theirs = [s for s in found if pronouns_of(s.who) == top.label]
    longest = max(theirs, key=lambda s: len(s.text))
    return [
        f"The {top.label} characters speak {word_share:.0%} of the words in the saved "
        f"scenes, as {top.speakers} of the {speakers} speakers. The longest speech: "
        f"{longest.quote()} (scene {longest.scene})."
    ]


def _closed(text: str) -> str:
    """A sentence ending in a quote, closed with one full stop."""
    return text if text.endswith((".”", "!”", "?”", ".", "…”")) else text + "."


def render_balance(b: Balance, scene_count: int) -> list[str]:
    """The report's balance section, as markup lines."""
    out = ["**Balance and bias** (what the scenes and sheets show, for the room to judge)"]
    if scene_count == 0:
        out.append(
            "- No saved scenes yet: who speaks and the Bechdel–Wallace test need scenes "
            "(/draft, or save a /dialogue scene)."
        )
    elif not b.characters:
        out.append("- The saved scenes have no dialogue to count.")
    else:
        out.append("- Who speaks: " + "; ".join(_share(s) for s in b.characters[:10]))
        out.append("- By pronouns: " + "; ".join(_share(s, people=True) for s in b.pronouns))
    if scene_count:
        out.append("- Bechdel–Wallace, scene by scene:")
        out += [
            f"  - scene {t.scene}: {'passes' if t.passes else 'does not pass'}: {t.why}"
            for t in b.scenes
        ]
        where = ", ".join(str(n) for n in b.passes)
        out.append(
            f"- Bechdel–Wallace, the draft: passes (scene {where})."
            if b.passes
            else "- Bechdel–Wallace, the draft: no scene passes."
        )
    if b.sheets:
        out.append(
            "- Sheets, looks against agency (wants, actions, skills): "
            + "; ".join(
                f"{g.pronouns} {g.looks_share:.0%} looks ({len(g.sheets)} sheet"
                f"{'s' if len(g.sheets) != 1 else ''})"
                for g in b.sheets
            )
        )
        out.append(
            "- Violence words on the sheets: "
            + "; ".join(f"{g.pronouns} {g.violence}" for g in b.sheets)
        )
    if b.observations:
        out += ["", "_Worth a second look (observations, not verdicts):_"]
        out += [f"- {o}" for o in b.observations]
    return out


def _share(s: Share, *, people: bool = False) -> str:
    text = f"{s.label} {s.speeches} line{'s' if s.speeches != 1 else ''} · {s.words} words"
    if people:
        text += f" ({s.speakers} speaker{'s' if s.speakers != 1 else ''})"
    return text
