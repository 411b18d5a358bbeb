"""Fountain screenplay text: a reader, a validator, and safe writers for each element.

The validator is deliberately independent of how the offline engine writes scenes, so
tests (and the Slack splitter, which must not cut a block in half) can trust it. It checks
what the Fountain spec (fountain.io/syntax) requires of the elements we use:

- a character cue is a line in capitals (or forced with "@"), preceded by a blank line
  and followed directly by dialogue or a parenthetical;
- a parenthetical sits under a cue or between dialogue lines, never alone, never last;
- dialogue never appears without a cue ("MARA: Hello." is not Fountain);
- a scene heading (INT./EXT./EST./I/E, or forced with ".") stands alone between blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[.\s]", re.IGNORECASE)
_FORCED_HEADING = re.compile(r"^\.[^.\s]")
_TRANSITION = re.compile(r"^[A-Z0-9 .'’-]+TO:$")
_PAREN = re.compile(r"^\s*\(.*\)\s*$")
_EXTENSION = re.compile(r"\s*\([^)]*\)\s*$")
_NAME_COLON = re.compile(r"^\s*([A-Z][A-Z0-9 .'’-]{0,30}):\s+\S")
_TITLE_CUE = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}$")
_QUOTED = re.compile(r"^\s*[\"“].*[\"”]\s*$")


@dataclass(frozen=True, slots=True)
class Element:
    kind: str  # heading, action, character, parenthetical, dialogue, transition, blank, other
    text: str
    line: int


def _cue_name(line: str) -> str | None:
    """The name if the line reads as a character cue on its own, else None."""
    raw = line.strip()
    if not raw:
        return None
    if raw.startswith("@"):
        name = _EXTENSION.sub("", raw[1:].rstrip("^ ").strip())
        return name or None
    if raw[0] in "!.>#=~[" or _HEADING.match(raw) or _TRANSITION.match(raw):
        return None
    bare = _EXTENSION.sub("", raw.rstrip("^ ").strip())
    if not bare or not any(ch.isalpha() for ch in bare):
        return None
    if any(ch.islower() for ch in bare):
        return None
    return bare


def _is_heading(line: str) -> bool:
    raw = line.strip()
    return bool(_HEADING.match(raw) or _FORCED_HEADING.match(raw))


def parse(text: str) -> list[Element]:
    """Elements in order, one per line (blank lines included), as a Fountain reader sees them."""
    lines = text.split("\n")
    out: list[Element] = []
    in_dialogue = False
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r")
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        stripped = line.strip()
        if not stripped:
            in_dialogue = False
            out.append(Element("blank", "", i + 1))
            continue
        if in_dialogue:
            kind = "parenthetical" if _PAREN.match(line) else "dialogue"
            out.append(Element(kind, stripped, i + 1))
            continue
        if prev_blank and _is_heading(stripped):
            out.append(Element("heading", stripped.lstrip("."), i + 1))
            continue
        if (
            prev_blank
            and next_blank
            and (
                _TRANSITION.match(stripped)
                or (stripped.startswith(">") and not stripped.endswith("<"))
            )
        ):
            out.append(Element("transition", stripped.lstrip("> "), i + 1))
            continue
        name = _cue_name(stripped)
        if name is not None and prev_blank and not next_blank:
            out.append(Element("character", stripped, i + 1))
            in_dialogue = True
            continue
        out.append(Element("action", stripped[1:] if stripped.startswith("!") else stripped, i + 1))
    return out


def cues(text: str) -> list[str]:
    """Every character cue's name, in order, as written (without "@", "^" or extensions)."""
    return [_cue_name(e.text) or e.text for e in parse(text) if e.kind == "character"]


def speakers(text: str) -> list[str]:
    """Each name that has a cue, once, in order of first appearance."""
    seen: list[str] = []
    for name in cues(text):
        if name not in seen:
            seen.append(name)
    return seen


def fountain_problems(text: str) -> list[str]:
    """What keeps the text from being clean Fountain, one message per problem (empty if none)."""
    problems: list[str] = []
    lines = text.split("\n")
    elements = parse(text)
    known = {n.upper() for n in cues(text)}
    for idx, el in enumerate(elements):
        nxt = elements[idx + 1] if idx + 1 < len(elements) else None
        prev = elements[idx - 1] if idx > 0 else None
        where = f"line {el.line}"
        if el.kind == "heading" and nxt is not None and nxt.kind != "blank":
            problems.append(f"{where}: scene heading '{el.text}' must be followed by a blank line")
        if el.kind == "character" and (nxt is None or nxt.kind == "blank"):
            problems.append(f"{where}: character cue '{el.text}' has no dialogue under it")
        if el.kind == "parenthetical" and (nxt is None or nxt.kind == "blank"):
            problems.append(f"{where}: parenthetical '{el.text}' is not followed by dialogue")
        if el.kind == "dialogue":
            name = _cue_name(el.text)
            if name and name.upper() in known and not re.search(r"[.!?…,;:—-]$", el.text):
                problems.append(f"{where}: cue '{name}' needs a blank line before it")
        if el.kind != "action":
            continue
        raw = lines[el.line - 1].strip()
        if _PAREN.match(raw):
            problems.append(
                f"{where}: parenthetical '{raw}' outside dialogue (it must sit under a cue)"
            )
        elif _is_heading(raw) and prev is not None and prev.kind != "blank":
            problems.append(f"{where}: scene heading '{raw}' must be preceded by a blank line")
        elif _cue_name(raw) and not raw.startswith("!") and nxt is not None and nxt.kind != "blank":
            problems.append(f"{where}: character cue '{raw}' must be preceded by a blank line")
        elif _NAME_COLON.match(raw) and not _is_heading(raw):
            problems.append(
                f"{where}: dialogue written as '{_NAME_COLON.match(raw).group(1)}: ...'"  # type: ignore[union-attr]
                " without a cue; put the name in capitals on its own line"
            )
        elif _QUOTED.match(raw) and (prev is None or prev.kind == "blank"):
            problems.append(f"{where}: quoted dialogue without a character cue")
        elif (
            _TITLE_CUE.match(raw)
            and (prev is None or prev.kind == "blank")
            and nxt is not None
            and nxt.kind == "action"
            and (_PAREN.match(nxt.text) or _QUOTED.match(nxt.text))
        ):
            problems.append(f"{where}: character cue '{raw}' must be in capitals")
    if text.count("[[") != text.count("]]"):
        problems.append("a [[note]] is not closed")
    return problems


# --- writing ---------------------------------------------------------------------------

_FORCE_ACTION = re.compile(r"^[!.>#=~@\[]|^(INT|EXT|EST|I/E)\b", re.IGNORECASE)


def cue(name: str, extension: str = "") -> str:
    """A character cue for a name: capitals, forced with "@" where capitals cannot show it."""
    flat = " ".join(name.split()).strip("^@ ") or "SOMEONE"
    upper = flat.upper()
    ext = f" ({extension})" if extension else ""
    safe = _cue_name(upper + ext) is not None and not upper.startswith(
        ("!", ".", ">", "#", "=", "~", "[")
    )
    return (upper if safe else "@" + flat) + ext


def action(text: str) -> str:
    """An action paragraph (one line) that no reader can take for a cue or a heading."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    if (
        _FORCE_ACTION.match(flat)
        or _cue_name(flat)
        or _PAREN.match(flat)
        or _NAME_COLON.match(flat)
    ):
        return "!" + flat
    return flat


def dialogue_line(text: str) -> str:
    """Speech on one line; a line that is all parenthesis would read as direction."""
    flat = " ".join(text.split())
    if _PAREN.match(flat):
        flat = flat.strip()[1:-1].strip() or "..."
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
    where = " ".join(place.split()).upper() or "SOMEWHERE"
    return f"{'INT.' if interior else 'EXT.'} {where} - {time.upper()}"
