"""/story check: planted contradictions, clichés and repetition are found; clean material
raises nothing; the model's points count only when their quotes are in the bible."""

from __future__ import annotations

from bot.app import App
from core.models import Bible, Character, Note, Scene, Story
from generation.doctor import check, critique, render
from tests.bot.helpers import Session
from tests.tools.fake_critic import FakeCritic

STORY = Story(id=1, key=("t", "l", "c"), title="The Long Dark")
MARA = Character(
    "Mara Quell",
    pronouns="she/her",
    age="41",
    role="protagonist",
    appearance="Tall, with grey eyes and a burn scar on one wrist.",
    relationships="Jonah Vale: her younger brother; they have not spoken in years.",
)
JONAH = Character(
    "Jonah Vale",
    pronouns="he/him",
    age="36",
    role="antagonist",
    appearance="Soft-spoken, with a voice deeper than expected.",
)
TOM = Character(
    "Old Tom",
    pronouns="he/him",
    age="67",
    role="mentor",
    appearance="Weathered hands, a fisherman's jumper.",
)
IDA = Character(
    "Ida Crane",
    pronouns="they/them",
    age="29",
    role="harbour clerk",
    appearance="Ink on every finger.",
)

CLEAN_1 = """INT. AIRLOCK - NIGHT

Frost on the viewports. MARA QUELL (41) checks the seals twice.

MARA
The seal on the outer door is cracked again.

JONAH
Then we patch it before the tide turns.
"""
CLEAN_2 = """EXT. HARBOUR WALL - DAWN

Gulls fight over a split crate. Old Tom mends a net with quick, crooked fingers.

TOM
Your brother came by. He asked for the ledger.

MARA
He can ask the harbour master like everyone else.
"""

PLANTED = """INT. HARBOUR OFFICE - DAY

Mara, 29, slams the ledger on the desk. Mara's green eyes flash.

JONAH
You never listen, sis. Little did she know the storm was already here.

Ida watches Mara's husband Jonah pocket the key.

MARA
I found the letter you hid in the ledger.
"""
ECHO = """INT. AIRLOCK - NIGHT

Frost on the viewports. MARA QUELL (41) checks the seals twice.

MARA
The seal on the outer door is cracked again and nobody listens.

JONAH
Then we patch it before the tide turns.
"""


def _bible(*scenes: str, notes: tuple[str, ...] = ()) -> Bible:
    return Bible(
        story=STORY,
        characters=(MARA, JONAH, TOM, IDA),
        scenes=tuple(
            Scene(f"scene {i}", text, id=i, created_at=float(i)) for i, text in enumerate(scenes, 1)
        ),
        notes=tuple(Note(n, id=i) for i, n in enumerate(notes, 1)),
    )


def test_clean_material_raises_no_alarm() -> None:
    report = check(_bible(CLEAN_1, CLEAN_2, notes=("The Kestrel sank in the storm of '89.",)))
    assert report.continuity == () and report.cliches == () and report.repeating == ()
    assert report.observations == ()
    assert [n.novelty for n in report.novelty if n.label.startswith("scene")] == [1.0, 1.0]
    text = render(report)
    assert "No contradictions found" in text and "No stock phrases found" in text


def test_planted_contradictions_are_found_with_both_places_quoted() -> None:
    notes = ("Mara does not know about the letter until act three.",)
    report = check(_bible(CLEAN_1, PLANTED, notes=notes))
    found = {(c.subject, c.attribute): c for c in report.continuity}
    age = found[("Mara Quell", "age")]
    assert age.first.quote == "Age: 41" and "Mara, 29, slams the ledger" in age.second.quote
    assert age.second.where == "scene 2 · scene 2"
    eyes = found[("Mara Quell", "eye colour")]
    assert "grey eyes" in eyes.first.quote and "green eyes" in eyes.second.quote
    kin = found[("Jonah Vale", "relation to Mara Quell")]
    assert "younger brother" in kin.first.quote and "husband Jonah" in kin.second.quote
    secret = next(c for c in report.continuity if "letter" in c.attribute)
    assert "does not know about the letter" in secret.first.quote
    assert "I found the letter" in secret.second.quote
    assert len(report.continuity) == 4  # and nothing else: MARA QUELL (41) agrees


def test_stock_phrases_are_flagged_and_echoed_scenes_lose_novelty() -> None:
    report = check(_bible(CLEAN_1, PLANTED, ECHO))
    assert [c.phrase for c in report.cliches] == ["little did she know"]
    assert "Little did she know the storm" in report.cliches[0].quote
    scenes = {n.label: n for n in report.novelty if n.label.startswith("scene")}
    echo = scenes["scene 3 · scene 3"]
    assert echo.novelty < 0.5 and echo in report.repeating
    assert echo.repeats[0][0].startswith("frost on the viewports mara quell 41 checks")
    assert scenes["scene 2 · scene 2"].novelty > 0.9


def test_cast_patterns_are_observations_not_verdicts() -> None:
    cast = (
        Character("Ana", pronouns="she/her", age="30", role="protagonist"),
        Character("Bo", pronouns="he/him", age="61", role="antagonist", flaw="A scarred temper"),
        Character("Cy", pronouns="he/him", age="58", role="villain", appearance="scarred face"),
        Character("Di", pronouns="they/them", age="44", role="supporting"),
        Character("Ed", pronouns="they/them", age="35", role="sidekick"),
    )
    report = check(Bible(story=STORY, characters=cast))
    assert "Every antagonist (Bo, Cy) is he/him." in report.observations
    assert "Every antagonist (Bo, Cy) is 55 or older." in report.observations
    assert any("mentions “scarred”" in o for o in report.observations)
    assert any(
        o.startswith("Every they/them character (Di, Ed) is in a supporting role")
        for o in report.observations
    )
    assert "**Bo**: he/him · 61 · antagonist" in report.cast


def test_a_word_the_antagonists_share_only_as_filler_is_no_pattern() -> None:
    cast = (
        Character("Ana", pronouns="she/her", age="30", role="protagonist"),
        Character("Bo", role="antagonist", appearance="Always wears gloves; really tall"),
        Character("Cy", role="villain", personality="really wants to win; wears black"),
    )
    report = check(Bible(story=STORY, characters=cast))
    assert not any("mentions" in o for o in report.observations)


ANSWER = (
    '{"points": [{"section": "continuity", "point": "Tom knows too much",'
    ' "quote": "Your brother came by. He asked for the ledger.",'
    ' "where": "scene 2"},'
    ' {"section": "cast", "point": "invented", "quote": "a line nobody wrote",'
    ' "where": "scene 9"}]}'
)
"""One point quoting the material and one quoting nothing in it."""


async def test_model_critique_keeps_only_points_quoting_the_material() -> None:
    bible = _bible(CLEAN_1, CLEAN_2)
    model = FakeCritic(ANSWER)
    report = await critique(bible, check(bible), model, call=None)
    assert report.critique == (
        "Continuity: Tom knows too much (“Your brother came by. He asked "
        "for the ledger.”, scene 2)",
    )
    prompt = model.prompts[0][1]["content"]
    assert "Old Tom mends a net" in prompt and "No contradictions found" in prompt


async def test_story_check_in_the_terminal_reports_each_section(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara pronouns:she/her age:41 role:protagonist")
    out = await s.say("/story check")
    assert "Script doctor" in out and "Continuity" in out and "Cast" in out
    assert "Mara: she/her · 41 · protagonist" in out and "Checked offline" in out
