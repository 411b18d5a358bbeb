"""/story check balance: who speaks, the Bechdel–Wallace test and how sheets describe
people, by pronouns: planted patterns are reported with the lines they come from, a cast
described alike raises nothing, and a model's points stand only on quotes from the bible."""

from __future__ import annotations

import dataclasses

from bot.app import App
from core.models import Beat, Bible, Character, Scene, Story
from generation.doctor import check, critique, render
from generation.doctor.balance import balance
from tests.bot.helpers import Session
from tests.generation.offline.casting import offline_cast
from tests.tools.fake_critic import FakeCritic

STORY = Story(id=1, key=("t", "l", "c"), title="The Keeper")
ISLA = Character("Isla Brodie", id=1, pronouns="she/her", want="To learn what the logbook hides")
MORAG = Character("Morag Finlay", id=2, pronouns="she/her", want="To be believed at last")
CALLUM = Character("Callum Brodie", id=3, pronouns="he/him", want="To keep the lamp lit")
EWAN = Character("Ewan Reid", id=4, pronouns="he/him", want="To leave the island")
CAST = (ISLA, MORAG, CALLUM, EWAN)

PASSES = """INT. LAMP ROOM - NIGHT

ISLA
The lamp has not turned since midnight.

MORAG
Then the gears are seized again. Bring the oil.
"""
ABOUT_HIM = """INT. POST OFFICE - DAY

ISLA
Callum lied to me again.

MORAG
He always does, love.
"""
ONE_WOMAN = """EXT. GALLERY - DUSK

ISLA
Where were you the night of the wreck?

CALLUM
Tending the light.
"""
APART = """INT. KITCHEN - NIGHT

ISLA
Who brought the logbook?

CALLUM
I did.

MORAG
It was never yours to bring.

EWAN
Leave it.
"""


def bible(*scenes: str, cast: tuple[Character, ...] = CAST) -> Bible:
    beats = tuple(Beat(1, i, f"beat {i}", id=i) for i in range(1, len(scenes) + 1))
    return Bible(
        STORY,
        characters=cast,
        beats=beats,
        scenes=tuple(
            Scene(f"scene {i}", text, id=i, beat_id=i, created_at=i)
            for i, text in enumerate(scenes, 1)
        ),
    )


def test_bechdel_wallace_passes_and_fails_scene_by_scene_with_the_lines_quoted() -> None:
    b = balance(bible(PASSES, ABOUT_HIM, ONE_WOMAN, APART))
    one, two, three, four = b.scenes
    assert one.passes
    assert "ISLA: “The lamp has not turned since midnight.”" in one.why
    assert "MORAG: “Then the gears are seized again. Bring the oil.”" in one.why
    assert not two.passes and "about a man (“Callum”)" in two.why
    assert "ISLA: “Callum lied to me again.”" in two.why
    assert not three.passes and three.why == "only Isla Brodie speaks among the named women"
    assert not four.passes and "both speak, but never to each other" in four.why
    assert b.passes == (1,)
    text = "\n".join(render(check(bible(PASSES, ABOUT_HIM))).splitlines())
    assert "- Bechdel–Wallace, the draft: passes (scene 1)." in text
    assert "scene 2: does not pass: Isla Brodie and Morag Finlay talk, but about a man" in text


def test_no_scene_passing_is_said_of_the_draft() -> None:
    text = render(check(bible(ABOUT_HIM, ONE_WOMAN)), only_balance=True)
    assert "- Bechdel–Wallace, the draft: no scene passes." in text


def test_who_speaks_is_counted_per_character_and_by_pronouns() -> None:
    b = balance(bible(PASSES, APART))
    rows = {s.label: (s.speeches, s.words) for s in b.characters}
    assert rows["Isla Brodie"] == (2, 11) and rows["Callum Brodie"] == (1, 2)
    groups = {s.label: (s.speeches, s.speakers) for s in b.pronouns}
    assert groups == {"she/her": (4, 2), "he/him": (2, 2)}


SKEWED = (
    dataclasses.replace(
        ISLA,
        want="",
        one_line="A stunning redhead with long legs",
        appearance="Slender and petite, with full lips, long lashes and a tight red dress.",
    ),
    dataclasses.replace(
        MORAG,
        want="",
        one_line="A pretty, delicate blonde",
        appearance="Willowy and graceful, with porcelain skin and perfect hair.",
    ),
    dataclasses.replace(
        CALLUM,
        one_line="An engineer who built the island's only generator",
        want="To keep the lamp lit and run the station himself, whatever the board decides",
        appearance="Tall.",
        backstory="A violent man who beat a smuggler to death and shot his partner.",
    ),
    dataclasses.replace(
        EWAN,
        one_line="A skilled pilot who investigates every wreck",
        want="To win the salvage rights and build his own boat",
        appearance="Wiry.",
        flaw="Kills without thinking when cornered; quick with a knife.",
    ),
)


def test_sheets_that_describe_women_by_looks_and_men_by_deeds_are_observed_with_quotes() -> None:
    b = balance(bible(cast=SKEWED))
    [looks] = [o for o in b.observations if "to looks" in o]
    assert looks.startswith("The she/her sheets give") and "the he/him sheets" in looks
    assert "Isla Brodie's sheet · appearance: “Slender and petite" in looks
    assert "'s sheet · want: “To" in looks  # a he/him want, quoted
    assert "Worth a look if that is not what the story means." in looks
    [hurt] = [o for o in b.observations if o.startswith("Violence words")]
    assert "he/him" in hurt.split(":")[1].split(",")[0] and "she/her 0" in hurt
    assert "Callum Brodie's sheet · backstory: “A violent man who beat a smuggler" in hurt


def test_one_group_doing_the_talking_is_observed_with_its_longest_speech() -> None:
    talky = "INT. LAMP ROOM - NIGHT\n\n" + "\n\n".join(
        f"CALLUM\n{'Listen to me, the lamp is mine and so is this island. ' * 4}\n\n"
        f"ISLA\nNo.\n\nEWAN\n{'I saw the wreck go down and I said nothing to anyone. ' * 3}\n\n"
        "MORAG\nFine."
        for _ in range(2)
    )
    b = balance(bible(talky))
    [note] = [o for o in b.observations if "speak" in o]
    assert note.startswith("The he/him characters speak") and "as 2 of the 4 speakers" in note
    assert "CALLUM: “Listen to me, the lamp is mine" in note


def test_a_cast_described_alike_raises_no_observation() -> None:
    people = (
        ("Isla Brodie", "she/her"),
        ("Callum Brodie", "he/him"),
        ("Morag Finlay", "she/her"),
        ("Ewan Reid", "he/him"),
        ("Ash Gray", "they/them"),
    )
    story_bible = offline_cast(Bible(STORY), people, 50)
    even = "INT. LAMP ROOM - NIGHT\n\n" + "\n\n".join(
        f"{who}\nThe lamp needs oil before the tide turns tonight."
        for who in ("ISLA", "CALLUM", "MORAG", "EWAN", "ASH") * 3
    )
    b = balance(dataclasses.replace(story_bible, scenes=(Scene("even", even, id=1),)))
    assert b.observations == ()
    assert b.scenes[0].passes is False  # no woman answers another here; said, not judged


ANSWER = (
    '{"points": [{"section": "balance", "point": "Morag is described by her looks",'
    ' "quote": "Willowy and graceful, with porcelain skin", "where": "Morag"},'
    ' {"section": "balance", "point": "invented", "quote": "she only ever weeps",'
    ' "where": "scene 9"}]}'
)
"""One point quoting the bible and one quoting nothing in it."""


async def test_a_models_balance_points_stand_only_on_quotes_from_the_bible() -> None:
    story_bible = bible(PASSES, cast=SKEWED)
    model = FakeCritic(ANSWER)
    report = await critique(story_bible, check(story_bible), model, None, only_balance=True)
    assert report.critique == (
        "Balance: Morag is described by her looks (“Willowy and graceful, with porcelain "
        "skin”, Morag)",
    )
    prompt = model.prompts[0][1]["content"]
    assert "balance and bias only" in prompt and "Continuity" not in prompt
    assert "Bechdel–Wallace" in prompt


async def test_story_check_balance_alone_in_the_terminal(app: App) -> None:
    s = Session(app)
    await s.say("/character new Isla pronouns:she/her a lighthouse keeper")
    out = await s.say("/story check balance")
    assert "== Balance · " in out and "Balance and bias" in out
    assert "Continuity" not in out and "No saved scenes yet" in out
    full = await s.say("/story check")
    assert "Continuity" in full and "Balance and bias" in full
