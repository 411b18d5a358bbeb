"""The prompts sent for each task, rendered from the readable templates in prompts/*.txt.

Dramatron's hierarchy: logline -> synopsis -> characters -> beats -> dialogue. Each step is
given only what it needs: the story's header, the synopsis where the step builds on it,
the characters and places chosen by ``generation.context``, and the thread's recent turns.
The dialogue step sees its speakers' sheets and the situation, not the whole synopsis.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from string import Template
from typing import Literal, TypedDict

from core.models import CHARACTER_FIELDS, field_label
from generation.base import TaskKind, WritingTask
from generation.context import DEFAULT_BUDGET, choose_context, render_location, request_text

Output = Literal["json", "lines"]
"""How a structured answer is asked for: a JSON object, or "Label: value" lines."""


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


SYNOPSIS_LENGTHS = {
    "logline": ("logline", "One or two sentences, at most 50 words."),
    "short": ("synopsis", "One paragraph of 120 to 200 words."),
    "page": ("synopsis", "Four to six paragraphs, about 500 to 700 words in all."),
}

WHAT = {
    "synopsis": "synopsis",
    "dialogue": "scene",
    "character": "character sheet",
    "develop": "character detail",
    "outline": "outline",
    "revise": "text",
    "continue": "text",
    "scene": "scene",
}
"""What each kind's artifact is called in a prompt."""

KEEP_FORM = {
    "dialogue": "Keep the Fountain screenplay format and each speaker's voice.",
    "scene": "Keep the Fountain screenplay format, its scene heading and each speaker's voice.",
    "synopsis": "Keep it prose in the present tense.",
    "outline": "Keep the acts and numbered beats.",
    "character": "Keep every field of the sheet.",
}

INSTRUCTIONS: dict[str, str] = {
    "shorter": "make it noticeably shorter, about half the length, keeping what matters most.",
    "longer": "make it longer, about half as long again, with more detail and no padding.",
}
"""What each ``generation.followups.Revision`` asks a model to do. A revise task carries
the revision the writer's words were read as ("tighter" arrives as "shorter"), or the
words themselves for anything else ("make her older")."""

# Which steps build on the synopsis (Dramatron: characters, beats and continuations do;
# the synopsis step writes it and the dialogue step works from the scene's situation).
_SEES_SYNOPSIS: frozenset[TaskKind] = frozenset(
    {"character", "develop", "outline", "revise", "continue"}
)
_BLANK_LINES = re.compile(r"\n{3,}")


@cache
def template(name: str) -> Template:
    """The template ``prompts/<name>.txt``, read once from the package."""
    text = resources.files("generation").joinpath("prompts", f"{name}.txt").read_text("utf-8")
    return Template(text)


def render(template_name: str, /, **values: str) -> str:
    """Fill a template; every placeholder must be given. Runs of blank lines collapse."""
    text = template(template_name).substitute(values)
    return _BLANK_LINES.sub("\n\n", text).strip()


def system_prompt() -> str:
    return render("system")


def artifact_kind(task: WritingTask) -> str:
    """For revise and continue, the kind that made the artifact; else the task's own kind."""
    if task.kind in ("revise", "continue"):
        return str(task.params.get("artifact_kind") or "text")
    return task.kind


def _section(heading: str, body: str) -> str:
    return f"{heading}\n{body}" if body.strip() else ""


def _line(label: str, value: object) -> str:
    return f"{label}: {value}" if value else ""


def _scene_fixed(task: WritingTask) -> tuple[str, ...]:
    """What a scene's prompt carries besides the bible, counted against the budget first."""
    if task.kind != "scene":
        return ()
    p = task.params
    return tuple(str(p.get(k) or "") for k in ("beat", "previous", "next_beat"))


def bible_block(task: WritingTask, *, budget: int, fixed: tuple[str, ...]) -> str:
    """The story bible and thread this task may see, chosen within ``budget`` tokens."""
    synopsis = ""
    if task.kind in _SEES_SYNOPSIS and artifact_kind(task) != "synopsis":
        synopsis = task.bible.story.synopsis
    context = choose_context(task, budget=budget, fixed=(*fixed, synopsis))
    return render(
        "bible",
        story=context.story or "Title: Untitled",
        synopsis=_line("Synopsis", synopsis),
        cast=_section("### Characters", context.cast_text()),
        places=_section("### Places", context.places_text()),
        thread=_section("## Thread so far", context.thread_text()),
    )


def format_block(
    structure: Literal["sheet", "outline"] | None, output: Output | None, task: WritingTask
) -> str:
    """How to lay out a structured answer; "" for free text."""
    if structure is None or output is None:
        return ""
    if structure == "sheet":
        keys = ["name", *CHARACTER_FIELDS]
        if output == "json":
            return render("sheet_json", keys=", ".join(f'"{k}"' for k in keys))
        labels = ["Name", *(field_label(f) for f in CHARACTER_FIELDS)]
        return render("sheet_lines", lines="\n".join(f"{label}: ..." for label in labels))
    acts = str(outline_acts(task))
    return render("outline_json" if output == "json" else "outline_lines", acts=acts)


def outline_acts(task: WritingTask) -> int:
    try:
        acts = int(task.params.get("acts") or 3)
    except (TypeError, ValueError):
        acts = 3
    return max(1, min(acts, 8))


def structure_of(task: WritingTask) -> Literal["sheet", "outline"] | None:
    """Which structured answer the task needs: a character sheet, an outline, or none."""
    kind = artifact_kind(task) if task.kind == "revise" else task.kind
    if kind == "character":
        return "sheet"
    if kind == "outline":
        return "outline"
    return None


def user_prompt(
    task: WritingTask, *, output: Output | None = None, budget: int = DEFAULT_BUDGET
) -> str:
    """The task's prompt: its bible and thread, then what to write and how."""
    params = task.params
    direction = _line("Direction from the writers", params.get("direction", ""))
    fixed = (request_text(task), task.artifact, *_scene_fixed(task))
    bible = bible_block(task, budget=budget, fixed=fixed)
    fmt = format_block(structure_of(task), output, task)

    if task.kind == "synopsis":
        what, rule = SYNOPSIS_LENGTHS.get(
            str(params.get("length") or "short"), SYNOPSIS_LENGTHS["short"]
        )
        return render("synopsis", bible=bible, length=what, length_rule=rule, direction=direction)
    if task.kind == "dialogue":
        speakers = ", ".join(c.name for c in task.focus) or "whoever the situation needs"
        return render(
            "dialogue", bible=bible, situation=str(params.get("situation", "")), speakers=speakers
        )
    if task.kind == "scene":
        return scene_prompt(task, bible)
    if task.kind == "character":
        given = params.get("fields") or {}
        kept = "\n".join(f"{field_label(k)}: {v}" for k, v in given.items() if v)
        return render(
            "character",
            bible=bible,
            name=str(params.get("name", "")),
            brief=_line("The writers' brief", params.get("brief", "")),
            given=_section("Keep these fields exactly as given:", kept),
            format=fmt,
        )
    if task.kind == "develop":
        field = str(params.get("field", ""))
        name = task.focus[0].name if task.focus else "the character"
        current = getattr(task.focus[0], field, "") if task.focus else ""
        return render(
            "develop",
            bible=bible,
            label=field_label(field),
            name=name,
            current=_line("Current value", current),
            direction=direction,
        )
    if task.kind == "outline":
        return render(
            "outline", bible=bible, acts=str(outline_acts(task)), direction=direction, format=fmt
        )
    kind = artifact_kind(task)
    what = WHAT.get(kind, "text")
    keep_form = KEEP_FORM.get(kind, "")
    if task.kind == "revise":
        instruction = str(params.get("instruction", "")).strip()
        instruction = INSTRUCTIONS.get(instruction, instruction)
        return render(
            "revise",
            bible=bible,
            what=what,
            artifact=task.artifact,
            instruction=instruction,
            keep_form=keep_form,
            format=fmt,
        )
    return render(
        "continue",
        bible=bible,
        what=what,
        artifact=task.artifact,
        keep_form=keep_form,
        direction=direction,
    )


def scene_prompt(task: WritingTask, bible: str) -> str:
    """One scene of a draft: the beat, its place, the recap of the scene before, the next
    beat; the bible block carries the story's header and the beat's characters."""
    p = task.params
    place = next((loc for loc in task.bible.locations if loc.id == p.get("location_id")), None)
    where = place.name.upper() if place is not None else "PLACE"
    heading = f"INT. or EXT. {where} - TIME"
    place_line = f"- The scene happens at {render_location(place)}" if place is not None else ""
    previous = str(p.get("previous") or "")
    return render(
        "scene",
        bible=bible,
        previous=_section("## The scene before", previous),
        number=str(p.get("number", 1)),
        total=str(p.get("total", 1)),
        act=str(p.get("act", 1)),
        beat=str(p.get("beat", "")),
        next=_line("The next beat (do not play it yet)", p.get("next_beat", "")),
        heading=heading,
        place=place_line,
    )


def build_messages(
    task: WritingTask, *, output: Output | None = None, budget: int = DEFAULT_BUDGET
) -> list[Message]:
    """The chat messages for ``task``: the shared system prompt and the task's prompt."""
    return [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": user_prompt(task, output=output, budget=budget)},
    ]


def repair_messages(messages: list[Message], answer: str, problem: str, what: str) -> list[Message]:
    """Send an unusable answer back with what was wrong with it, once."""
    return [
        *messages,
        {"role": "assistant", "content": answer},
        {"role": "user", "content": render("repair", problem=problem, what=what)},
    ]
