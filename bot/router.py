"""The offline reading of a plain-language request: which command, with which arguments.

Rules over the registry's words (bot/data/understand.toml: the phrases and synonyms that
name each command, tried in order) and small readers for each command's arguments. Small
talk gets a friendly answer, forgetting is never reached, a question that names no command
to show goes to /ask, and a sentence nothing reads is answered with the likeliest
commands to pick from.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from bot.command_tools import NEVER
from bot.registry import Registry
from bot.routes import ASK, Chat, Route, Understood, Unsure
from core.text import name_key


@functools.cache
def _rules() -> dict[str, Any]:
    raw = resources.files("bot").joinpath("data", "understand.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _padded(text: str) -> str:
    """The text's words, space-separated with a space at each end (so that " a b " in it
    finds the phrase "a b" as whole words)."""
    return f" {' '.join(_words(text))} "


@dataclasses.dataclass(frozen=True)
class Said:
    """A sentence being read: as written (spaces collapsed), and its words padded once
    for the phrase lists, which a reading tries a dozen of."""

    text: str
    padded: str

    @classmethod
    def of(cls, text: str) -> Said:
        return cls(text, _padded(text))


@functools.cache
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of phrases, found as whole words in a padded text (the
    rules' lists and the readers' own, which every request reads; never what people
    write: their words are not kept)."""
    inner = sorted({_padded(p)[1:-1] for p in phrases} - {""}, key=len, reverse=True)
    if not inner:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile(" (?:" + "|".join(re.escape(w) for w in inner) + ") ")


def prime() -> None:
    """Read the rules and compile their phrase lists now (at start), not in the time of
    the first requests (about 15 ms of a cold burst's first mentions)."""
    rules = _rules()
    lists = [rules["never"], rules["imperative"], *rules["small_talk"].values()]
    for intent in rules["intent"]:
        lists += [intent["when"], intent.get("unless", [])]
    for phrases in lists:
        _phrases(tuple(phrases))


def _has(said: Said, phrases: Sequence[str]) -> bool:
    return _phrases(tuple(phrases)).search(said.padded) is not None


def _names_in(text: str, names: Sequence[str]) -> list[str]:
    """The story's names the text mentions (by name or first name), in the text's order."""
    low = text.lower()
    found: list[tuple[int, str]] = []
    for name in names:
        for form in {name, name.split()[0]}:
            m = re.search(rf"\b{re.escape(form.lower())}(?:'s)?\b", low)
            if m:
                found.append((m.start(), name))
                break
    result: list[str] = []
    for _at, name in sorted(found):
        if name_key(name) not in {name_key(r) for r in result}:
            result.append(name)
    return result


def _after(text: str, markers: Sequence[str], *, in_order: bool = False) -> str:
    """The words after a marker ("about", "of", "where"), trimmed: after the one that
    comes first in the text, or with ``in_order`` after the first marker of the list
    that the text has (the likeliest one)."""
    low = text.lower()
    best: int | None = None
    for marker in markers:
        m = re.search(rf"\b{re.escape(marker)}\b", low)
        if m and in_order:
            best = m.end()
            break
        if m and (best is None or m.end() < best):
            best = m.end()
    if best is None:
        return ""
    return text[best:].strip(" .!?,:;")


_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2}


def _count(text: str) -> int | None:
    m = re.search(r"\b(\d+|one|two|three|four|five)\b", text.lower())
    if not m:
        return None
    word = m.group(1)
    return int(word) if word.isdigit() else _NUMBER.get(word)


def _question(said: Said) -> bool:
    words = said.padded.split()
    return said.text.rstrip().endswith("?") or bool(
        words and words[0] in set(_rules()["question_words"])
    )


ANSWERS = (
    "/character show",
    "/character list",
    "/story show",
    "/story history",
    "/summarize",
    "/help",
)
"""Commands that answer a question themselves ("who's in the cast?", "what happened in
this thread?"), by showing what the bible or the thread holds."""


def route(text: str, registry: Registry, names: Sequence[str] = ()) -> Route:
    """The offline reading of a sentence; ``names`` are the story's characters.

    Small talk and what no sentence may do get a short answer; otherwise the intents of
    bot/data/understand.toml are tried in order and the first that reads the sentence
    wins; a question that names no command to show is asked of the bible (/ask); a
    sentence nothing reads is answered with the likeliest commands, to pick from."""
    rules = _rules()
    clean = " ".join(text.split())
    said = Said.of(clean)
    low = clean.lower().strip(" .!?")
    if not low:
        return Chat(rules["chat"]["empty"], "empty")
    for kind, phrases in rules["small_talk"].items():
        if low in phrases or (_has(said, phrases) and len(said.padded.split()) <= 5):
            return Chat(rules["chat"][kind], "small_talk")
    if _has(said, rules["never"]):
        return Chat(rules["chat"]["never"], "never")
    found = next((r for r in (_read(i, said, names) for i in rules["intent"]) if r), None)
    if isinstance(found, Chat):
        return found
    shows = isinstance(found, Understood) and found.line.startswith(ANSWERS)
    if _question(said) and not shows and not _has(said, rules["imperative"]):
        return Understood(f"{ASK} {clean}", rules["said"]["ask"])
    if found is not None:
        return found
    near = _nearest(clean, registry)
    return Unsure(near) if near else Chat(rules["chat"]["unknown"])


def _nearest(text: str, registry: Registry) -> tuple[Understood, ...]:
    """Commands whose help and examples share the most words with the text (ask-back)."""
    from generation.textkit import STOPWORDS, stem

    asked = {stem(w) for w in _words(text) if w not in STOPWORDS}
    scored = []
    for resolved in registry.leaves():
        if resolved.path in NEVER or resolved.leaf.destructive:
            continue
        vocabulary = " ".join([resolved.path, resolved.leaf.help, *resolved.leaf.examples])
        known = {stem(w) for w in _words(vocabulary) if w not in STOPWORDS}
        overlap = len(asked & known)
        if overlap:
            scored.append((overlap, resolved.path))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(Understood(f"/{path}", f"/{path}") for _n, path in scored[:3] if scored[0][0] >= 1)


def _read(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Route | None:
    """One intent's reading of the text, or None when its phrases are not there."""
    if not _has(said, intent["when"]) or _has(said, intent.get("unless", [])):
        return None
    if intent["read"] == "chat":
        return Chat(_rules()["chat"][intent["chat"]], intent["chat"])
    reader = _READERS[intent["read"]]
    return reader(intent, said, names)


def _said(intent: Mapping[str, Any], **values: str) -> str:
    return str(intent["said"]).format(**values)


def _read_synopsis(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    length = "short"
    if _has(said, ["logline", "one line", "one-line", "one sentence"]):
        length = "logline"
    elif _has(said, ["page", "long", "detailed", "full synopsis"]):
        length = "page"
    direction = _after(said.text, ["of", "about", "where", "in which", "for"])
    line = f"/synopsis {length}" + (f" {direction}" if direction else "")
    return Understood(line, _said(intent, length=length))


def _read_character_new(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    """ "a character called Old Tom, a retired smuggler": the name, then the brief;
    "three names for the harbour master": takes on a role that has no name yet."""
    named = _after(said.text, ["called", "named"], in_order=True)
    count = _count(said.text) if _has(said, ["names", "options", "takes", "versions"]) else None
    if named:
        name, _, brief = (part.strip(" ,") for part in named.partition(","))
    else:
        role = _after(said.text, ["for", "character", "characters"], in_order=True)
        role = re.sub(r"^(an?|the)\s+", "", role, flags=re.IGNORECASE)
        name, brief = role.title() or "New Character", (f"the {role.lower()}" if role else "")
    line = f'/character new "{name}"'
    if count and count > 1:
        line += f" options:{min(count, 5)}"
    if brief:
        line += f" {brief}"
    return Understood(line, _said(intent, subject=name))


def _read_character_show(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    found = _names_in(said.text, names)
    if not found:  # a name the story may have, typed with a capital: the command checks it
        typed = re.search(r"\b(?:about|me|is|of)\s+((?:[A-Z][\w'-]+\s?){1,3})", said.text)
        if typed is None:
            return None
        found = [typed.group(1).strip().removesuffix("'s")]
    return Understood(f'/character show "{found[0]}"', _said(intent, name=found[0]))


def _read_plain(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    return Understood(str(intent["line"]), _said(intent))


def _read_outline(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    acts = _count(said.text) if _has(said, ["act", "acts"]) else None
    direction = _after(said.text, ["where", "with", "so that"])
    line = (
        "/outline generate" + (f" {acts}" if acts else "") + (f" {direction}" if direction else "")
    )
    return Understood(line, _said(intent, acts=f"{acts} acts" if acts else "the acts"))


def _read_dialogue(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    speakers = _names_in(said.text, names)
    if not speakers:
        return None
    situation = _after(said.text, ["where", "in which", "about", "when"])
    if not situation:
        situation = re.sub(
            r"^.*?\b(scene|dialogue|talk|conversation)\b\s*", "", said.text, flags=re.IGNORECASE
        ).strip(" .!?")
    for name in speakers:
        for form in (name, name.split()[0]):
            situation = re.sub(rf"\b{re.escape(form)}\b", "", situation, flags=re.IGNORECASE)
    situation = re.sub(r"^(?:\s*\b(?:and|between|with|&)\b)+\s*", "", " ".join(situation.split()))
    situation = re.sub(r"\s+(and|&)\s*$", "", situation).strip(" ,.")
    line = f"/dialogue {', '.join(speakers)}: {situation or 'a scene'}"
    return Understood(line, _said(intent, who=" and ".join(speakers)))


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
    return Understood(f"/story set {field} {value}", _said(intent, field=field, value=value))


def _read_portrait(
    intent: Mapping[str, Any], said: Said, names: Sequence[str]
) -> Understood | None:
    found = _names_in(said.text, names)
    if not found:
        return None
    style = _after(said.text, ["in", "as", "style"])
    line = f'/portrait "{found[0]}"' + (f" {style}" if style else "")
    return Understood(line, _said(intent, name=found[0]))


def _read_summarize(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Understood:
    what = "story" if _has(said, ["story so far", "the story", "whole story"]) else "thread"
    return Understood(f"/summarize {what}", _said(intent, what=what))


_READERS = {
    "synopsis": _read_synopsis,
    "character_new": _read_character_new,
    "character_show": _read_character_show,
    "plain": _read_plain,
    "outline": _read_outline,
    "dialogue": _read_dialogue,
    "story_set": _read_story_set,
    "portrait": _read_portrait,
    "summarize": _read_summarize,
}
