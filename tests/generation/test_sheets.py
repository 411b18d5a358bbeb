from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Bible, Character, Story, field_label
from generation.base import WritingTask
from generation.openai_engine import OpenAIEngine
from generation.sheets import (
    SHEET_FAILURE,
    SHEET_SCHEMA,
    Invalid,
    clean_field_value,
    parse_outline,
    parse_sheet,
    render_sheet,
    validate_outline,
    validate_sheet,
)
from tests.fakes import FAKE_MODEL, FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(15)

BIBLE = Bible(
    Story(
        1,
        ("terminal", "local", "room"),
        title="Saltwater",
        logline="A diver finds a door on the seabed.",
    ),
    characters=(Character("Mara", role="protagonist"),),
)


def full_sheet(name: str = "Tove", **overrides: Any) -> dict[str, Any]:
    sheet: dict[str, Any] = {"name": name}
    sheet.update({f: f"{field_label(f)} of {name}." for f in CHARACTER_FIELDS})
    sheet.update(overrides)
    return sheet


# --- parsing "Label: value" lines -----------------------------------------------------

MESSY_SHEET = """Sure! Here is the character sheet you asked for.

**Name:** Tove Lind
- **Pronouns**: she/her
* AGE: 61
1. role: harbour pilot
**One-liner:** Knows every rock in the sound.
Appearance: Weathered, a yellow oilskin.
### Personality: Patient until she is not.
Wants: To retire before the Door opens.
Need: To forgive her brother.
FLAW: Pride.
Backstory: Lost her licence once,
and won it back.
Character arc: From silence to testimony.
Voice: Slow, nautical.
Sample Line: "The sea keeps its own books."
Relationships: Mara's godmother.
Aliases: N/A

Let me know if you'd like any changes!"""


def test_lines_are_parsed_tolerantly() -> None:
    sheet = parse_sheet(MESSY_SHEET)
    assert sheet["name"] == "Tove Lind"
    assert sheet["pronouns"] == "she/her"
    assert sheet["age"] == "61"
    assert sheet["role"] == "harbour pilot"
    assert sheet["one_line"] == "Knows every rock in the sound."
    assert sheet["personality"] == "Patient until she is not."
    assert sheet["want"] == "To retire before the Door opens."
    assert sheet["flaw"] == "Pride."
    assert sheet["backstory"] == "Lost her licence once,\nand won it back."
    assert sheet["arc"] == "From silence to testimony."
    assert sheet["sample_line"] == '"The sea keeps its own books."'
    assert sheet["aliases"] == ""
    assert "Let me know" not in json.dumps(sheet)


def test_logline_is_a_synonym_for_one_line() -> None:
    assert parse_sheet("Name: Tove\nLogline: A pilot.")["one_line"] == "A pilot."


def test_json_answers_are_read_even_fenced_or_with_loose_keys() -> None:
    fenced = "```json\n" + json.dumps({"Name": "Tove", "One-liner": "A pilot."}) + "\n```"
    sheet = parse_sheet(fenced)
    assert sheet == {"name": "Tove", "one_line": "A pilot."}
    assert parse_sheet('Here you go: {"name": "Tove"} hope it helps')["name"] == "Tove"


@given(
    st.fixed_dictionaries(
        {
            f: st.text(alphabet="abc XYZ.,'", min_size=1, max_size=30)
            .map(str.strip)
            .filter(lambda s: s and s.lower().strip(" .") not in {"", "na", "none", "null"})
            for f in ("name", *CHARACTER_FIELDS)
        }
    ),
    st.sampled_from(
        [
            "{label}: {value}",
            "**{label}:** {value}",
            "- {label}: {value}",
            "{LABEL}: {value}",
            "**{label}**: {value}",
        ]
    ),
)
def test_rendered_lines_parse_back(sheet: dict[str, str], style: str) -> None:
    lines = [
        style.format(
            label=field_label(k) if k != "name" else "Name",
            LABEL=(field_label(k) if k != "name" else "Name").upper(),
            value=v,
        )
        for k, v in sheet.items()
    ]
    assert parse_sheet("\n".join(lines)) == sheet


# --- validating sheets ----------------------------------------------------------------


def test_a_full_sheet_validates_and_keeps_writer_fields() -> None:
    sheet = validate_sheet(full_sheet(age="40"), keep={"age": "61", "name": "Tove"})
    assert sheet["age"] == "61"
    assert set(sheet) == {"name", *CHARACTER_FIELDS}
    assert render_sheet(sheet).startswith("**Tove**\n**Pronouns:** Pronouns of Tove.")


@pytest.mark.parametrize(
    ("sheet", "problem"),
    [
        (full_sheet(name=""), "no name"),
        ({k: v for k, v in full_sheet().items() if k != "name"}, "no name"),
        (full_sheet(age=61), '"age" must be a string'),
        (full_sheet(relationships=["Mara"]), '"relationships" must be a string'),
        (full_sheet(appearance=None), '"appearance" must be a string'),
        (full_sheet(backstory="x" * 5000), '"backstory" is 5000 characters'),
        (full_sheet(name="Tove " * 40), "a name is a few words"),
        ({"name": "Tove", "role": "pilot", "age": "61"}, "fields are empty"),
    ],
)
def test_junk_sheets_are_refused(sheet: dict[str, Any], problem: str) -> None:
    with pytest.raises(Invalid, match=problem):
        validate_sheet(sheet)


def test_field_values_lose_labels_and_quotes() -> None:
    assert clean_field_value("want", "**Want:** To be left alone.") == "To be left alone."
    assert clean_field_value("want", '"To be left alone."') == "To be left alone."
    assert clean_field_value("sample_line", '"Go."') == '"Go."'
    assert clean_field_value("want", "Wants: money") == "money"


# --- outlines -------------------------------------------------------------------------


MESSY_OUTLINE = """Here is the outline.

**ACT ONE: The Find**
1. Mara finds the Door.
2. Jonah learns of it.

## Act II
- Beat 1: Ines dives first.
- Ines does not come back.

Act 3 —
* The Door opens inward.
"""


def test_outline_lines_are_parsed_tolerantly() -> None:
    outline = validate_outline(parse_outline(MESSY_OUTLINE), acts=3)
    assert outline == {
        "acts": [
            {"act": 1, "beats": ["Mara finds the Door.", "Jonah learns of it."]},
            {"act": 2, "beats": ["Ines dives first.", "Ines does not come back."]},
            {"act": 3, "beats": ["The Door opens inward."]},
        ]
    }


@pytest.mark.parametrize(
    ("outline", "problem"),
    [
        ({}, 'no "acts"'),
        ({"acts": [{"act": 1, "beats": ["a"]}]}, "needs exactly 3"),
        ({"acts": [{"act": 1, "beats": []}] * 3}, "act 1 has no beats"),
        ({"acts": [{"act": 1, "beats": [{"text": "a"}]}] * 3}, "must be a string"),
        ({"acts": [{"act": 1, "beats": ["b" * 900]}] * 3}, "one sentence"),
    ],
)
def test_junk_outlines_are_refused(outline: dict[str, Any], problem: str) -> None:
    with pytest.raises(Invalid, match=problem):
        validate_outline(outline, acts=3)


# --- the engine's structured paths against the fake server ----------------------------


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
async def engine(server: FakeOpenAIServer) -> AsyncIterator[OpenAIEngine]:
    async with OpenAIEngine(
        model=FAKE_MODEL,
        api_key="sk-test-sheets",
        base_url=server.base_url,
        timeout=3,
        max_retries=0,
    ) as opened:
        yield opened


def character_task(**params: Any) -> WritingTask:
    return WritingTask("character", BIBLE, 3, {"name": "Tove", "brief": "", "fields": {}, **params})


async def test_sheet_via_json_schema(engine: OpenAIEngine, server: FakeOpenAIServer) -> None:
    server.push(FakeReply.say_json(full_sheet(name="Tove")))
    draft = await engine.write(character_task())
    assert draft.data == full_sheet(name="Tove")
    assert draft.text.startswith("**Tove**")
    fmt = server.last_body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["schema"] == SHEET_SCHEMA
    assert set(fmt["json_schema"]["schema"]["required"]) == {"name", *CHARACTER_FIELDS}


async def test_sheet_keeps_the_writers_name_and_fields(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say_json(full_sheet(name="Tove Lind", age="30")))
    draft = await engine.write(character_task(fields={"age": "61"}))
    assert draft.data is not None
    assert draft.data["name"] == "Tove"
    assert draft.data["age"] == "61"


async def test_sheet_falls_back_to_lines_when_response_format_is_refused(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(
        FakeReply.rejecting_response_format(),
        FakeReply.say(MESSY_SHEET),
        FakeReply.say(MESSY_SHEET),
    )
    draft = await engine.write(character_task())
    assert draft.data is not None and draft.data["one_line"] == "Knows every rock in the sound."
    first, second = server.bodies
    assert "response_format" in first
    assert "response_format" not in second
    assert "One-line: ..." in second["messages"][1]["content"]
    await engine.write(character_task())  # the engine remembers: no response_format again
    assert "response_format" not in server.last_body
    assert len(server.bodies) == 3


async def test_an_unreadable_sheet_is_repaired_once(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    junk = json.dumps({"name": "Tove", "age": 61})
    server.push(FakeReply.say(junk), FakeReply.say_json(full_sheet(name="Tove")))
    draft = await engine.write(character_task())
    assert draft.data == full_sheet(name="Tove")
    repair = server.last_body["messages"]
    assert repair[-2] == {"role": "assistant", "content": junk}
    assert '"age" must be a string' in repair[-1]["content"]
    assert server.last_body["temperature"] < server.bodies[0]["temperature"]
    assert draft.usage is not None
    assert draft.usage.completion_tokens > 0


async def test_junk_twice_is_refused_and_nothing_returned(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say("I'd rather not."), FakeReply.say('{"name": ""}'))
    with pytest.raises(GenerationError) as caught:
        await engine.write(character_task())
    assert caught.value.message == SHEET_FAILURE
    assert len(server.bodies) == 2


async def test_revised_sheet_comes_back_as_data(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say_json(full_sheet(name="Mara", age="70")))
    task = WritingTask(
        "revise",
        BIBLE,
        4,
        {"instruction": "make her older", "artifact_kind": "character"},
        focus=BIBLE.characters,
        artifact="**Mara**\n**Age:** 34",
    )
    draft = await engine.write(task)
    assert draft.data is not None and draft.data["age"] == "70"
    assert "**Age:** 34" in server.last_body["messages"][1]["content"]


async def test_outline_via_schema_and_via_lines(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    acts = {"acts": [{"act": i, "beats": [f"Beat {i}a.", f"Beat {i}b."]} for i in (1, 2, 3)]}
    server.push(FakeReply.say_json(acts))
    task = WritingTask("outline", BIBLE, 5, {"acts": 3, "direction": ""})
    draft = await engine.write(task)
    assert draft.data == acts
    assert draft.text.startswith("**Act 1**\n1. Beat 1a.\n2. Beat 1b.")
    assert server.last_body["response_format"]["json_schema"]["name"] == "outline"

    server.push(FakeReply.rejecting_response_format(), FakeReply.say(MESSY_OUTLINE))
    draft = await engine.write(task)
    assert draft.data is not None and len(draft.data["acts"]) == 3


async def test_develop_returns_the_one_field(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say("Want: To sink the Door for good."))
    task = WritingTask(
        "develop", BIBLE, 6, {"field": "want", "direction": "darker"}, focus=BIBLE.characters
    )
    draft = await engine.write(task)
    assert draft.data == {"want": "To sink the Door for good."}
    assert draft.text == "To sink the Door for good."
