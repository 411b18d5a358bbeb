"""A tiny generative grammar: templates with slots, choices and optional parts.

Syntax inside a template:

- ``{slot}``: a value from the slots (a string is itself a template; a tuple or list is a
  choice of templates; a ``Lit`` is a writer's text and is never expanded);
- ``{hero.their}``: a form of a figure (see ``cast.Figure.form``);
- ``{one|two|three}``: one of the alternatives, each itself a template;
- ``{?words}``: the words or nothing, even odds;
- ``{a}``: "a" or "an", whichever suits the next word.

``finish`` tidies the result: articles, spacing, capitals at sentence starts.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

_A = "\x01"
_SLOT = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]+)?$")
_MAX_DEPTH = 12


class Lit(str):
    """A writer's own text: inserted as it is, never read as a template."""

    __slots__ = ()


class HasForms(Protocol):
    def form(self, key: str, first: bool) -> str: ...


SlotValue = str | Sequence[str] | HasForms


class GrammarError(KeyError):
    """A template names a slot nobody filled: a bug in the templates, not in the input."""


class Expander:
    """Expands templates against one set of slots with one random source.

    It remembers which figures were already named, so the first mention gives a full
    name ("Mara Okafor") and later ones the short name ("Mara").
    """

    def __init__(self, rng: random.Random, slots: Mapping[str, SlotValue]) -> None:
        self.rng = rng
        self.slots = dict(slots)
        self.named: set[str] = set()

    def __call__(self, template: str) -> str:
        return finish(self.expand(template))

    def with_slots(self, **more: SlotValue) -> Expander:
        """A child expander that shares randomness and mentions but has extra slots."""
        child = Expander(self.rng, {**self.slots, **more})
        child.named = self.named
        return child

    def pick(self, options: Sequence[str]) -> str:
        return finish(self.expand(self.rng.choice(list(options))))

    def expand(self, template: str, depth: int = 0) -> str:
        if isinstance(template, Lit):
            return str(template)
        if depth > _MAX_DEPTH:
            raise GrammarError(f"template nests too deeply: {template[:60]!r}")
        out: list[str] = []
        i = 0
        while i < len(template):
            ch = template[i]
            if ch != "{":
                out.append(ch)
                i += 1
                continue
            end = _matching(template, i)
            out.append(self._inner(template[i + 1 : end], depth))
            i = end + 1
        return "".join(out)

    def _inner(self, inner: str, depth: int) -> str:
        if inner == "a":
            return _A
        if inner.startswith("?"):
            return self.expand(inner[1:], depth + 1) if self.rng.random() < 0.5 else ""
        parts = _split_top(inner)
        if len(parts) == 1 and _SLOT.match(inner):
            return self._slot(inner, depth)
        return self.expand(self.rng.choice(parts), depth + 1)

    def _slot(self, name: str, depth: int) -> str:
        base, _, form = name.partition(".")
        if base not in self.slots:
            raise GrammarError(f"no slot named {base!r}")
        value = self.slots[base]
        if hasattr(value, "form"):
            naming = form in ("", "intro", "poss")
            first = naming and base not in self.named
            if naming:
                self.named.add(base)
            return str(value.form(form, first))
        if form:
            raise GrammarError(f"slot {base!r} has no forms")
        if isinstance(value, str):
            return self.expand(value, depth + 1)
        choices = list(value)
        if not choices:
            return ""
        return self.expand(self.rng.choice(choices), depth + 1)


def _matching(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise GrammarError(f"unclosed brace in template: {text[start : start + 60]!r}")


def _split_top(inner: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


_AN_EXCEPTIONS = ("uni", "use", "usu", "uti", "eu", "one", "once", "ubiq", "ura", "ure", "euro")
_AN_SILENT_H = ("hour", "honest", "honou", "honor", "heir")


def article(word: str) -> str:
    """ "a" or "an" for the word that follows."""
    w = word.lower().lstrip("\"'“‘(")
    if not w:
        return "a"
    if w.startswith(_AN_SILENT_H):
        return "an"
    if w[0] in "aeiou":
        return "a" if w.startswith(_AN_EXCEPTIONS) else "an"
    if w[0] == "8" or w.startswith(("11", "18")):
        return "an"
    return "a"


_ARTICLE = re.compile(_A + r"\s*(\S*)")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")
_DOUBLE_COMMA = re.compile(r",\s*,")
_COMMA_STOP = re.compile(r",\s*([.!?])")
_DOUBLE_STOP = re.compile(r"(?<![.])\.\.(?![.])")
_SENTENCE_START = re.compile(r"(^|[.!?…][\"'”’)]*\s+|\n\s*|:\s\n)([a-z])")


def finish(text: str) -> str:
    """Articles resolved, spacing tidied, sentence starts capitalised."""
    text = _ARTICLE.sub(lambda m: f"{article(m.group(1))} {m.group(1)}", text)
    text = _DOUBLE_SPACE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(",", text)
    text = _COMMA_STOP.sub(r"\1", text)
    text = _DOUBLE_STOP.sub(".", text)
    text = re.sub(r"([!?])\.", r"\1", text)
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return text.strip()
