"""The annotated threads the summary benchmarks read: bench/threads/*.json.

Each file is one thread as the platform gave it, with what a good digest of it says::

    {"title", "platform", "channel",
     "split": "tuning" | "holdout",
     "bible": {"characters": [names]},          # optional: the story's cast, as the bot has it
     "messages": [{"user", "user_id", "ts", "text", "link"?}],
     "expected": {
       "decisions": ["final state", {"text": "final state", "replaces": "earlier call"}],
       "open_questions": [...], "answered_questions": [...],
       "action_items": [{"owner", "task", "due"?}],
       "characters_mentioned": [...], "room": [authors], "not_characters": [...],
       "must_not_claim": [...]}}

A decision given as an object was reached by reversing an earlier call (``replaces``):
the digest must report the final one as a decision and the earlier one as reversed.
``answered_questions`` are questions the thread answered, which a digest must not list as
open. ``not_characters`` are titles, products, studios, labels and people of the room a
digest must not list as characters.

Threads marked ``"split": "holdout"`` are never used to tune the summarizer: the report
gives their figures apart and prints no details of what a digest missed on them unless
asked (``--show-holdout``), so tuning cannot peek at them by accident. Write a new held-out
thread before changing the summarizer, never after reading its digest.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generation.summarize.model import ThreadMessage

TUNING = "tuning"
HOLDOUT = "holdout"


@dataclass
class Sample:
    name: str
    title: str
    platform: str
    split: str
    messages: list[ThreadMessage]
    expected: dict[str, Any]
    cast: list[str] = field(default_factory=list)
    """The bible's character names, when the thread's story has a bible."""

    @property
    def held_out(self) -> bool:
        return self.split == HOLDOUT

    @property
    def characters(self) -> int:
        """The thread's size: characters of its messages' text, as the platform gave it."""
        return sum(len(m.text) for m in self.messages)


def threads_dir() -> Path:
    """bench/threads, or ``$WRITERSROOM_SAMPLES`` when set."""
    override = os.environ.get("WRITERSROOM_SAMPLES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "threads"


def load_sample(path: Path) -> Sample:
    data = json.loads(path.read_text(encoding="utf-8"))
    messages = [
        ThreadMessage(m["user"], m.get("user_id", ""), str(m["ts"]), m["text"], m.get("link"))
        for m in data["messages"]
    ]
    return Sample(
        path.stem,
        str(data.get("title", path.stem)),
        str(data.get("platform", "")),
        str(data.get("split", TUNING)),
        messages,
        data["expected"],
        [str(c) for c in (data.get("bible") or {}).get("characters", [])],
    )


def load_all(folder: Path | None = None) -> list[Sample]:
    """Every thread in ``folder`` (default ``threads_dir()``), tuning ones first."""
    folder = folder or threads_dir()
    samples = [load_sample(p) for p in sorted(folder.glob("*.json"))]
    return sorted(samples, key=lambda s: (s.held_out, s.name))


def decision_texts(expected: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(final state, the call it replaced or None) for each expected decision."""
    out: list[tuple[str, str | None]] = []
    for item in expected.get("decisions", []):
        if isinstance(item, str):
            out.append((item, None))
        else:
            out.append((str(item["text"]), item.get("replaces")))
    return out
