"""Scene and story summaries through a model, grounded in what the scene or bible says.

One call each, with a JSON schema. The answer is checked against its source before it is
shown: a "want" or "turn" must quote a line that is in the scene, spoken by the speaker the
model names; a character arc must belong to a character of this story. What fails the
check is replaced by the offline summarizer's finding, so a model can make a summary
better but never put words in a character's mouth. If the call itself fails, the offline
summary is shown with a note saying why.
"""

from __future__ import annotations

import logging
from typing import Any

from core.errors import CommandError
from core.models import Bible
from generation.prompts import Message
from generation.sheets import find_json_object
from generation.summarize.scene import SceneLine, SceneSummary, parse_scene
from generation.summarize.scene import summarize_scene as scene_offline
from generation.summarize.storyline import StorySummary, main_characters
from generation.summarize.storyline import summarize_story as story_offline
from generation.textkit import fold

log = logging.getLogger(__name__)

MAX_SCENE_CHARS = 24_000
"""A scene longer than this is cut before it is sent (a scene, not a screenplay)."""

_STR = {"type": "string"}
SCENE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["wants", "opening", "ending", "turn_speaker", "turn_line"],
    "properties": {
        "wants": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["speaker", "line"],
                "properties": {"speaker": _STR, "line": _STR},
            },
        },
        "opening": _STR,
        "ending": _STR,
        "turn_speaker": _STR,
        "turn_line": _STR,
    },
}
STORY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["synopsis", "arcs", "undecided"],
    "properties": {
        "synopsis": {"type": "array", "items": _STR},
        "arcs": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "arc"],
                "properties": {"name": _STR, "arc": _STR},
            },
        },
        "undecided": {"type": "array", "items": _STR},
    },
}

_SYSTEM = (
    "You are a script editor in a TV writers' room. You summarize faithfully: you only "
    "report what the material says, you quote lines exactly, and you never invent."
)


def _call(kind: str, story_id: int = 0) -> Any:
    from generation.openai_chat import ModelCall

    return ModelCall(kind, story_id)


async def summarize_scene_with_model(text: str, model: Any) -> SceneSummary:
    offline = scene_offline(text)
    prompt: list[Message] = [
        {"role": "system", "content": _SYSTEM},
        {
            "role": "user",
            "content": (
                "Summarize this scene for the room. For each speaker, quote the one line that says "
                "most plainly what they want. Say in a sentence how the scene opens and how it "
                "ends (what has changed). Quote the line where the scene turns, and who says it. "
                "Answer with JSON: wants [{speaker, line}], opening, ending, turn_speaker, "
                "turn_line.\n\nScene:\n" + text[:MAX_SCENE_CHARS]
            ),
        },
    ]
    try:
        answer = await model.complete(
            prompt, _call("summary-scene"), json_schema=("scene_summary", SCENE_SCHEMA)
        )
    except CommandError as exc:
        offline.notes.append(
            f"The model could not summarize this scene ({exc.message}); "
            "this is the extractive summary."
        )
        return offline
    data = find_json_object(answer.text) or {}
    return ground_scene(text, data, offline, model_name(model))


def ground_scene(
    text: str, data: dict[str, Any], offline: SceneSummary, engine: str
) -> SceneSummary:
    """The model's scene summary, keeping only quotes that are really in the scene."""
    _, lines = parse_scene(text)
    spoken = {(fold(ln.speaker or ""), fold(ln.text)) for ln in lines if ln.speaker}
    by_key = {fold(s): s for s in offline.speakers}

    def said(speaker: str, line: str) -> str | None:
        who = by_key.get(fold(speaker))
        quote = fold(line).strip(" \"“”'")
        if who is None or len(quote) < 3:
            return None
        if any(fold(who) == s and quote in t for s, t in spoken):
            return who
        return None

    wants = dict(offline.wants)
    dropped = 0
    for item in data.get("wants") or []:
        if not isinstance(item, dict):
            continue
        line = str(item.get("line") or "").strip().strip('"“”')
        who = said(str(item.get("speaker") or ""), line)
        if who is None:
            dropped += 1
            continue
        wants[who] = line
    turn = offline.turn
    turn_line = str(data.get("turn_line") or "").strip().strip('"“”')
    turn_who = said(str(data.get("turn_speaker") or ""), turn_line)
    if turn_who is not None:
        turn = SceneLine(turn_who, turn_line)
    elif turn_line:
        dropped += 1
    notes = list(offline.notes)
    if dropped:
        notes.append(
            f"{dropped} quote(s) from the model were not in the scene and were "
            "replaced by lines found in it."
        )
    opening = str(data.get("opening") or "").strip() or offline.opening
    ending = str(data.get("ending") or "").strip() or offline.ending
    return SceneSummary(
        offline.heading,
        offline.speakers,
        [(s, wants[s]) for s in offline.speakers if wants.get(s)],
        opening,
        ending,
        turn,
        offline.line_count,
        extractive=False,
        engine=engine,
        notes=notes,
    )


async def summarize_story_with_model(bible: Bible, model: Any) -> StorySummary:
    offline = story_offline(bible)
    cast = main_characters(bible)
    story = bible.story
    beats = [
        f"Act {b.act}: {b.text}" for b in sorted(bible.beats, key=lambda b: (b.act, b.position))
    ]
    sheets = [
        f"- {c.name} ({c.role or 'no role'}): want: {c.want or '?'}; need: {c.need or '?'}; "
        f"flaw: {c.flaw or '?'}; arc: {c.arc or '?'}"
        for c in cast
    ]
    material = "\n".join(
        [
            f"Title: {story.title}",
            f"Logline: {story.logline or '(none)'}",
            f"Genre: {story.genre or '(none)'}; tone: {story.tone or '(none)'}",
            f"Synopsis: {story.synopsis or '(none)'}",
            "Beats:",
            *(beats or ["(none)"]),
            "Main characters:",
            *(sheets or ["(none)"]),
            "Notes:",
            *([f"- {n.text}" for n in bible.notes] or ["(none)"]),
        ]
    )
    prompt: list[Message] = [
        {"role": "system", "content": _SYSTEM},
        {
            "role": "user",
            "content": (
                "Here is a story bible. Write the story so far as a short synopsis (one to four "
                "paragraphs) from what it establishes; each main character's arc in one "
                "sentence; and what is still undecided. Do not add events the bible does not "
                "have. Answer with JSON: synopsis [paragraphs], arcs [{name, arc}], "
                "undecided [items].\n\n" + material[:MAX_SCENE_CHARS]
            ),
        },
    ]
    try:
        answer = await model.complete(
            prompt, _call("summary-story", story.id), json_schema=("story_summary", STORY_SCHEMA)
        )
    except CommandError as exc:
        offline.undecided.append(f"(The model could not summarize the story: {exc.message})")
        return offline
    data = find_json_object(answer.text) or {}
    names = {fold(c.name): c.name for c in cast}
    arcs = dict(offline.arcs)
    for item in data.get("arcs") or []:
        if isinstance(item, dict) and fold(str(item.get("name") or "")) in names:
            arc = str(item.get("arc") or "").strip()
            if arc:
                arcs[names[fold(str(item["name"]))]] = arc
    synopsis = [str(p).strip() for p in data.get("synopsis") or [] if str(p).strip()]
    undecided = [str(u).strip() for u in data.get("undecided") or [] if str(u).strip()]
    return StorySummary(
        offline.title,
        offline.logline,
        synopsis or offline.synopsis,
        f"{offline.synopsis_source}, told by the model" if synopsis else offline.synopsis_source,
        [(c.name, arcs.get(c.name, "")) for c in cast],
        undecided or offline.undecided,
        extractive=False,
        engine=model_name(model),
        counts=offline.counts,
    )


def model_name(model: Any) -> str:
    return str(getattr(model, "name", "") or "model")
