"""The readers of the offline reading: each turns a sentence an intent of
bot/data/understand.toml matched into the command line it asks for (or None, when the
sentence lacks what the command needs: the next intent reads it)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.edit_readers import (
    read_beat,
    read_character_field,
    read_character_remove,
    read_location_new,
    read_note,
    read_scene_op,
)
from bot.routes import Understood
from bot.said import Said, act_in, acts_in, after, has, names_in, number_in, numbered, say
from commands.outline import DEFAULT_ACTS as OUTLINE_ACTS


def _read_synopsis(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    length = "short"
    if has(said, ["logline", "one line", "one-line", "one sentence"]):
        length = "logline"
    elif has(said, ["page", "long", "detailed", "full synopsis"]):
        length = "page"
    direction = after(said.text, ["of", "about", "where", "in which", "for"])
    line = f"/synopsis {length}" + (f" {direction}" if direction else "")
    return Understood(line, say(intent, length=length))


def _read_character_new(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    """ "a character called Old Tom, a retired smuggler": the name, then the brief;
    "three names for the harbour master": takes on a role that has no name yet."""
    named = after(said.text, ["called", "named"], in_order=True)
    count = number_in(said.text) if has(said, ["names", "options", "takes", "versions"]) else None
    if named:
        name, _, brief = (part.strip(" ,") for part in named.partition(","))
    else:
        role = after(said.text, ["for", "character", "characters"], in_order=True)
        role = re.sub(r"^(an?|the)\s+", "", role, flags=re.IGNORECASE)
        name, brief = role.title() or "New Character", (f"the {role.lower()}" if role else "")
    line = f'/character new "{name}"'
    if count and count > 1:
        line += f" options:{min(count, 5)}"
    if brief:
        line += f" {brief}"
    return Understood(line, say(intent, subject=name))


def _read_character_show(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    found = names_in(said.text, names)
    if not found:  # a name the story may have, typed with a capital: the command checks it
        typed = re.search(r"\b(?:about|me|is|of)\s+((?:[A-Z][\w'-]+\s?){1,3})", said.text)
        if typed is None:
            return None
        found = [typed.group(1).strip().removesuffix("'s")]
    return Understood(f'/character show "{found[0]}"', say(intent, name=found[0]))


def _read_plain(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    return Understood(str(intent["line"]), say(intent))


def _read_outline(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    acts = acts_in(said.text)
    direction = after(said.text, ["where", "with", "so that"])
    shown = f"{acts} acts" if acts else "the acts"
    if acts is None and (act := act_in(said.text)) is not None:
        # no command writes one act's beats: the outline, with that act as its direction
        acts, shown = OUTLINE_ACTS, f"act {act}"
        direction = ", ".join(filter(None, [f"for act {act}", direction]))
    line = (
        "/outline generate" + (f" {acts}" if acts else "") + (f" {direction}" if direction else "")
    )
    return Understood(line, say(intent, acts=shown))


def _without_speakers(situation: str, speakers: Sequence[str]) -> str:
    """The situation without the list of who is in it, at its start or its end ("Mara and
    Jonah argue in the airlock" → "argue in the airlock", "at the docks with Jonah and
    Mara" → "at the docks"); a lone name that is the sentence's subject or object stays
    ("Mara confronts Jonah about the ship")."""
    forms = "|".join(
        re.escape(form)
        for name in speakers
        for form in sorted({name, name.split()[0]}, key=len)[::-1]
    )
    one = rf"(?:{forms})(?:'s)?"
    listed = rf"{one}(?:(?:\s*(?:,|&|\band\b)\s*|\s+){one})+"
    lead = rf"^(?:(?:between|with|and)\s+(?:{listed}|{one})|{listed})\b[\s,]*"
    tail = rf"[\s,]*\b(?:(?:between|with|and)\s+(?:{listed}|{one})|{listed})\s*$"
    situation = re.sub(lead, "", situation, flags=re.IGNORECASE)
    situation = re.sub(tail, "", situation, flags=re.IGNORECASE)
    return situation.strip(" ,.")


def _read_dialogue(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    speakers = names_in(said.text, names)
    if not speakers:
        return None
    situation = after(said.text, ["where", "in which", "about", "when"])
    if not situation:
        situation = re.sub(
            r"^.*?\b(scene|dialogue|talk|conversation)\b\s*", "", said.text, flags=re.IGNORECASE
        ).strip(" .!?")
    situation = _without_speakers(" ".join(situation.split()), speakers)
    line = f"/dialogue {', '.join(speakers)}: {situation or 'a scene'}"
    return Understood(line, say(intent, who=" and ".join(speakers)))


def _read_story_set(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    m = re.search(
        r"\b(title|logline|genre|tone|setting|style|synopsis)\b\s*(?:to|is|as|:|=)?\s*(.+)$",
        said.text,
        re.IGNORECASE,
    )
    if not m or not m.group(2).strip(" .!?"):
        return None
    field, value = m.group(1).lower(), m.group(2).strip(" .!?\"'")
    value = re.sub(r"^(to|be|is)\s+", "", value, flags=re.IGNORECASE)
    return Understood(f"/story set {field} {value}", say(intent, field=field, value=value))


def _read_portrait(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    found = names_in(said.text, names)
    if not found:
        return None
    style = after(said.text, ["in", "as", "style"])
    line = f'/portrait "{found[0]}"' + (f" {style}" if style else "")
    return Understood(line, say(intent, name=found[0]))


_SINCE = re.compile(
    r"\b(?:since|from|over)\s+(yesterday|today|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|\d{4}-\d{2}-\d{2}|\d+d)\b|\b(yesterday|today)\b",
    re.IGNORECASE,
)


def _read_summarize(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    if found := numbered(said.text, "scene"):  # "summarize scene 3", "the second scene"
        return Understood(f"/summarize scene {found.number}", f"Summarizing scene {found.number}…")
    if has(said, ["the scene", "this scene", "that scene", "last scene", "latest scene"]):
        return Understood("/summarize scene", say(intent, what="scene"))
    if has(said, ["story so far", "the story", "whole story"]):
        what = "story"
    elif has(said, ["channel", "the room"]):
        what = "channel"
        if m := _SINCE.search(said.text):
            return Understood(
                f"/summarize channel since:{(m.group(1) or m.group(2)).lower()}",
                say(intent, what=what),
            )
    else:
        what = "thread"
    return Understood(f"/summarize {what}", say(intent, what=what))


READERS = {
    "synopsis": _read_synopsis,
    "character_new": _read_character_new,
    "character_show": _read_character_show,
    "plain": _read_plain,
    "outline": _read_outline,
    "dialogue": _read_dialogue,
    "story_set": _read_story_set,
    "portrait": _read_portrait,
    "summarize": _read_summarize,
    "beat": read_beat,
    "scene_op": read_scene_op,
    "character_field": read_character_field,
    "location_new": read_location_new,
    "note": read_note,
    "character_remove": read_character_remove,
}
