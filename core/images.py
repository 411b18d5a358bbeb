"""Generated character images as plain data: one row per image file.

The file lives under the data directory (``path`` is relative to it); the row says how it
was made, so a portrait can be made again, shown with its prompt, or listed in history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ImageKind = Literal["portrait", "expressions", "pose"]


@dataclass(frozen=True, slots=True)
class ImageRecord:
    story_id: int
    character_id: int
    character: str
    """The character's name when the image was made (a rename keeps old rows readable)."""
    kind: ImageKind
    prompt: str
    negative_prompt: str
    seed: int
    backend: str
    model: str
    width: int
    height: int
    steps: int
    seconds: float
    path: str
    id: int = 0
    thread: str | None = None
    """The reply thread the image was posted in, so follow-ups there can act on it."""
    params: dict[str, Any] = field(default_factory=dict)
    """How to make it again: style, pose, variation of which image."""
    accepted: bool = False
    created_by: str = ""
    created_at: float = 0.0

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"
