"""The offline image backend: a drawn character card, deterministic, clearly a placeholder.

Nothing is generated: the card is drawn with Pillow from the sheet. The palette comes from
a hash of the name and role, and the features from words of the appearance (hair colour
and length, eyes, glasses, beard, hat, scar, build), so two characters look different and
one character looks the same every time. Expression and pose labels change the face and
the arms. A banner says it is a placeholder.
"""

from __future__ import annotations

import asyncio
import colorsys
import hashlib
import random
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generation.images.base import (
    ImageRequest,
    ImageResult,
    OnProgress,
    OnQueue,
    Plan,
    Progress,
    Subject,
)

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw

WIDTH, HEIGHT = 384, 480
MODEL = "offline card"

_HAIR = {
    "red": (170, 50, 30),
    "ginger": (190, 90, 40),
    "auburn": (130, 45, 30),
    "black": (25, 22, 22),
    "dark": (45, 35, 30),
    "brown": (95, 60, 35),
    "chestnut": (110, 55, 30),
    "blond": (225, 195, 120),
    "blonde": (225, 195, 120),
    "fair": (215, 190, 140),
    "grey": (150, 150, 150),
    "gray": (150, 150, 150),
    "silver": (195, 195, 205),
    "white": (235, 235, 230),
    "blue": (50, 90, 200),
    "green": (40, 140, 80),
    "pink": (225, 110, 160),
    "purple": (110, 60, 150),
}
_EYES = {
    "blue": (60, 110, 200),
    "green": (50, 140, 80),
    "brown": (90, 55, 30),
    "grey": (120, 125, 130),
    "gray": (120, 125, 130),
    "hazel": (130, 100, 50),
    "amber": (200, 140, 40),
    "black": (20, 20, 20),
    "dark": (40, 30, 25),
}
_SKIN = {
    "pale": (240, 215, 195),
    "freckled": (235, 200, 175),
    "olive": (195, 160, 115),
    "tan": (200, 150, 110),
    "brown": (150, 100, 70),
    "dark": (100, 65, 45),
    "black": (85, 55, 40),
}
_TONES = [
    (240, 210, 185),
    (225, 185, 150),
    (195, 150, 110),
    (160, 115, 80),
    (120, 80, 55),
    (95, 62, 45),
]
_MOODS = {
    "joy": "smile",
    "happy": "smile",
    "laugh": "smile",
    "anger": "angry",
    "angry": "angry",
    "furious": "angry",
    "fear": "afraid",
    "afraid": "afraid",
    "scared": "afraid",
    "sad": "sad",
    "sorrow": "sad",
    "grief": "sad",
}


@dataclass(frozen=True, slots=True)
class Look:
    """What the card shows of a character: pure data, from the sheet."""

    background: tuple[int, int, int]
    accent: tuple[int, int, int]
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    hair_style: str  # "bald" | "short" | "long" | "curly"
    eyes: tuple[int, int, int]
    glasses: bool
    beard: bool
    hat: bool
    scar: bool
    width: float  # shoulders, 0.8 (slight) .. 1.25 (broad)
    height: float  # head position, 0.9 (short) .. 1.1 (tall)
    dark_role: bool


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _after(
    words: list[str], colours: dict[str, tuple[int, int, int]], noun: set[str]
) -> tuple[int, int, int] | None:
    """The colour word just before one of ``noun`` ("green eyes", "red hair")."""
    for i, w in enumerate(words):
        if w in noun:
            for back in range(1, 4):
                if i - back >= 0 and words[i - back] in colours:
                    return colours[words[i - back]]
    return None


def look_of(subject: Subject) -> Look:
    """A character's look: palette from the name and role, features from the appearance."""
    digest = hashlib.sha256(f"{subject.name}\x1f{subject.role}".encode()).digest()
    rng = random.Random(digest)
    words = _words(subject.appearance)
    text = " ".join(words)
    role = subject.role.lower()
    dark_role = any(w in role for w in ("antagonist", "villain", "rival", "enemy"))
    hue = digest[0] / 255
    light, sat = (0.22, 0.45) if dark_role else (0.55 + rng.random() * 0.15, 0.35)
    background = tuple(int(c * 255) for c in colorsys.hls_to_rgb(hue, light, sat))
    accent = tuple(int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.5) % 1, 0.5, 0.6))
    hair = _after(words, _HAIR, {"hair", "braid", "braids", "curls", "ponytail", "beard"})
    hair = hair or rng.choice(list(_HAIR.values())[:9])
    age = next((int(w) for w in re.findall(r"\d+", subject.age)), 0)
    if age >= 65 or "old" in words or "elderly" in words:
        hair = _HAIR["grey"] if not _after(words, _HAIR, {"hair"}) else hair
    style = "short"
    if "bald" in words or "shaved" in words:
        style = "bald"
    elif any(w in words for w in ("long", "braid", "braids", "ponytail", "flowing")):
        style = "long"
    elif any(w in words for w in ("curly", "curls", "afro")):
        style = "curly"
    skin = _after(words, _SKIN, {"skin", "skinned", "complexion"})
    skin = (
        skin
        or next((v for k, v in _SKIN.items() if k in ("pale", "freckled") and k in words), None)
        or rng.choice(_TONES)
    )
    eyes = _after(words, _EYES, {"eyes", "eyed", "eye"}) or rng.choice(list(_EYES.values()))
    width = 1.0 + (0.2 if any(w in words for w in ("broad", "stocky", "burly", "heavy")) else 0)
    width -= 0.15 if any(w in words for w in ("thin", "slight", "wiry", "slender", "gaunt")) else 0
    height = (
        1.0
        + (0.08 if "tall" in words else 0)
        - (0.08 if "short" in words and "short hair" not in text else 0)
    )
    return Look(
        background=background,  # type: ignore[arg-type]
        accent=accent,  # type: ignore[arg-type]
        skin=skin,
        hair=hair,
        hair_style=style,
        eyes=eyes,
        glasses=any(w in words for w in ("glasses", "spectacles", "monocle")),
        beard=any(w in words for w in ("beard", "bearded", "moustache", "mustache", "stubble")),
        hat=any(w in words for w in ("hat", "cap", "hood", "hooded", "helmet", "beret")),
        scar="scar" in words or "scarred" in words,
        width=width,
        height=height,
        dark_role=dark_role,
    )


def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _face(d: ImageDraw, look: Look, cx: int, cy: int, mood: str) -> None:
    hx, hy = 62, 78
    if look.hair_style == "long":
        d.rounded_rectangle((cx - hx - 14, cy - hy, cx + hx + 14, cy + hy + 70), 40, fill=look.hair)
    d.ellipse((cx - hx, cy - hy, cx + hx, cy + hy), fill=look.skin, outline=(30, 30, 30), width=2)
    if look.hair_style == "curly":
        for i in range(9):
            x = cx - hx + i * (2 * hx) // 8
            d.ellipse((x - 20, cy - hy - 18, x + 20, cy - hy + 26), fill=look.hair)
    elif look.hair_style != "bald":
        d.chord((cx - hx - 4, cy - hy - 8, cx + hx + 4, cy + 20), 180, 360, fill=look.hair)
    if look.hat:
        d.rectangle((cx - hx - 20, cy - hy + 4, cx + hx + 20, cy - hy + 18), fill=look.accent)
        d.rounded_rectangle(
            (cx - hx + 6, cy - hy - 40, cx + hx - 6, cy - hy + 8), 12, fill=look.accent
        )
    brow = {"angry": 8, "afraid": -8, "sad": -5}.get(mood, 0)
    for side in (-1, 1):
        ex = cx + side * 26
        d.ellipse((ex - 11, cy - 10, ex + 11, cy + 8), fill=(250, 250, 250))
        size = 8 if mood == "afraid" else 6
        d.ellipse((ex - size, cy - 6, ex + size, cy + 4 + size // 2), fill=look.eyes)
        inner, outer = (
            (cy - 22 + brow, cy - 22 - brow) if side == -1 else (cy - 22 - brow, cy - 22 + brow)
        )
        d.line(
            (ex - 14, outer if side == -1 else inner, ex + 14, inner if side == -1 else outer),
            fill=look.hair if look.hair_style != "bald" else (60, 40, 30),
            width=4,
        )
        if look.glasses:
            d.ellipse((ex - 17, cy - 16, ex + 17, cy + 14), outline=(20, 20, 20), width=3)
    if look.glasses:
        d.line((cx - 9, cy - 2, cx + 9, cy - 2), fill=(20, 20, 20), width=3)
    if look.scar:
        d.line((cx + 30, cy + 12, cx + 46, cy + 40), fill=(150, 40, 40), width=3)
    if look.beard:
        d.chord((cx - hx + 6, cy - 10, cx + hx - 6, cy + hy + 14), 0, 180, fill=look.hair)
    mouth = (cx - 22, cy + 30, cx + 22, cy + 54)
    if mood == "smile":
        d.arc(mouth, 15, 165, fill=(120, 30, 40), width=4)
    elif mood in ("sad", "angry"):
        d.arc((cx - 22, cy + 42, cx + 22, cy + 66), 200, 340, fill=(120, 30, 40), width=4)
    elif mood == "afraid":
        d.ellipse((cx - 9, cy + 36, cx + 9, cy + 56), fill=(90, 20, 30))
    else:
        d.line((cx - 18, cy + 44, cx + 18, cy + 44), fill=(120, 30, 40), width=4)


def _body(d: ImageDraw, look: Look, cx: int, top: int, pose: str, rng: random.Random) -> None:
    half = int(110 * look.width)
    d.rounded_rectangle(
        (cx - half, top, cx + half, HEIGHT + 40),
        60,
        fill=look.accent,
        outline=(30, 30, 30),
        width=2,
    )
    d.rectangle((cx - 22, top - 20, cx + 22, top + 6), fill=look.skin)
    if not pose:
        return
    # An arm per side at an angle drawn from the pose's words: enough to tell poses apart.
    for side in (-1, 1):
        angle = rng.uniform(-70, 70)
        sx, sy = cx + side * (half - 16), top + 30
        length = 120
        import math

        ex = sx + side * int(length * math.cos(math.radians(angle)))
        ey = sy - int(length * math.sin(math.radians(angle)))
        d.line((sx, sy, ex, ey), fill=look.accent, width=30)
        d.ellipse((ex - 16, ey - 16, ex + 16, ey + 16), fill=look.skin)


def draw_card(subject: Subject, seed: int, label: str = "") -> Image:
    """One card: deterministic in (subject, seed, label)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    look = look_of(subject)
    mood = next((m for w, m in _MOODS.items() if w in label.lower()), "neutral")
    pose = "" if label.lower() in ("", "portrait") or mood != "neutral" else label
    img = PILImage.new("RGB", (WIDTH, HEIGHT), look.background)
    d = ImageDraw.Draw(img)
    rng = random.Random(f"{seed}\x1f{label}\x1f{subject.name}")
    for _ in range(14):  # the seed's texture: a variation looks related, not the same
        x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(10, 60)
        shade = tuple(min(255, max(0, c + rng.randint(-18, 18))) for c in look.background)
        d.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    cx, cy = WIDTH // 2, int(190 / look.height)
    _body(d, look, cx, cy + 70, pose, random.Random(f"{label}\x1f{subject.name}"))
    _face(d, look, cx, cy, mood)
    d.rectangle((0, 0, WIDTH, 30), fill=(20, 20, 20))
    d.text(
        (10, 7),
        "PLACEHOLDER · offline sketch, not a generated image",
        fill=(255, 220, 80),
        font=_font(13),
    )
    d.rectangle((0, HEIGHT - 62, WIDTH, HEIGHT), fill=(250, 248, 240))
    d.text((12, HEIGHT - 56), subject.name[:28], fill=(20, 20, 20), font=_font(24))
    detail = " · ".join(x for x in (subject.role, label if label != "portrait" else "") if x)
    d.text((12, HEIGHT - 24), detail[:52], fill=(90, 90, 90), font=_font(14))
    return img


class OfflineBackend:
    """Draws placeholder cards; no model, no network, no torch."""

    name = "offline"

    @property
    def model(self) -> str:
        return MODEL

    async def check(self) -> None:
        return None

    async def plan(self, request: ImageRequest) -> Plan:
        return Plan(WIDTH, HEIGHT, 0, "none")

    async def generate(
        self,
        request: ImageRequest,
        on_progress: OnProgress | None = None,
        on_queue: OnQueue | None = None,
    ) -> ImageResult:
        subject = request.subject or Subject(name="Someone")
        labels = request.labels or ("portrait",) * len(request.prompts)
        t0 = time.perf_counter()
        images = await asyncio.to_thread(
            lambda: tuple(draw_card(subject, request.seed_of(i), lb) for i, lb in enumerate(labels))
        )
        seconds = time.perf_counter() - t0
        if on_progress is not None:
            await on_progress(Progress(1, 1, seconds))
        return ImageResult(
            images,
            self.name,
            MODEL,
            0,
            seconds,
            placeholder=True,
            note="offline placeholder: WRITERSROOM_IMAGE_BACKEND picks a real one",
        )

    async def aclose(self) -> None:
        return None
