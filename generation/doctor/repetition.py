"""Repetition: how much of each new piece says what earlier pieces already said.

Scenes are compared with the scenes saved before them, sheets with the sheets before
them (a cast written from one template repeats itself). The novelty of a piece is the
share of its word trigrams that no earlier piece of its kind has; a run of six or more
words shared with an earlier piece is quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.fountain import parse
from generation.doctor.material import Artifact
from generation.textkit import words

N = 3
RUN = 6
LOW_NOVELTY = 0.75
"""Below this a piece is reported as repeating earlier material."""


@dataclass(frozen=True, slots=True)
class Novelty:
    label: str
    novelty: float
    repeats: tuple[tuple[str, str], ...] = ()
    """(the repeated run of words, the earlier piece it is from)."""

    def line(self) -> str:
        text = f"{self.label}: {self.novelty:.0%} new"
        for run, where in self.repeats[:3]:
            text += f"\n  > “{run}” (also in {where})"
        return text


def segments(art: Artifact) -> list[list[str]]:
    """Word runs that n-grams may not cross: a scene's action and speeches, not its cues."""
    if art.group != "scene":
        return [words(art.text)]
    return [
        words(e.text)
        for e in parse(art.text)
        if e.kind in ("action", "dialogue") and e.text.strip()
    ]


def grams(parts: list[list[str]], n: int) -> set[tuple[str, ...]]:
    return {tuple(p[i : i + n]) for p in parts for i in range(len(p) - n + 1)}


def novelty(material: list[Artifact]) -> list[Novelty]:
    """One figure per scene and per character (all of a sheet's fields as one piece)."""
    pieces = _pieces(material)
    out: list[Novelty] = []
    for kind in ("sheet", "scene"):
        earlier: list[tuple[str, list[list[str]]]] = []
        for group, label, parts in pieces:
            if group != kind:
                continue
            mine = grams(parts, N)
            seen: set[tuple[str, ...]] = set()
            for _, e in earlier:
                seen |= grams(e, N)
            share = 1.0 if not mine else 1 - len(mine & seen) / len(mine)
            repeats = _runs(parts, earlier) if earlier else ()
            out.append(Novelty(label, round(share, 3), repeats))
            earlier.append((label, parts))
    return out


def _pieces(material: list[Artifact]) -> list[tuple[str, str, list[list[str]]]]:
    sheets: dict[str, list[list[str]]] = {}
    out: list[tuple[str, str, list[list[str]]]] = []
    for art in material:
        if art.group == "sheet" and art.subject:
            if art.subject not in sheets:
                sheets[art.subject] = []
                out.append(("sheet", f"{art.subject}'s sheet", sheets[art.subject]))
            if not art.label.endswith(("pronouns", "age", "role", "aliases")):
                sheets[art.subject].append(words(art.text))
        elif art.group == "scene":
            out.append(("scene", art.label, segments(art)))
    return out


def _runs(
    parts: list[list[str]], earlier: list[tuple[str, list[list[str]]]]
) -> tuple[tuple[str, str], ...]:
    """Maximal runs of RUN+ words that an earlier piece also has."""
    found: list[tuple[str, str]] = []
    for label, other in earlier:
        theirs = grams(other, RUN)
        for p in parts:
            i = 0
            while i <= len(p) - RUN:
                if tuple(p[i : i + RUN]) in theirs:
                    j = i + RUN
                    while j < len(p) and tuple(p[j - RUN + 1 : j + 1]) in theirs:
                        j += 1
                    found.append((" ".join(p[i:j]), label))
                    i = j
                else:
                    i += 1
    found.sort(key=lambda r: -len(r[0]))
    return tuple(found)
