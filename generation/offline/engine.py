"""The offline draft engine: every writing task from the bible, with no model and no network.

It is the default engine and the test double. Drafts are deterministic for a seed and vary
between seeds in structure as well as wording; they use what the bible establishes (logline,
genre, tone, setting, the cast's sheets). Free-form revisions ("make her older") need a
model, and the engine says so instead of pretending.
"""

from __future__ import annotations

import random
import re
from typing import Any

from core import fountain
from core.errors import GenerationError
from core.models import Bible, Character
from generation.base import Draft, OnText, WritingTask
from generation.followups import split_revision
from generation.offline import characters, develop, dialogue_scenes, outline, synopsis
from generation.offline.plan import make_plan
from generation.offline.text import sentences

NAME = "offline draft engine"
_FOUNTAIN_BLOCK = re.compile(r"\n\s*\n")


class OfflineEngine:
    """Writes drafts from templates and the bible; implements generation.base.TextEngine."""

    name = NAME

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        note = ""
        if task.kind == "revise":
            text, data, note = _revise(task)
        else:
            text, data = _write(task)
        if on_text is not None:
            await _stream(text, on_text)
        return Draft(text=text, engine=NAME, data=data, note=note)


async def _stream(text: str, on_text: OnText) -> None:
    """Hand the draft over paragraph by paragraph, as a model would stream it."""
    parts = text.split("\n\n")
    for i in range(1, len(parts) + 1):
        await on_text("\n\n".join(parts[:i]))


def _write(task: WritingTask) -> tuple[str, dict[str, Any] | None]:
    p = task.params
    if task.kind == "synopsis":
        plan = make_plan(task.bible, task.seed, str(p.get("direction", "")), task.focus, "synopsis")
        return synopsis.write_synopsis(plan, str(p.get("length", "short"))), None
    if task.kind == "outline":
        plan = make_plan(task.bible, task.seed, str(p.get("direction", "")), task.focus, "outline")
        text, data = outline.write_outline(plan, outline.clamp_acts(p.get("acts", 3)))
        return text, data
    if task.kind == "dialogue":
        return dialogue_scenes.write_scene(
            task.bible, task.focus, str(p.get("situation", "")), task.seed
        ), None
    if task.kind == "scene":
        place = next((x for x in task.bible.locations if x.id == p.get("location_id")), None)
        return dialogue_scenes.write_scene(
            task.bible, task.focus, str(p.get("beat", "")), task.seed, place, roam=False
        ), None
    if task.kind == "character":
        sheet = characters.write_sheet(
            task.bible,
            str(p.get("name", "")),
            str(p.get("brief", "")),
            dict(p.get("fields") or {}),
            task.seed,
        )
        return characters.render_sheet(sheet), characters.complete(sheet)
    if task.kind == "develop":
        if not task.focus:
            raise GenerationError("Name the character whose sheet I should develop.")
        field = str(p.get("field", ""))
        value = develop.develop_field(
            task.bible, task.focus[0], field, str(p.get("direction", "")), task.seed
        )
        return value, {field: value}
    if task.kind == "continue":
        return _continue(task), None
    raise GenerationError(f"The offline draft engine cannot write '{task.kind}'.")


# --- continue ----------------------------------------------------------------------------


def _continue(task: WritingTask) -> str:
    kind = task.params.get("artifact_kind", "")
    if kind == "dialogue":
        return _more_scene(task.bible, task.focus, task.artifact, task.seed)
    if kind == "outline":
        return _next_act(task)
    if kind == "synopsis":
        return _next_paragraph(task)
    what = kind or "draft"
    raise GenerationError(
        f"The offline draft engine can continue a synopsis, an outline or a scene, not a {what}."
    )


def _more_scene(bible: Bible, focus: tuple[Character, ...], artifact: str, seed: int) -> str:
    """The scene goes on: the same speakers, a new exchange and a closing beat (no heading)."""
    speakers = fountain.speakers(artifact)
    cast: list[Character] = []
    for name in speakers:
        known = bible.character(name) or next(
            (c for c in focus if c.name.split()[0].casefold() == name.split()[0].casefold()), None
        )
        cast.append(known or Character(name=name.title()))
    more = dialogue_scenes.write_scene(bible, tuple(cast) or focus, "", seed + 7919)
    blocks = [b for b in _FOUNTAIN_BLOCK.split(more) if b.strip()]
    if blocks and fountain.parse(blocks[0])[0].kind == "heading":
        blocks = blocks[1:]
    return "\n\n".join(blocks[1:] if len(blocks) > 2 else blocks)


def _next_act(task: WritingTask) -> str:
    done = outline.parse(task.artifact)["acts"]
    number = (max((a["act"] for a in done), default=0) or 0) + 1
    plan = make_plan(
        task.bible, task.seed, str(task.params.get("direction", "")), task.focus, "outline"
    )
    _, data = outline.write_outline(plan, 3)
    beats = data["acts"][-1]["beats"]
    seen = {b.casefold() for a in done for b in a["beats"]}
    fresh = [b for b in beats if b.casefold() not in seen] or beats
    return outline.render({"acts": [{"act": number, "beats": fresh}]})


def _next_paragraph(task: WritingTask) -> str:
    plan = make_plan(task.bible, task.seed, "", task.focus, "synopsis")
    _, data = outline.write_outline(plan, 3)
    seen = {s.casefold() for s in sentences(task.artifact)}
    beats = [b for b in data["acts"][-1]["beats"] if b.casefold() not in seen]
    lines = [b if b.endswith((".", "!", "?")) else b + "." for b in beats]
    return " ".join(lines) or synopsis.write_synopsis(plan, "short")


# --- revise ------------------------------------------------------------------------------


def _revise(task: WritingTask) -> tuple[str, dict[str, Any] | None, str]:
    """ "shorter" and "longer" (what generation.followups reads a writer's words as); in a
    longer instruction, the part of it that is one of them, with a note naming the part
    left for a model ("shorter, and make Mara angrier"); anything else needs a model."""
    instruction = str(task.params.get("instruction", "")).strip()
    kind = str(task.params.get("artifact_kind", ""))
    artifact = task.artifact.strip()
    revision, rest = (
        (instruction, "") if instruction in ("shorter", "longer") else split_revision(instruction)
    )
    note = (
        f"The offline draft engine made it {revision}; \u201c{rest[:80]}\u201d needs a model "
        "(set OPENAI_API_KEY or OPENAI_BASE_URL), so that part is not done."
        if rest
        else ""
    )
    if revision == "shorter":
        return (*_shorter(kind, artifact), note)
    if revision == "longer":
        more = _continue(
            WritingTask(
                "continue", task.bible, task.seed, {"artifact_kind": kind}, task.focus, artifact
            )
        )
        return artifact + "\n\n" + more, None, note
    raise GenerationError(
        "The offline draft engine can make a draft shorter or longer, continue it, or write "
        f"another take; a revision like \u201c{instruction[:80]}\u201d needs a model "
        "(set OPENAI_API_KEY or OPENAI_BASE_URL)."
    )


def _shorter(kind: str, artifact: str) -> tuple[str, dict[str, Any] | None]:
    if kind == "dialogue":
        text = _shorter_scene(artifact)
    elif kind == "outline":
        data = outline.parse(artifact)
        for act in data["acts"]:
            keep = max(1, (len(act["beats"]) * 2 + 2) // 3)
            act["beats"] = act["beats"][:keep] if len(act["beats"]) > 1 else act["beats"]
        text = outline.render(data) if data["acts"] else artifact
        return text, data
    elif kind == "character":
        sheet = characters.parse_sheet(artifact)
        if sheet is None:
            raise GenerationError("I couldn't read that character sheet back to shorten it.")
        sheet = {
            k: (v if k in ("name", "pronouns", "age", "role") else _first_sentence(v))
            for k, v in sheet.items()
        }
        return characters.render_sheet(sheet), characters.complete(sheet)
    else:
        text = _shorter_prose(artifact)
    if len(text) >= len(artifact):
        raise GenerationError(
            "That draft is already as short as the offline draft engine can make it."
        )
    return text, None


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else text


def _shorter_prose(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for para in paragraphs:
        found = sentences(para)
        keep = max(1, (len(found) + 1) // 2)
        if len(found) > 2:  # keep the opening and the ending of each paragraph
            out.append(" ".join(found[: keep - 1] + found[-1:]))
        else:
            out.append(" ".join(found[:keep]))
    if len(out) > 2:
        out = out[:1] + out[-1:]
    return "\n\n".join(out)


def _shorter_scene(text: str) -> str:
    """Fewer blocks: the heading and opening, the middle thinned, the last exchange kept."""
    blocks = [b for b in _FOUNTAIN_BLOCK.split(text.strip()) if b.strip()]
    if len(blocks) <= 4:
        return "\n\n".join(blocks[:-1]) if len(blocks) > 2 else text
    rng = random.Random(text)
    head, middle, tail = blocks[:2], blocks[2:-3], blocks[-3:]
    keep = sorted(rng.sample(range(len(middle)), k=len(middle) // 2))
    out: list[str] = []
    for block in head + [middle[i] for i in keep] + tail:
        if out and _speaker(block) and _speaker(block) == _speaker(out[-1]):
            continue  # no one speaks twice in a row
        out.append(block)
    return "\n\n".join(out)


def _speaker(block: str) -> str:
    names = fountain.cues(block)
    return names[0].split(" (")[0] if names else ""


__all__ = ["NAME", "OfflineEngine"]
