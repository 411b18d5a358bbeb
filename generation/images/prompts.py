"""Image prompts from the bible: a character's look in the story's visual style.

Pure functions on plain data. CLIP reads 77 tokens, so the prompt leads with what matters
(who, how they look) and keeps the sheet's appearance to its first few dozen words.
"""

from __future__ import annotations

import hashlib
import re

from core.models import Character, Story
from generation.images.base import Subject

NEGATIVE = (
    "blurry, lowres, deformed, disfigured, extra limbs, extra fingers, bad hands, "
    "text, watermark, signature, cropped face"
)
EXPRESSIONS = ("neutral", "joy", "anger", "fear")
_EXPRESSION_WORDS = {
    "neutral": "calm neutral expression",
    "joy": "laughing, joyful expression",
    "anger": "furious, angry expression",
    "fear": "frightened, fearful expression",
}
MAX_APPEARANCE_WORDS = 40


def subject_of(c: Character) -> Subject:
    return Subject(
        name=c.name,
        role=c.role,
        pronouns=c.pronouns,
        age=c.age,
        appearance=c.appearance,
        one_line=c.one_line,
    )


def character_seed(story_id: int, character_id: int) -> int:
    """A character's seed until the room accepts a portrait: stable, distinct per character."""
    digest = hashlib.sha256(f"writersroom:{story_id}:{character_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**31 - 1) + 1


def _short(text: str, words: int) -> str:
    parts = re.sub(r"\s+", " ", text).strip().split(" ")
    return " ".join(parts[:words]).rstrip(",.;")


def _who(c: Character) -> str:
    pronoun = c.pronouns.split("/")[0].strip().lower()
    kind = {"she": "woman", "he": "man"}.get(pronoun, "person")
    age = f"{c.age.strip()}-year-old " if c.age.strip().isdigit() else ""
    described = f"{age}{kind}" + (f", {c.age.strip()}" if c.age.strip() and not age else "")
    return f"{c.name}, a {described}" + (f", the story's {c.role}" if c.role else "")


def visual_style(story: Story, style: str = "") -> str:
    """The style asked for, else the story's style notes, else one from genre and tone."""
    if style.strip():
        return style.strip()
    if story.style.strip():
        return _short(story.style, 15)
    mood = ", ".join(x for x in (story.genre, story.tone) if x)
    return f"cinematic character art, {mood}" if mood else "cinematic character art"


def portrait_prompt(c: Character, story: Story, style: str = "") -> str:
    look = _short(c.appearance, MAX_APPEARANCE_WORDS) or _short(c.one_line, 20)
    parts = [
        f"portrait of {_who(c)}",
        look,
        visual_style(story, style),
        "detailed face, head and shoulders",
    ]
    return ", ".join(p for p in parts if p)


def expression_prompts(c: Character, story: Story, style: str = "") -> tuple[str, ...]:
    base = portrait_prompt(c, story, style)
    return tuple(f"{base}, {_EXPRESSION_WORDS[e]}" for e in EXPRESSIONS)


def pose_prompt(c: Character, story: Story, pose: str, style: str = "") -> str:
    look = _short(c.appearance, MAX_APPEARANCE_WORDS) or _short(c.one_line, 20)
    parts = [
        f"full body shot of {_who(c)}, {_short(pose, 30)}",
        look,
        visual_style(story, style),
        "dynamic composition",
    ]
    return ", ".join(p for p in parts if p)
