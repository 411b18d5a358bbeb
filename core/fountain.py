"""Fountain screenplay text (fountain.io/syntax): read it, check it, write it.

The one place that knows Fountain. The offline engine writes its scenes with the writers
below, exports read saved scenes into elements and write them back, summaries read
scenes, and the Slack and Discord adapters format the elements of a reply whose format is
"fountain". Reading follows the spec for the elements we use:

- a scene heading starts with INT./EXT./EST./INT./EXT./I/E (any case) or is forced with
  ".", and stands after a blank line (``SCENE_HEADING`` is the one pattern for it);
- a character cue is a line in capitals (or forced with "@"), preceded by a blank line
  and followed directly by dialogue or a parenthetical;
- a parenthetical sits under a cue or between dialogue lines;
- a transition is a line in capitals ending in "TO:" (or FADE IN/OUT), or forced with ">",
  alone between blank lines;
- anything else is action ("!" forces it).

The checker (``problems``) is deliberately independent of how the offline engine writes,
so tests can trust it. The writers never produce a line a reader could take for another
element, and what ``write`` makes parses the same way in screenplain (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

SCENE_HEADING = re.compile(r"^(?:\.(?=[^.\s])|(?:INT\.?/EXT|I/E|INT|EXT|EST)[.\s])", re.IGNORECASE)
"""A line that starts a scene: a standard prefix followed by "." or a space, or a "." that
forces one (".AIRLOCK"; ".." is not a heading)."""

_TRANSITION = re.compile(r"^(?:[A-Z0-9 .'’-]+TO:|FADE (?:IN|OUT)[.:]?|FADE TO BLACK\.?)$")
_PAREN = re.compile(r"^\s*\(.*\)\s*$")
_EXTENSION = re.compile(r"\s*(\([^)]*\))\s*$")
_NAME_COLON = re.compile(r"^\s*([A-Z][A-Z0-9 .'’-]{0,30}):\s+\S")
_TITLE_CUE = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}$")
_QUOTED = re.compile(r"^\s*[\"“].*[\"”]\s*$")
_ASIDE = re.compile(r"^\(([^()]*)\)\s*(\S.*)$")
_NOT_A_CUE = "!.>#=~["
"""First characters that force another element, so a line starting with one is no cue."""

Kind = Literal["heading", "action", "character", "parenthetical", "dialogue", "transition", "blank"]


@dataclass(frozen=True, slots=True)
class Element:
    """One line of a scene as a reader sees it.

    ``text`` is the line stripped, without the mark that forced its kind: a heading
    without its leading ".", a transition without ">", action without "!". A character
    cue is kept as written ("@McCLANE (V.O.) ^"); ``cue_parts`` takes it apart.
    ``line`` is the 1-based line number in the text read (0 for elements to be written).
    """

    kind: Kind
    text: str
    line: int = 0


def is_heading(line: str) -> bool:
    return bool(SCENE_HEADING.match(line.strip()))


def is_transition(line: str) -> bool:
    raw = line.strip()
    return bool(_TRANSITION.match(raw)) or (raw.startswith(">") and not raw.endswith("<"))


def cue_name(line: str) -> str | None:
    """The name if the line reads as a character cue on its own, else None (no "@", "^"
    or extension)."""
    raw = line.strip()
    if not raw:
        return None
    if raw.startswith("@"):
        name = _EXTENSION.sub("", raw[1:].rstrip("^ ").strip())
        return name or None
    if raw[0] in _NOT_A_CUE or SCENE_HEADING.match(raw) or _TRANSITION.match(raw):
        return None
    bare = _EXTENSION.sub("", raw.rstrip("^ ").strip())
    if not bare or not any(ch.isalpha() for ch in bare) or any(ch.islower() for ch in bare):
        return None
    return bare


def cue_parts(cue_line: str) -> tuple[str, str]:
    """A cue's name and its extension ("(V.O.)", "(CONT'D)" or ""), without "@" or "^"."""
    name = cue_line.strip().removeprefix("@").rstrip("^ ").strip()
    found = _EXTENSION.search(name)
    if found is None:
        return name, ""
    return name[: found.start()].strip(), found.group(1)


def cue_label(cue_line: str) -> str:
    """A cue as a reader sees it: the name and its extension, no forcing marks."""
    name, extension = cue_parts(cue_line)
    return f"{name} {extension}" if extension else name


# --- reading ---------------------------------------------------------------------------


def parse(text: str) -> list[Element]:
    """Elements in order, one per line (blank lines included), as a Fountain reader sees them."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[Element] = []
    in_dialogue = False
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if not stripped:
            in_dialogue = False
            out.append(Element("blank", "", i + 1))
        elif in_dialogue:
            kind: Kind = "parenthetical" if _PAREN.match(stripped) else "dialogue"
            out.append(Element(kind, stripped, i + 1))
        elif prev_blank and SCENE_HEADING.match(stripped):
            out.append(Element("heading", stripped.removeprefix("."), i + 1))
        elif prev_blank and next_blank and is_transition(stripped):
            text = stripped[1:].lstrip() if stripped.startswith(">") else stripped
            out.append(Element("transition", text, i + 1))
        elif prev_blank and not next_blank and cue_name(stripped) is not None:
            out.append(Element("character", stripped, i + 1))
            in_dialogue = True
        else:
            out.append(Element("action", stripped.removeprefix("!"), i + 1))
    return out


def cues(text: str) -> list[str]:
    """Every character cue's name, in order, as written (without "@", "^" or extensions)."""
    return [cue_name(e.text) or e.text for e in parse(text) if e.kind == "character"]


def speakers(text: str) -> list[str]:
    """Each name that has a cue, once, in order of first appearance."""
    return list(dict.fromkeys(cues(text)))


def is_scene(text: str) -> bool:
    """Whether ``text`` reads as a piece of screenplay: a scene heading, or a character cue
    with dialogue under it, more than one line, and clean Fountain throughout (a note
    that merely starts with "INT." is not a scene)."""
    elements = [e for e in parse(text) if e.kind != "blank"]
    shaped = any(e.kind in ("heading", "character") for e in elements)
    return shaped and len(elements) > 1 and not problems(text)


# --- checking --------------------------------------------------------------------------


def problems(text: str) -> list[str]:
    """What keeps the text from being clean Fountain, one message per problem (empty if none)."""
    found: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    elements = parse(text)
    known = {n.upper() for n in cues(text)}
    for idx, el in enumerate(elements):
        nxt = elements[idx + 1] if idx + 1 < len(elements) else None
        prev = elements[idx - 1] if idx > 0 else None
        where = f"line {el.line}"
        if el.kind == "heading" and nxt is not None and nxt.kind != "blank":
            found.append(f"{where}: scene heading '{el.text}' must be followed by a blank line")
        if el.kind == "character" and (nxt is None or nxt.kind == "blank"):
            found.append(f"{where}: character cue '{el.text}' has no dialogue under it")
        if el.kind == "parenthetical" and (nxt is None or nxt.kind == "blank"):
            found.append(f"{where}: parenthetical '{el.text}' is not followed by dialogue")
        if el.kind == "dialogue":
            name = cue_name(el.text)
            if name and name.upper() in known and not re.search(r"[.!?…,;:—-]$", el.text):
                found.append(f"{where}: cue '{name}' needs a blank line before it")
        if el.kind == "action":
            problem = _action_problem(lines[el.line - 1].strip(), prev, nxt)
            if problem:
                found.append(f"{where}: {problem}")
    if text.count("[[") != text.count("]]"):
        found.append("a [[note]] is not closed")
    return found


def _action_problem(raw: str, prev: Element | None, nxt: Element | None) -> str | None:
    """Why an action line is probably another element written wrongly, or None."""
    after_blank = prev is None or prev.kind == "blank"
    if _PAREN.match(raw):
        return f"parenthetical '{raw}' outside dialogue (it must sit under a cue)"
    if SCENE_HEADING.match(raw) and not after_blank:
        return f"scene heading '{raw}' must be preceded by a blank line"
    if cue_name(raw) and not raw.startswith("!") and nxt is not None and nxt.kind != "blank":
        return f"character cue '{raw}' must be preceded by a blank line"
    colon = _NAME_COLON.match(raw)
    if colon and not SCENE_HEADING.match(raw):
        return (
            f"dialogue written as '{colon.group(1)}: ...' without a cue; "
            "put the name in capitals on its own line"
        )
    if _QUOTED.match(raw) and after_blank:
        return "quoted dialogue without a character cue"
    if (
        _TITLE_CUE.match(raw)
        and after_blank
        and nxt is not None
        and nxt.kind == "action"
        and (_PAREN.match(nxt.text) or _QUOTED.match(nxt.text))
    ):
        return f"character cue '{raw}' must be in capitals"
    return None


# --- writing ---------------------------------------------------------------------------


def visible(text: str) -> str:
    """One line of text with the markers that make a reader hide text (boneyard ``/* */``,
    notes ``[[ ]]``) broken up, so nothing written is swallowed."""
    return (
        " ".join(text.split())
        .replace("/*", "/ *")
        .replace("*/", "* /")
        .replace("[[", "[ [")
        .replace("]]", "] ]")
    )


def cue(name: str, extension: str = "") -> str:
    """A character cue for a name: capitals, forced with "@" where capitals cannot show it."""
    flat = " ".join(name.split()).strip("^@ ") or "SOMEONE"
    upper = flat.upper()
    ext = f" ({extension})" if extension else ""
    safe = cue_name(upper + ext) is not None and not upper.startswith(tuple(_NOT_A_CUE))
    return (upper if safe else "@" + flat) + ext


def action(text: str) -> str:
    """An action paragraph (one line) that no reader can take for a cue or a heading."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    if (
        flat[0] in "!.>#=~@["
        or SCENE_HEADING.match(flat)
        or cue_name(flat)
        or is_transition(flat)
        or _PAREN.match(flat)
        or _NAME_COLON.match(flat)
    ):
        return "!" + flat
    return flat


def dialogue_line(text: str) -> str:
    """Speech on one line. A line that opens with "(" reads as direction, so: an aside
    ("(beat) Fine.") is written as the parenthetical it is, on its own line, then the
    speech; a line that is all parenthesis loses its brackets; an aside never closed
    ("(whispering") is closed, as a reader would take it anyway. Empty speech is "..."."""
    flat = " ".join(text.split())
    while flat.startswith("("):
        aside = _ASIDE.match(flat)
        if aside:
            lines = (parenthetical(aside[1]), dialogue_line(aside[2]))
            return "\n".join(line for line in lines if line)
        if not _PAREN.match(flat):
            return parenthetical(flat) or "..."
        flat = flat[1:-1].strip()
    return flat or "..."


def parenthetical(text: str) -> str:
    flat = " ".join(text.split()).strip("() ")
    return f"({flat})" if flat else ""


def block(name: str, lines: list[str], paren: str = "", extension: str = "") -> str:
    """One cue with its (optional) parenthetical and its dialogue lines."""
    out = [cue(name, extension)]
    if paren:
        out.append(parenthetical(paren))
    out += [dialogue_line(x) for x in lines if x.strip()] or ["..."]
    return "\n".join(out)


def heading(place: str, interior: bool, time: str) -> str:
    """A scene heading for a place: "INT. AIRLOCK - NIGHT"."""
    where = " ".join(place.split()).upper() or "SOMEWHERE"
    return f"{'INT.' if interior else 'EXT.'} {where} - {time.upper()}"


def heading_line(text: str) -> str:
    """A scene heading from free text: as written when it starts like one, else forced."""
    flat = " ".join(text.split()).upper()
    if SCENE_HEADING.match(flat) and not flat.startswith("."):
        return flat
    return "." + flat.lstrip(".")


def transition(text: str) -> str:
    """A transition: as written when it reads as one ("CUT TO:"), else forced with ">"."""
    flat = " ".join(text.split()).upper()
    reads_as_one = flat.endswith("TO:") and flat[:-3].isupper() and _TRANSITION.match(flat)
    return flat if reads_as_one and not SCENE_HEADING.match(flat) else "> " + flat


def write(elements: Iterable[Element]) -> str:
    """Fountain text for elements in order, each through its writer and with hidden-text
    markers broken: a cue keeps its parentheticals and dialogue in its block (ending in
    speech, "..." if it has none), every other element is a block of its own. Blank
    elements are ignored: the writer places the blank lines."""
    out: list[str] = []
    speech: list[str] = []

    def close_speech() -> None:
        if speech:
            if len(speech) == 1 or (speech[-1].startswith("(") and speech[-1].endswith(")")):
                speech.append("...")
            out.append("\n".join(speech))
            speech.clear()

    for el in elements:
        if el.kind in ("parenthetical", "dialogue") and speech:
            speak = parenthetical if el.kind == "parenthetical" else dialogue_line
            speech += [line for line in [speak(visible(el.text))] if line]
            continue
        close_speech()
        if el.kind == "character":
            name, extension = cue_parts(el.text)
            speech.append(cue(visible(name), extension.strip("()")))
        elif el.kind == "heading":
            out.append(heading_line(visible(el.text)))
        elif el.kind == "transition":
            out.append(transition(visible(el.text)))
        elif el.kind != "blank":
            out.append(action(visible(el.text)))
    close_speech()
    return "\n\n".join(x for x in out if x)
