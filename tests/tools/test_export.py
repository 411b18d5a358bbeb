"""/story export: Fountain read by an independent parser (screenplain), Final Draft XML
checked against the document's structure, JSON read back to the same bible."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from bot.app import App
from core.models import Beat, Bible, Character, Location, Note, Revision, Scene, Story
from core.types import Reply
from generation.export import export, from_json, slug
from generation.export.fdx import PARAGRAPH_TYPES
from tests.bot.helpers import Session
from tests.core.screenplain_reader import read

AIRLOCK = """INT. AIRLOCK - NIGHT

Frost on the viewports. MARA (41) works alone.

MARA
(quietly)
You know why I'm here.
It's about the salvage.

JONAH
There's nothing to talk about.

CUT TO:
"""

NO_HEADING = """Jonah counts the crates. /* not a comment */ and [[not a note]]

@McCLANE (V.O.)
Yippee.

The sign on the hatch reads:
INT. is what it says, an action line in the draft
"""


def _bible() -> Bible:
    story = Story(
        id=1,
        key=("slack", "T1", "C1"),
        title="The Long Dark: Part 1",
        logline="A salvage pilot must pay off her debt.",
        genre="space noir",
    )
    return Bible(
        story=story,
        characters=(
            Character(
                "Mara Quell",
                id=1,
                story_id=1,
                pronouns="she/her",
                age="41",
                role="protagonist",
                want="To be free",
            ),
            Character("Jonah Vale", id=2, story_id=1, pronouns="he/him", role="antagonist"),
        ),
        locations=(Location("The airlock", id=1, story_id=1, description="Cold."),),
        beats=(
            Beat(1, 0, "Mara takes the job.", id=1, story_id=1),
            Beat(2, 0, "The storm comes.", id=2, story_id=1),
        ),
        scenes=(
            Scene("The airlock argument", AIRLOCK, id=1, story_id=1, created_at=1.5),
            Scene("crates", NO_HEADING, id=2, story_id=1, created_at=2.5),
        ),
        notes=(Note("Jonah's ship is called the Kestrel.", id=1, story_id=1),),
    )


def _revisions() -> list[Revision]:
    return [
        Revision(
            1,
            1,
            "character",
            1,
            "create",
            "U1",
            "dana",
            1.0,
            "added Mara",
            None,
            {"name": "Mara Quell"},
        ),
        Revision(2, 1, "scene", 1, "create", "U2", "lee", 2.0, "saved a scene"),
    ]


def test_fountain_export_parses_with_screenplain_into_the_same_script() -> None:
    made = export(_bible(), "fountain", _revisions(), "2025-01-02")
    assert made.filename == "the-long-dark-part-1.fountain"
    title_page, elements = read(made.content.decode())
    assert title_page["Title"] == ["The Long Dark: Part 1"]
    assert title_page["Authors"] == ["dana", "lee"]
    assert title_page["Draft date"] == ["2025-01-02"]
    assert title_page["Notes"] == ["A salvage pilot must pay off her debt."]
    assert elements[:8] == [
        ("heading", "INT. AIRLOCK - NIGHT"),
        ("action", "Frost on the viewports. MARA (41) works alone."),
        ("character", "MARA"),
        ("parenthetical", "(quietly)"),
        ("dialogue", "You know why I'm here. It's about the salvage."),
        ("character", "JONAH"),
        ("dialogue", "There's nothing to talk about."),
        ("transition", "CUT TO:"),
    ]
    # the second scene had no heading: it gets one from its title; text a reader would
    # hide (boneyard, notes) or misread (a heading-like action line) stays visible action
    rest = elements[8:]
    assert rest[0] == ("heading", "CRATES")
    assert rest[1][0] == "action" and "not a comment" in rest[1][1] and "not a note" in rest[1][1]
    assert rest[2] == ("character", "MCCLANE (V.O.)")
    assert rest[3] == ("dialogue", "Yippee.")
    assert rest[4][0] == "action"
    assert rest[5] == ("action", "INT. is what it says, an action line in the draft")
    assert [k for k, _ in elements].count("heading") == 2


def test_fountain_export_without_scenes_is_a_title_page() -> None:
    bible = Bible(story=Story(id=1, key=("t", "l", "c"), title="Empty"))
    title_page, elements = read(export(bible, "fountain").content.decode())
    assert title_page["Title"] == ["Empty"] and elements == []


def test_fdx_export_follows_final_draft_structure() -> None:
    made = export(_bible(), "fdx", _revisions(), "2025-01-02")
    assert made.filename.endswith(".fdx") and made.content.startswith(b"<?xml")
    root = ET.fromstring(made.content)
    assert root.tag == "FinalDraft" and root.get("DocumentType") == "Script"
    assert [child.tag for child in root] == ["Content", "TitlePage"]
    paragraphs = root.findall("./Content/Paragraph")
    assert all(p.get("Type") in PARAGRAPH_TYPES for p in paragraphs)
    assert all([t.tag for t in p] == ["Text"] for p in paragraphs)
    typed = [(p.get("Type"), p.findtext("Text")) for p in paragraphs]
    assert typed[:5] == [
        ("Scene Heading", "INT. AIRLOCK - NIGHT"),
        ("Action", "Frost on the viewports. MARA (41) works alone."),
        ("Character", "MARA"),
        ("Parenthetical", "(quietly)"),
        ("Dialogue", "You know why I'm here. It's about the salvage."),
    ]
    assert ("Character", "MCCLANE (V.O.)") in typed and ("Transition", "CUT TO:") in typed
    title = [p.findtext("Text") for p in root.findall("./TitlePage/Content/Paragraph")]
    assert title[0] == "THE LONG DARK: PART 1" and "dana" in title and "2025-01-02" in title


def test_fdx_drops_characters_xml_cannot_hold() -> None:
    bible = Bible(
        story=Story(id=1, key=("t", "l", "c"), title="Bell\x07"),
        scenes=(Scene("s", "Ring the bell\x07 & run <now>.\n"),),
    )
    root = ET.fromstring(export(bible, "fdx").content)
    texts = [t.text for t in root.iter("Text")]
    assert "Ring the bell & run <now>." in texts


def test_json_export_round_trips_every_entry_and_the_history() -> None:
    bible, revisions = _bible(), _revisions()
    text = export(bible, "json", revisions, "2025-01-02").content.decode()
    data = json.loads(text)
    assert list(data) == sorted(data)  # stable, sorted keys
    assert {
        "format",
        "version",
        "story",
        "characters",
        "locations",
        "beats",
        "scenes",
        "notes",
        "revisions",
    } <= set(data)
    back, back_revisions = from_json(text)
    assert back == bible and back_revisions == revisions


def test_markdown_export_holds_the_whole_bible() -> None:
    md = export(_bible(), "markdown").content.decode()
    for expected in (
        "# The Long Dark: Part 1",
        "**Logline:** A salvage pilot",
        "### Mara Quell",
        "**Pronouns:** she/her",
        "## Locations",
        "### Act 2",
        "1. The storm comes.",
        "```fountain\nINT. AIRLOCK - NIGHT",
        "## Notes",
        "the Kestrel",
    ):
        assert expected in md


def test_slug_is_safe_for_every_platform() -> None:
    assert slug("Ünïcode / ../../etc") == "n-code-etc"
    assert slug("!!!") == "story"


async def test_story_export_in_the_terminal_writes_under_the_data_directory(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara pronouns:she/her")
    await s.say("/character new Jonah pronouns:he/him")
    await s.say("/dialogue Mara Jonah: the airlock argument")
    await s.say("save")
    out = await s.say("/story export fountain")
    path = Path(out.split("Written to ")[1].split()[0].strip("`"))
    assert path.is_relative_to(app.settings.data_dir) and path.suffix == ".fountain"
    _, elements = read(await asyncio.to_thread(path.read_text))
    assert ("character", "MARA") in elements and ("character", "JONAH") in elements
    out = await s.say("/story export json")
    assert "2 characters" in out
    path = Path(out.split("Written to ")[1].split()[0].strip("`"))
    bible, revisions = from_json(await asyncio.to_thread(path.read_text))
    assert sorted(c.name for c in bible.characters) == ["Jonah", "Mara"] and len(revisions) >= 3


async def test_story_export_attaches_the_file_where_the_platform_uploads(app: App) -> None:
    from core.types import Author, Capabilities, Place
    from tests.tools.recorder import Recorder

    place = Place("slack", "T1", "C1")
    recorder = Recorder(place)
    job = await app.dispatcher.handle_text(
        "/story export markdown",
        place,
        Author("U1", "dana"),
        recorder,
        Capabilities(upload_files=True),
    )
    assert job is not None
    await job.wait()
    final: Reply = recorder.replies[-1]
    assert len(final.files) == 1 and final.files[0].filename == "untitled.md"
    assert final.files[0].content.startswith(b"# Untitled")
    assert not (app.settings.data_dir / "exports").exists()  # nothing left on disk


def test_discord_pages_carry_export_files_from_memory() -> None:
    import warnings

    with warnings.catch_warnings():  # discord.py imports audioop (voice); see the Discord conftest
        warnings.simplefilter("ignore", DeprecationWarning)
        from bot.adapters.discord.render import render
    from core.types import FileRef

    pages = render(Reply(title="Export", body="Fountain", files=(FileRef("a.fountain", b"x"),)))
    assert [f.filename for f in pages[0].files] == ["a.fountain"]


def test_fountain_and_fdx_put_the_scenes_in_the_boards_order() -> None:
    bible = _bible()
    late, early = bible.scenes
    bible = dataclasses.replace(
        bible,
        scenes=(
            dataclasses.replace(late, beat_id=2),  # saved first, for the later beat
            dataclasses.replace(early, beat_id=1),
        ),
    )
    _, elements = read(export(bible, "fountain").content.decode())
    assert [text for kind, text in elements if kind == "heading"] == [
        "CRATES",
        "INT. AIRLOCK - NIGHT",
    ]
    root = ET.fromstring(export(bible, "fdx").content)
    headings = [
        p.findtext("Text") for p in root.iter("Paragraph") if p.get("Type") == "Scene Heading"
    ]
    assert headings == ["CRATES", "INT. AIRLOCK - NIGHT"]
