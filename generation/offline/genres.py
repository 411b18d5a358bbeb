"""The genre catalogue and the matcher that picks genres from a story's text.

A story's genre text ("space western", "cosy mystery") is matched against each genre's
trigger words; several matches blend their banks, so a space western gets both airlocks
and cattle. The banks themselves are data: ``data/genres.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Bible
from generation.packdata import load


@dataclass(frozen=True, slots=True)
class Genre:
    """One genre's banks; entries are grammar templates (see ``grammar``), mostly phrases."""

    key: str
    label: str
    triggers: tuple[str, ...]
    places: tuple[str, ...]  # where a story could be set, with an article
    rooms: tuple[str, ...]  # interiors for scene headings, without article
    outside: tuple[str, ...]  # exteriors for scene headings
    prizes: tuple[str, ...]  # what people want to get hold of
    forces: tuple[str, ...]  # organised opposition, named or not
    jobs: tuple[str, ...]  # occupations for invented people
    threats: tuple[str, ...]
    deadlines: tuple[str, ...]  # "before ..." phrases, without "before"
    textures: tuple[str, ...]  # sensory fragments
    stakes: tuple[str, ...]
    secrets: tuple[str, ...]  # clauses: "the colony was never meant to last"
    shapes: tuple[str, ...]  # story shapes this genre leans toward


@dataclass(frozen=True, slots=True)
class _Catalogue:
    genres: tuple[Genre, ...]


GENRES: tuple[Genre, ...] = load(_Catalogue, "generation.offline", "data/genres.toml").genres
"""Every genre, in matching order: on a tie the earlier one wins."""

BY_KEY = {g.key: g for g in GENRES}


def match_genres(*texts: str) -> list[Genre]:
    """Genres whose trigger words occur in the texts, strongest first (may be empty)."""
    joined = " ".join(t.lower() for t in texts if t)
    if not joined.strip():
        return []
    scored: list[tuple[int, int, Genre]] = []
    for index, genre in enumerate(GENRES):
        hits = sum(1 for t in genre.triggers if re.search(rf"\b{re.escape(t)}", joined))
        if hits:
            scored.append((-hits, index, genre))
    return [g for _, _, g in sorted(scored, key=lambda s: (s[0], s[1]))]


FALLBACK = "drama"
"""The banks a story whose texts name no genre draws on: people, homes and work, nothing
that belongs to a genre the story is not (no evidence lockers in a lighthouse)."""


def matched_genres(bible: Bible) -> list[Genre]:
    """The genres a story's own texts name: its genre field's first, then what its logline,
    setting, title and locations add (may be empty)."""
    s = bible.story
    first = match_genres(s.genre)
    places = " ".join(f"{loc.name} {loc.description}" for loc in bible.locations)
    return first + [
        g for g in match_genres(s.logline, s.setting, s.title, places) if g not in first
    ]


def story_genres(bible: Bible) -> list[Genre]:
    """The genres a story's banks come from: ``matched_genres``, or the fallback when its
    texts name none. Never a genre chosen at random."""
    return matched_genres(bible) or [BY_KEY[FALLBACK]]
