"""The genre catalogue and the matcher that picks genres from a story's text.

A story's genre text ("space western", "cosy mystery") is matched against each genre's
trigger words; several matches blend their banks, so a space western gets both airlocks
and cattle. The banks themselves live in the ``vocab_*`` modules.
"""

from __future__ import annotations

import re

from generation.offline.vocab import Genre
from generation.offline.vocab_crime import CRIME, MYSTERY, THRILLER
from generation.offline.vocab_everyday import COMEDY, DRAMA, ROMANCE
from generation.offline.vocab_period import ADVENTURE, HISTORICAL, WESTERN
from generation.offline.vocab_speculative import FANTASY, HORROR, SCIFI

GENRES: tuple[Genre, ...] = (
    SCIFI,
    FANTASY,
    CRIME,
    MYSTERY,
    HORROR,
    ROMANCE,
    COMEDY,
    DRAMA,
    WESTERN,
    HISTORICAL,
    THRILLER,
    ADVENTURE,
)

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
