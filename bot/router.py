"""The offline reading of a plain-language request: which command, with which arguments.

Rules over the registry's words (bot/data/understand.toml: the phrases and synonyms that
name each command, tried in order) and small readers for each command's arguments. Small
talk gets a friendly answer, forgetting is never reached, a question that names no command
to show goes to /ask, and a sentence nothing reads is answered with the likeliest
commands to pick from.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from bot.command_tools import NEVER
from bot.readers import READERS
from bot.registry import Registry
from bot.routes import ASK, Chat, Route, Understood, Unsure
from bot.said import Said, has, mended, phrase_pattern, words


@functools.cache
def _rules() -> dict[str, Any]:
    raw = resources.files("bot").joinpath("data", "understand.toml").read_text("utf-8")
    return tomllib.loads(raw)


def prime() -> None:
    """Read the rules and compile their phrase lists now (at start), not in the time of
    the first requests (about 15 ms of a cold burst's first mentions)."""
    rules = _rules()
    lists = [rules["never"], rules["imperative"], *rules["small_talk"].values()]
    for intent in rules["intent"]:
        lists += [intent["when"], intent.get("unless", [])]
    for phrases in lists:
        phrase_pattern(tuple(phrases))


def alias(word: str, rest: str) -> str | None:
    """The command line a word typed as a command stands for ("/beat add 2 …" is
    "/outline add 2 …", "/chars" is "/character list"); None when it stands for none."""
    entry = _rules()["aliases"].get(word.lower())
    if entry is None:
        return None
    rest = rest.strip()
    if rest and "with" in entry:
        return f"{entry['with']} {rest}"
    return None if rest else entry.get("alone")


def _asks(said: Said) -> bool:
    """Whether the sentence starts with a question word ("what happens in beat 7?"); a
    request put as a question ("could you cut beat 7?") does not."""
    first = said.padded.split()[:1]
    return bool(first and first[0] in set(_rules()["question_words"]))


def _question(said: Said) -> bool:
    return said.text.rstrip().endswith("?") or _asks(said)


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
    clean = mended(" ".join(text.split()), names)  # "shwo me scene 3": "show me scene 3"
    said = Said.of(clean)
    low = clean.lower().strip(" .!?")
    if not low:
        return Chat(rules["chat"]["empty"], "empty")
    for kind, phrases in rules["small_talk"].items():
        if low in phrases or (has(said, phrases) and len(said.padded.split()) <= 5):
            return Chat(rules["chat"][kind], "small_talk")
    if has(said, rules["never"]):
        return Chat(rules["chat"]["never"], "never")
    found, intent = next(
        ((r, i) for i in rules["intent"] if (r := _read(i, said, names)) is not None),
        (None, None),
    )
    if isinstance(found, Chat):
        return found
    shows = isinstance(found, Understood) and found.line.startswith(ANSWERS)
    asked = _asks(said) if intent is not None and intent.get("request") else _question(said)
    if asked and not shows and not has(said, rules["imperative"]):
        return Understood(f"{ASK} {clean}", rules["said"]["ask"])
    if found is not None:
        return found
    near = _nearest(clean, registry)
    return Unsure(near) if near else Chat(rules["chat"]["unknown"])


def _nearest(text: str, registry: Registry) -> tuple[Understood, ...]:
    """Commands whose help and examples share the most words with the text (ask-back)."""
    from generation.textkit import STOPWORDS, stem

    asked = {stem(w) for w in words(text) if w not in STOPWORDS}
    scored = []
    for resolved in registry.leaves():
        if resolved.path in NEVER or resolved.leaf.destructive:
            continue
        vocabulary = " ".join([resolved.path, resolved.leaf.help, *resolved.leaf.examples])
        known = {stem(w) for w in words(vocabulary) if w not in STOPWORDS}
        overlap = len(asked & known)
        if overlap:
            scored.append((overlap, resolved.path))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return tuple(Understood(f"/{path}", f"/{path}") for _n, path in scored[:3] if scored[0][0] >= 1)


def _read(intent: Mapping[str, Any], said: Said, names: Sequence[str]) -> Route | None:
    """One intent's reading of the text, or None when its phrases are not there."""
    if not has(said, intent["when"]) or has(said, intent.get("unless", [])):
        return None
    if intent["read"] == "chat":
        return Chat(_rules()["chat"][intent["chat"]], intent["chat"])
    reader = READERS[intent["read"]]
    return reader(intent, said, names)
