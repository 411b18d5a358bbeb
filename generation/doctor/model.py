"""The model's critique, grounded: every point must quote the material, and a point
whose quote is not in the bible is dropped (the room should never chase an invented line).
"""

from __future__ import annotations

from typing import Any

from generation.doctor.material import Artifact
from generation.doctor.report import Report, render
from generation.prompts import Message
from generation.sheets import find_json_object

MAX_CHARS = 24_000
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "points": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "section": {"type": "string"},
                    "point": {"type": "string"},
                    "quote": {"type": "string"},
                    "where": {"type": "string"},
                },
                "required": ["section", "point", "quote", "where"],
            },
        }
    },
    "required": ["points"],
}


BALANCE_TASK = (
    "Review this story bible for balance and bias only: who speaks and how much, how "
    "characters of each gender are described (looks against what they want, do and can "
    "do), who is given violence, and whether women talk to each other about something "
    "other than men. Phrase every point as an observation for the room to judge, never a "
    "verdict. The automatic checks already found what follows; add what they missed."
)
FULL_TASK = (
    "Review this story bible for: continuity (contradictions between scenes, sheets and "
    "notes: ages, eye colour, relationships, who knows what), clichés and repetition, and "
    "cast balance and bias (who speaks, looks against agency, violence, the Bechdel–Wallace "
    "test; phrase these as observations, not verdicts). The automatic checks already found "
    "what follows; add what they missed."
)


def messages(
    material: list[Artifact], report: Report, *, only_balance: bool = False
) -> list[Message]:
    text, used = [], 0
    for a in material:
        piece = f"[{a.label}]\n{a.text.strip()}\n"
        if used + len(piece) > MAX_CHARS:
            break
        text.append(piece)
        used += len(piece)
    return [
        {
            "role": "system",
            "content": (
                "You are a script doctor for a writers' room. Be specific and brief. Every point "
                "must quote, word for word, the passage it is about, and name where it is."
            ),
        },
        {
            "role": "user",
            "content": (
                (BALANCE_TASK if only_balance else FULL_TASK)
                + "\n\n"
                + render(report, only_balance=only_balance)
                + "\n\nThe material:\n\n"
                + "\n".join(text)
                + '\nAnswer with JSON: {"points": [{"section", "point", "quote", "where"}]}'
            ),
        },
    ]


def grounded(answer: str, material: list[Artifact]) -> list[str]:
    """The model's points whose quote is really in the material, as report lines."""
    data = find_json_object(answer) or {}
    corpus = " ".join(" ".join(a.text.split()) for a in material).lower()
    out: list[str] = []
    for p in data.get("points") or []:
        if not isinstance(p, dict):
            continue
        q = " ".join(str(p.get("quote", "")).split()).strip("“”\"' ")
        point = " ".join(str(p.get("point", "")).split())
        if len(q) < 8 or not point or q.lower() not in corpus:
            continue
        section = str(p.get("section", "")).strip().capitalize() or "Note"
        where = " ".join(str(p.get("where", "")).split())
        out.append(f"{section}: {point} (“{q[:200]}”" + (f", {where})" if where else ")"))
    return out[:12]
