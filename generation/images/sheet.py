"""Putting images together and on disk: the 2x2 sheet, PNG files under the data directory."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

LABEL_BAR = 28


def grid(images: Sequence[Image], labels: Sequence[str] = (), columns: int = 2) -> Image:
    """Images (all one size) in a grid, each with its label under it."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    w, h = images[0].size
    rows = (len(images) + columns - 1) // columns
    bar = LABEL_BAR if labels else 0
    sheet = PILImage.new("RGB", (w * columns, (h + bar) * rows), (250, 248, 240))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=16)
    for i, img in enumerate(images):
        x, y = (i % columns) * w, (i // columns) * (h + bar)
        sheet.paste(img.convert("RGB").resize((w, h)), (x, y))
        if i < len(labels):
            draw.text((x + 8, y + h + 5), labels[i], fill=(30, 30, 30), font=font)
    return sheet


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "image"


def save_png(image: Image, data_dir: Path, story_id: int, name: str) -> str:
    """Write ``image`` under data_dir/images/<story>/ and return its path relative to
    data_dir (what the database keeps, so the data directory can move)."""
    relative = Path("images") / str(story_id) / f"{slug(name)}-{uuid.uuid4().hex[:10]}.png"
    target = data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format="PNG")
    return relative.as_posix()
