"""A scripted "model" for map-reduce tests: the fake OpenAI server answers summary prompts
with JSON read off the numbered lines it was sent, so what comes back cites real messages.

- map: a line with "decided"/"going with" is a decision, one ending in "?" a question, one
  with "can you" an action item for the first word (a name); characters are none.
- merge: keeps every ref it was given (the last D of each subject is not worked out:
  tests that need reversals assert on what the merge call was sent).
- TL;DR: the words of the first line it was sent, so it traces to the thread (a made-up
  one would be dropped; ``untraceable`` answers with one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.fakes import FakeReply

_LINE = re.compile(r"^(\d+) ([^:]+): (.*)$")
_MERGED = re.compile(r"^([DXQATS]) (\d+)")
_MERGED_TEXT = re.compile(r"^([DXQATS]) (\d+)(?: owner=[^:]+)?: (.*)$")


def answer(body: Mapping[str, Any]) -> FakeReply:
    messages = body.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    user = str(messages[-1].get("content", "")) if messages else ""
    if system.startswith("You merge"):
        refs: dict[str, list[int]] = {k: [] for k in "DXQATS"}
        for line in user.splitlines():
            m = _MERGED.match(line)
            if m:
                refs[m.group(1)].append(int(m.group(2)))
        first = next((m.group(3) for m in map(_MERGED_TEXT.match, user.splitlines()) if m), "")
        return FakeReply.say_json(
            {
                "tldr": [first.rstrip("…")] if first else [],
                "decisions": refs["D"],
                "reversed": refs["X"],
                "open_questions": refs["Q"],
                "action_items": refs["T"],
            }
        )
    return FakeReply.say_json(map_answer(user))


def map_json(**parts: Any) -> dict[str, Any]:
    """A map answer with every key the schema requires, empty unless given."""
    keys = ("tldr", "decisions", "dropped", "questions", "answers", "action_items")
    out: dict[str, Any] = {k: [] for k in (*keys, "story_changes", "characters")}
    out.update(parts)
    return out


def map_answer(user: str) -> dict[str, Any]:
    lines = [m for m in map(_LINE.match, user.splitlines()) if m]
    out = map_json(tldr=[lines[0].group(3)] if lines else [])
    for line in user.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        ref, text = int(m.group(1)), m.group(3)
        low = text.lower()
        if "decided" in low or "going with" in low:
            out["decisions"].append({"text": text, "ref": ref})
        if text.rstrip().endswith("?") and "can you" not in low:
            out["questions"].append({"text": text, "ref": ref})
        if "can you" in low:
            owner = text.split(",")[0].split()[0]
            out["action_items"].append({"owner": owner, "task": text, "due": "", "ref": ref})
    return out


def untraceable(body: Mapping[str, Any]) -> FakeReply:
    """A map answer whose points say what no message says (a model making things up):
    a decision and a task citing real messages, a TL;DR and a character from nowhere."""
    lines = [m for m in map(_LINE.match, str(body["messages"][-1]["content"]).splitlines()) if m]
    ref = int(lines[0].group(1)) if lines else 1
    return FakeReply.say_json(
        map_json(
            tldr=["The crew agreed to film the finale on the Moon with Werner Herzog."],
            decisions=[{"text": "The budget doubles and the studio approves a sequel", "ref": ref}],
            action_items=[
                {"owner": "Zelda Quince", "task": "book the Moon", "due": "", "ref": ref}
            ],
            characters=["Werner Herzog"],
        )
    )


def refs_sent(body: Mapping[str, Any]) -> list[int]:
    """The message numbers a map request carried."""
    user = str(body["messages"][-1]["content"])
    return [int(m.group(1)) for m in map(_LINE.match, user.splitlines()) if m]


__all__ = ["answer", "map_answer", "map_json", "refs_sent", "untraceable"]
