"""Structured answers (character sheets, outlines): schemas, tolerant parsing, validation.

Where the server supports it, the answer is asked for with ``response_format`` and a JSON
schema. A server that refuses that (400) is asked for plain "Label: value" lines instead,
which are parsed tolerantly (any case, markdown bold, bullets, synonyms). An answer that
does not validate is sent back once with what was wrong; a second bad answer raises
``GenerationError`` so nothing half-made is ever saved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from core.models import CHARACTER_FIELDS, field_label
from core.text import MAX_NAME_CHARS, clean_name, clean_text

SHEET_FAILURE = (
    "The model returned a character sheet I could not read; nothing was saved. "
    "Try again or rephrase."
)
OUTLINE_FAILURE = (
    "The model returned an outline I could not read; nothing was saved. Try again or rephrase."
)

MAX_FIELD_CHARS = 1500
MIN_FILLED_FIELDS = len(CHARACTER_FIELDS) // 2 + 1
MAX_BEAT_CHARS = 600
MAX_BEATS_PER_ACT = 30


class Invalid(ValueError):
    """A structured answer that cannot be used; the message says why, for the repair turn."""


class FormatRejected(Exception):
    """The server refused ``response_format``; ask again for plain lines."""


def _strict_object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SHEET_SCHEMA: dict[str, Any] = _strict_object(
    {"name": {"type": "string"}, **{f: {"type": "string"} for f in CHARACTER_FIELDS}}
)
OUTLINE_SCHEMA: dict[str, Any] = _strict_object(
    {
        "acts": {
            "type": "array",
            "items": _strict_object(
                {
                    "act": {"type": "integer"},
                    "beats": {"type": "array", "items": {"type": "string"}},
                }
            ),
        }
    }
)


def response_format(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The ``response_format`` argument asking for JSON that follows ``schema``."""
    return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}


# --- reading JSON out of an answer ----------------------------------------------------

_FENCE = re.compile(r"^```[\w-]*\s*\n?(.*?)\n?```\s*$", re.DOTALL)


def strip_fences(text: str) -> str:
    """The inside of a ```fenced``` answer, or the answer as it is."""
    text = text.strip()
    match = _FENCE.match(text)
    return match.group(1).strip() if match else text


def find_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object an answer holds (fenced, or with words around it), or None."""
    text = strip_fences(text)
    start = text.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except ValueError:
        end = text.rfind("}")
        try:
            value = json.loads(text[start : end + 1]) if end > start else None
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


# --- "Label: value" lines ---------------------------------------------------------------

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "character", "character name", "full name"),
    "pronouns": ("pronouns", "pronoun"),
    "age": ("age",),
    "role": ("role", "story role", "function", "role in story", "role in the story"),
    "one_line": (
        "one line",
        "one liner",
        "oneliner",
        "logline",
        "tagline",
        "summary",
        "in one line",
        "one sentence",
    ),
    "appearance": ("appearance", "look", "looks", "physical description", "description"),
    "personality": ("personality", "temperament", "traits", "personality traits"),
    "want": ("want", "wants", "goal", "external goal", "desire", "what they want"),
    "need": ("need", "needs", "inner need", "internal need", "what they need"),
    "flaw": ("flaw", "flaws", "fatal flaw", "weakness"),
    "backstory": ("backstory", "back story", "background", "history"),
    "arc": ("arc", "character arc"),
    "voice": ("voice", "speech", "way of speaking", "speaking style", "dialogue style"),
    "sample_line": (
        "sample line",
        "sample",
        "sample dialogue",
        "example line",
        "signature line",
        "line",
        "quote",
        "sample quote",
    ),
    "relationships": ("relationships", "relationship", "relations", "connections"),
    "aliases": ("aliases", "alias", "nicknames", "nickname", "aka", "also known as", "other names"),
}
SHEET_LABELS: dict[str, str] = {syn: f for f, syns in _SYNONYMS.items() for syn in syns}
"""Every label a model may use for a sheet field, normalised, mapped to the field."""

_BULLET = re.compile(r"^\s*(?:[-*•+>]\s+|\d{1,2}[.)]\s+|#{1,6}\s*)?")
_MARKUP = re.compile(r"[*_`#]+")
_EMPTY_VALUES = {"", "n/a", "na", "none", "-", "—", "unknown", "null"}


def normalise_label(label: str) -> str:
    label = _MARKUP.sub("", label).lower().replace("_", " ").replace("-", " ")
    return " ".join(label.split())


def _split_labelled(line: str) -> tuple[str, str] | None:
    """("label", "value") for a "Label: value" line in any markup, else None."""
    body = _BULLET.sub("", line, count=1)
    if ":" not in body:
        return None
    label, value = body.split(":", 1)
    if len(label) > 40:
        return None
    return normalise_label(label), _clean_value(value)


def _clean_value(value: str) -> str:
    value = value.strip()
    for mark in ("**", "__"):
        if value.startswith(mark) and not value.endswith(mark):
            value = value[2:].strip()  # "**Name:** Mara" leaves the closing mark on the value
        elif len(value) >= 4 and value.startswith(mark) and value.endswith(mark):
            value = value[2:-2].strip()
    return "" if value.lower().strip(" .") in _EMPTY_VALUES else value


def parse_labelled_lines(text: str, labels: Mapping[str, str]) -> dict[str, str]:
    """Fields from "Label: value" lines; a value may run on to following lines until a blank.

    Lines before the first known label (a preamble) and after a blank line that ends a
    field (a sign-off) are ignored.
    """
    found: dict[str, str] = {}
    current: str | None = None
    for raw in strip_fences(text).splitlines():
        if not raw.strip():
            current = None
            continue
        split = _split_labelled(raw)
        if split is not None and split[0] in labels:
            current = labels[split[0]]
            if current not in found or not found[current]:
                found[current] = split[1]
            else:
                current = None  # a repeated label: keep the first
            continue
        if current is not None:
            found[current] = f"{found[current]}\n{raw.strip()}".strip()
    return found


_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


def clean_field_value(field: str, text: str) -> str:
    """One field's new value as a model wrote it, without a label in front or quotes around.

    A sample line keeps its quotes: they are part of the line.
    """
    text = strip_fences(text)
    label, colon, rest = text.partition(":")
    if colon and len(label) <= 40 and SHEET_LABELS.get(normalise_label(label)) == field:
        text = rest.strip()
    text = _clean_value(text)
    if field != "sample_line":
        for left, right in _QUOTES:
            if len(text) >= 2 and text.startswith(left) and text.endswith(right):
                text = text[1:-1].strip()
                break
    return clean_text(text)


# --- character sheets -----------------------------------------------------------------


def parse_sheet(text: str) -> dict[str, Any]:
    """A sheet from an answer: a JSON object if it holds one, else "Label: value" lines."""
    data = find_json_object(text)
    if data is None:
        return dict(parse_labelled_lines(text, SHEET_LABELS))
    sheet = {k: v for k, v in data.items() if k in SHEET_SCHEMA["properties"]}
    for key, value in data.items():  # "Name", "One-liner": keys as loose as labels
        field = SHEET_LABELS.get(normalise_label(key))
        if field is not None and field not in sheet:
            sheet[field] = value
    return sheet


def validate_sheet(
    data: Mapping[str, Any], keep: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The sheet, cleaned: "name" and every CHARACTER_FIELDS field as strings.

    ``keep`` holds fields the writer gave, which win over the model's. Junk raises
    ``Invalid``: a missing name, values that are not text, absurd lengths, most fields empty.
    """
    sheet: dict[str, str] = {}
    for key in ("name", *CHARACTER_FIELDS):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise Invalid(f'"{key}" must be a string, not {type(value).__name__}.')
        sheet[key] = clean_text(value)
    if not sheet["name"]:
        raise Invalid("the sheet has no name.")
    if len(sheet["name"]) > MAX_NAME_CHARS:
        raise Invalid(f"the name is {len(sheet['name'])} characters; a name is a few words.")
    for key, value in sheet.items():
        if len(value) > MAX_FIELD_CHARS:
            raise Invalid(
                f'"{key}" is {len(value)} characters; keep each field under {MAX_FIELD_CHARS}.'
            )
    for key, value in (keep or {}).items():
        if value and (key == "name" or key in CHARACTER_FIELDS):
            sheet[key] = clean_name(value) if key == "name" else clean_text(value)
    filled = sum(1 for f in CHARACTER_FIELDS if sheet[f])
    if filled < MIN_FILLED_FIELDS:
        empty = [f for f in CHARACTER_FIELDS if not sheet[f]]
        raise Invalid(
            f"{len(empty)} of {len(CHARACTER_FIELDS)} fields are empty "
            f"({', '.join(empty)}); fill them in."
        )
    return sheet


def render_sheet(sheet: Mapping[str, str]) -> str:
    """A readable sheet in the bot's neutral markup."""
    lines = [f"**{sheet['name']}**"]
    lines += [f"**{field_label(f)}:** {sheet[f]}" for f in CHARACTER_FIELDS if sheet.get(f)]
    return "\n".join(lines)


# --- outlines -------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_ACT_HEADING = re.compile(r"^act\s+(\d+|[ivx]+|[a-z]+)\b\s*[:.\-—–)]?\s*(.*)$", re.IGNORECASE)
_BEAT_PREFIX = re.compile(r"^(?:beat\s*\d*\s*[:.\-—–]\s*)", re.IGNORECASE)


def _act_number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return _ROMAN.get(token) or _NUMBER_WORDS.get(token)


def parse_outline_lines(text: str) -> dict[str, Any]:
    """An outline from "Act 1:" headings each followed by numbered or bulleted beats."""
    acts: list[dict[str, Any]] = []
    for raw in strip_fences(text).splitlines():
        line = _MARKUP.sub("", _BULLET.sub("", raw, count=1)).strip()
        if not line:
            continue
        heading = _ACT_HEADING.match(line)
        number = _act_number(heading.group(1)) if heading else None
        if heading and number is not None:
            acts.append({"act": number, "beats": []})
            continue
        if acts:
            beat = _BEAT_PREFIX.sub("", line).strip()
            if beat:
                acts[-1]["beats"].append(beat)
    return {"acts": acts}


def parse_outline(text: str) -> dict[str, Any]:
    data = find_json_object(text)
    return data if data is not None else parse_outline_lines(text)


def validate_outline(data: Mapping[str, Any], acts: int) -> dict[str, Any]:
    """The outline, cleaned and numbered 1..n; junk raises ``Invalid``."""
    raw_acts = data.get("acts")
    if not isinstance(raw_acts, list) or not raw_acts:
        raise Invalid('the outline has no "acts".')
    if len(raw_acts) != acts:
        raise Invalid(f"the outline has {len(raw_acts)} acts; it needs exactly {acts}.")
    result: list[dict[str, Any]] = []
    for number, act in enumerate(raw_acts, start=1):
        beats = act.get("beats") if isinstance(act, dict) else None
        if not isinstance(beats, list) or not beats:
            raise Invalid(f"act {number} has no beats.")
        if len(beats) > MAX_BEATS_PER_ACT:
            raise Invalid(f"act {number} has {len(beats)} beats; give at most eight.")
        cleaned: list[str] = []
        for beat in beats:
            if not isinstance(beat, str):
                raise Invalid(
                    f"every beat must be a string; act {number} has a {type(beat).__name__}."
                )
            beat = clean_text(beat)
            if len(beat) > MAX_BEAT_CHARS:
                raise Invalid(
                    f"a beat in act {number} is {len(beat)} characters; "
                    "keep each beat to one sentence."
                )
            if beat:
                cleaned.append(beat)
        if not cleaned:
            raise Invalid(f"act {number} has only empty beats.")
        result.append({"act": number, "beats": cleaned})
    return {"acts": result}


def render_outline(outline: Mapping[str, Any]) -> str:
    blocks = []
    for act in outline["acts"]:
        beats = "\n".join(f"{i}. {beat}" for i, beat in enumerate(act["beats"], start=1))
        blocks.append(f"**Act {act['act']}**\n{beats}")
    return "\n\n".join(blocks)
