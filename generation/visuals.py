"""What an image prompt may take from the bible besides a character's sheet: where the
picture is set, and the words that ask for a particular person rather than a type.

A hook for generation/images/prompts.py (kept apart so that module stays its owners'):
a pose or a scene set somewhere can add ``place_look``; every prompt of a person can add
``SPECIFIC`` to what it asks for and ``STEREOTYPED`` to what it asks to avoid.
"""

from __future__ import annotations

import re

from core.models import Bible, Location

SPECIFIC = "a specific individual with their own face, build and bearing"
"""Asks for a person, not the stock figure of their gender, age or role."""
STEREOTYPED = "stereotype, generic stock character, sexualised"
"""For a negative prompt: what a person is not to be drawn as."""
LOOK_WORDS = 25


def place_look(location: Location, words: int = LOOK_WORDS) -> str:
    """ "in the Lamp Room: brass fittings, salt-bleached glass": the place by its look
    (its description when it has no look), cut to ``words`` words for CLIP's 77 tokens."""
    look = location.look or location.description
    flat = " ".join(look.split()[:words]).rstrip(",.;")
    return f"in the {location.name}: {flat}" if flat else f"in the {location.name}"


def named_place(bible: Bible, text: str) -> Location | None:
    """The story's location a pose or direction names ("on the gallery at dawn"), the
    longest name first; None when it names none."""
    for loc in sorted(bible.locations, key=lambda x: -len(x.name)):
        if re.search(rf"(?<!\w){re.escape(loc.name)}(?!\w)", text, re.IGNORECASE):
            return loc
    return None
