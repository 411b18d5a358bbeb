"""The readers of requests that edit what the story holds: the board's beats (added,
rewritten, moved, removed), saved scenes (shown, removed, moved), one field of a sheet
(set or deepened), a new place, a note, a character leaving the cast. Each reads the
numbers and names the command needs or returns None (bot/readers.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.routes import Understood
from bot.said import (
    ACT,
    Numbered,
    Said,
    act_in,
    after,
    first_of,
    has,
    names_in,
    numbered,
    say,
)

_REMOVE = ["remove", "delete", "cut", "drop", "scrap", "get rid of", "lose", "kill", "ditch"]
_MOVE = ["move", "shift", "bump", "swap", "put", "go to", "go in", "go into", "belongs in"]
_EDIT = ["change", "rewrite", "edit", "update", "reword", "revise", "make", "redo", "replace"]
_ADD = ["add", "new", "put", "insert", "another", "append", "include", "one more"]
_SHOW = ["show", "open", "read", "see", "display", "pull up", "view", "look at", "bring up"]

_LEAD = re.compile(
    r"^\s*(?:(?:so\s+(?:that\s+)?it\s+(?:reads|says)|so\s+that|to\s+say|to\s+read|to|into|as|"
    r"with|reads?|says?|where|in\s+which|when|that|saying)\b)?\s*[:,\-\u2014]*\s*",
    re.IGNORECASE,
)
"""What stands between a request's words and the text it gives ("to", ": ", "where")."""
_ACT_PHRASE = re.compile(rf"^\s*(?:to|in|into|for|at\s+the\s+end\s+of)?\s*(?:{ACT})", re.I)
_ACT_AT_END = re.compile(rf"\s*,?\s*(?:to|in|into|for)\s+(?:{ACT})\s*[.!?]*$", re.I)


def _text_after(text: str, at: int) -> str:
    """The writer's own words after position ``at``: an act named first, then the little
    words that lead into them ("to", ":", "where"), are dropped; so is an act named last."""
    rest = text[at:]
    rest = _ACT_PHRASE.sub("", rest, count=1)
    rest = _LEAD.sub("", rest, count=1)
    rest = _ACT_AT_END.sub("", rest)
    return rest.strip(" .!?,;\"'")


def _destination(text: str, at: int, into: str) -> str | None:
    """Where a move goes: "act:N" (to an act), "beat:N" for a scene (``into``: under a
    beat), or a number on the board (to N, up to N, position N)."""
    rest = text[at:]
    if (act := act_in(rest)) is not None and into == "act":
        return f"act:{act}"
    if into == "beat" and (beat := numbered(rest, "beat")) is not None:
        return f"beat:{beat.number}"
    m = re.search(
        r"\b(?:to|up\s+to|down\s+to|before|after|position|slot|spot|place|number)\s+"
        r"(?:position\s+|slot\s+|spot\s+|place\s+|number\s+|#\s*)?(\d+)\b",
        rest,
        re.IGNORECASE,
    )
    return m.group(1) if m else None


def _asked(said: Said, found: Numbered, into: str, *ops: str) -> tuple[str, str]:
    """What the sentence asks of the numbered beat or scene, of ``ops`` (remove, move,
    edit, show), and a move's destination: the op whose verb comes first ("change beat
    4: Mara has to cut the rope" rewrites it; "the third beat can be cut" removes it);
    a move only where the sentence says where to. ("", "") when it asks none."""
    verbs = {"remove": _REMOVE, "move": _MOVE, "edit": _EDIT, "show": _SHOW}
    found_at = sorted((at, op) for op in ops if (at := first_of(said, verbs[op])) is not None)
    for _at, op in found_at:
        if op != "move":
            return op, ""
        if (to := _destination(said.text, found.end, into)) is not None:
            return op, to
    return "", ""


def read_beat(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood | None:
    """A beat added, rewritten, moved or removed: "add a beat to act 2 where…", "change
    beat 4 to…", "move beat 5 into the second act", "cut the sixth beat"."""
    found = numbered(said.text, "beat")
    if found is None:
        if not has(said, _ADD):
            return None
        m = re.search(r"\bbeat\b", said.text, re.IGNORECASE)
        assert m is not None  # the intent's phrases name a beat
        act = act_in(said.text) or 1
        text = _text_after(said.text, m.end())
        if not text:
            return None
        return Understood(
            f"/outline add {act} {text}", say(intent, what=f"Adding a beat to act {act}")
        )
    n = found.number
    op, to = _asked(said, found, "act", "remove", "move", "edit")
    if op == "remove":
        return Understood(f"/outline remove {n}", say(intent, what=f"Removing beat {n}"))
    if op == "move":
        return Understood(f"/outline move {n} {to}", say(intent, what=f"Moving beat {n}"))
    if op == "edit" and (text := _text_after(said.text, found.end)):
        return Understood(f"/outline edit {n} {text}", say(intent, what=f"Rewriting beat {n}"))
    return None


def read_scene_op(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood | None:
    """A saved scene shown, removed or moved, by its number: "show scene 3", "delete
    scene 2", "move scene 4 under beat 7"."""
    found = numbered(said.text, "scene")
    if found is None:
        return None
    n = found.number
    op, to = _asked(said, found, "beat", "remove", "move", "show")
    if op == "remove":
        return Understood(f"/scene remove {n}", say(intent, what=f"Removing scene {n}"))
    if op == "move":
        return Understood(f"/scene move {n} {to}", say(intent, what=f"Moving scene {n}"))
    if op == "show":
        return Understood(f"/scene show {n}", say(intent, what=f"Showing scene {n}"))
    return None


FIELDS = {
    "want": ["want", "wants", "motivation", "motive", "goal", "goals", "desire", "drive"],
    "need": ["need", "needs", "inner need"],
    "flaw": ["flaw", "flaws", "weakness", "fatal flaw", "weak spot"],
    "backstory": ["backstory", "back story", "background", "past", "history"],
    "appearance": ["appearance", "look", "looks"],
    "personality": ["personality", "temperament", "character traits", "traits"],
    "voice": ["voice", "way of speaking", "speech"],
    "arc": ["arc", "character arc", "journey"],
    "age": ["age"],
    "role": ["role", "part"],
    "pronouns": ["pronouns"],
    "one_line": ["one-liner", "one liner", "one line", "one_line", "tagline", "logline"],
    "sample_line": ["sample line", "sample_line", "catchphrase", "signature line"],
    "relationships": ["relationships", "relationship", "relations"],
    "aliases": ["aliases", "alias", "nickname", "nicknames", "aka"],
    "name": ["name"],
}
"""Each field of a character's sheet, and the words people use for it."""
_DEVELOP = [
    "develop",
    "deepen",
    "flesh out",
    "expand",
    "explore",
    "dig into",
    "work on",
    "build out",
    "enrich",
    "elaborate",
    "more depth",
    "fill out",
    "beef up",
]
_SET = [
    "set",
    "change",
    "make",
    "update",
    "edit",
    "switch",
    "rename",
    "give",
    "is now",
    "should be",
    "is",
    "to",
]


_ASKS_FOR_WRITING = re.compile(
    r"(?:[,;:.!?\u2014-]|\b(?:and|then|so|now))\s*(?:please\s+|pls\s+|can\s+you\s+)?"
    r"(?:write|draft|draw|sketch|paint|summari[sz]e|outline|give\s+me)\b",
    re.IGNORECASE,
)
"""A request for writing after what reads as a field's value ("Mara's flaw is that she
lies, write a scene about it"): the sentence asks for the scene, it sets nothing."""
_DEGREE = re.compile(
    r"^(?:(?:more|less|a\s+bit|a\s+little|much|even|way|a\s+lot)\b.*|\w+er)$", re.IGNORECASE
)
"""A value that is a degree ("rougher", "more hopeful"): how to revise, not what to set."""


def _field_of(text: str, name: str) -> tuple[str, int] | None:
    """The sheet field the text names for ``name`` ("Mara's flaw", "the flaw of Mara",
    "Jonah's weakness"), and where that mention ends."""
    forms = "|".join(re.escape(f) for f in {name, name.split()[0]})
    best: tuple[int, str, int] | None = None
    for field, words in FIELDS.items():
        spelled = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        for pattern in (
            rf"\b(?:{forms})(?:'s|s'|’s)\s+(?:\w+\s+)?({spelled})\b",
            rf"\b(?:the\s+)?({spelled})\s+(?:of|for)\s+(?:{forms})\b",
        ):
            m = re.search(pattern, text, re.IGNORECASE)
            if m and (best is None or m.start(1) < best[0]):
                best = (m.start(1), field, m.end())
    return (best[1], best[2]) if best else None


def read_character_field(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    """One field of a sheet set ("set Mara's age to 41", "Jonah's flaw is pride") or
    deepened ("flesh out Mara's backstory around the navy")."""
    for name in names_in(said.text, names):
        forms = "|".join(re.escape(f) for f in {name, name.split()[0]})
        renamed = re.search(
            rf"\b(?:rename|call)\s+(?:{forms})(?!'s)\s+(?:to\s+|as\s+)?(.+?)(?:\s+instead)?[.!?]*$",
            said.text,
            re.IGNORECASE,
        )
        if renamed and renamed.group(1).strip(" \"'"):
            new = renamed.group(1).strip(" \"'")
            return Understood(
                f'/character edit "{name}" name {new}', say(intent, what=f"Renaming {name}")
            )
        found = _field_of(said.text, name)
        if found is None:
            continue
        field, end = found
        rest = said.text[end:]
        if has(said, _DEVELOP):
            direction = re.sub(r"^\s*(?:about|on|around)?\s*[:,\-\u2014]*\s*", "", rest, flags=re.I)
            direction = direction.strip(" .!?,;")
            line = f'/character develop "{name}" {field}' + (f" {direction}" if direction else "")
            return Understood(line, say(intent, what=f"Developing {name}'s {field}"))
        value = re.sub(
            r"^\s*(?:(?:to\s+be|to|is\s+now|is|should\s+be|as|into)\b)?\s*[:=,\-\u2014]*\s*",
            "",
            rest,
            count=1,
            flags=re.IGNORECASE,
        ).strip(" .!?,;\"'")
        if _DEGREE.match(value) and not has(said, [v for v in _SET if v != "make"]):
            return None  # "make Mara's voice rougher": a revision of the sheet, not a value
        if _ASKS_FOR_WRITING.search(value):
            return None  # "Mara's flaw is that she lies, write a scene about it": a request
        if value and has(said, _SET):
            return Understood(
                f'/character edit "{name}" {field} {value}',
                say(intent, what=f"Setting {name}'s {field}"),
            )
        return None
    return None


def read_location_new(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    """ "add a location called the Lamp Room, the glass room at the top": the name, Title
    Case without its article, then the line about it."""
    named = after(said.text, ["called", "named"], in_order=True)
    if not named:
        m = re.search(r"\b(?:location|place|setting)\b\s*[:,\-\u2014]?\s*(.*)$", said.text, re.I)
        named = m.group(1).strip(" .!?") if m else ""
    name, _, line = (part.strip(" ,.!?") for part in named.partition(","))
    name = re.sub(r"^(?:an?|the)\s+", "", name, flags=re.IGNORECASE)
    if not name:
        return None
    name = " ".join(w[:1].upper() + w[1:] for w in name.split())
    return Understood(
        f'/location new "{name}"' + (f" {line}" if line else ""),
        say(intent, what=f"Adding the place {name}"),
    )


_NOTE = re.compile(
    r"^(?:please\s+|pls\s+)?(?:note|remember)\s*[:\-\u2014]\s*"
    r"|\b(?:note|remember|keep\s+in\s+mind)\s+that\b\s*"
    r"|\b(?:make|add|take|jot\s+down)\s+a\s+note\b\s*(?:that\b|:|,|\u2014|-)?\s*"
    r"|\b(?:jot|note)\s+down\b\s*(?:that\b|:)?\s*"
    r"|\bfor\s+the\s+(?:bible|record)\s*[:,\-\u2014]\s*",
    re.IGNORECASE,
)
"""How a note is asked for: "note that …", "note: …", "make a note: …", "remember that …"
(a bare "note" inside a sentence is not one: "note the time")."""


def read_note(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood | None:
    """ "note that Mara never learned to swim": what to keep, in the writer's words."""
    m = _NOTE.search(said.text)
    text = said.text[m.end() :].strip(" .!?\"'") if m else ""
    if not text:
        return None
    return Understood(f"/story note {text}", say(intent, what="Saving a note to the bible"))


def read_character_remove(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    """ "remove Jonah from the cast": the character whose sheet goes (undo brings it back).
    Only a name right after the verb, or one said to leave the cast, is read: "remove
    Mara's flaw" is not removing Mara."""
    verbs = "|".join(re.escape(v) for v in [*_REMOVE, "write out"])
    for name in names_in(said.text, names):
        forms = "|".join(re.escape(f) for f in {name, name.split()[0]})
        direct = re.search(
            rf"\b(?:{verbs})\s+(?:the\s+character\s+)?(?:{forms})\b(?!'s|’s)", said.text, re.I
        )
        leaves = re.search(
            rf"\b(?:{forms})\b(?!'s|’s).*\b(?:from|out\s+of|off)\s+the\s+(?:cast|story|show|script)\b",
            said.text,
            re.IGNORECASE,
        )
        if direct or (leaves and has(said, _REMOVE)):
            return Understood(
                f'/character remove "{name}"', say(intent, what=f"Removing {name} from the cast")
            )
    return None
