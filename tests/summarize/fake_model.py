"""A scripted "model" for map-reduce tests: the fake OpenAI server answers summary prompts
with JSON read off the numbered lines it was sent, so what comes back cites real messages.

- map: a line with "decided"/"going with" is a decision, one ending in "?" a question, one
  with "can you" an action item for the first word (a name); characters are none.
- merge: keeps every ref it was given (the last D of each subject is not worked out:
  tests that need reversals assert on what the merge call was sent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.fakes import FakeReply

_LINE = re.compile(r"^(\d+) ([^:]+): (.*)$")
_MERGED = re.compile(r"^([DXQATS]) (\d+)")


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
        return FakeReply.say_json(
            {
                "tldr": ["Merged summary."],
                "decisions": refs["D"],
                "reversed": refs["X"],
                "open_questions": refs["Q"],
                "action_items": refs["T"],
            }
        )
    return FakeReply.say_json(map_answer(user))


def map_answer(user: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tldr": ["A part of the thread."],
        "decisions": [],
        "dropped": [],
        "questions": [],
        "answers": [],
        "action_items": [],
        "story_changes": [],
        "characters": [],
    }
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


def refs_sent(body: Mapping[str, Any]) -> list[int]:
    """The message numbers a map request carried."""
    user = str(body["messages"][-1]["content"])
    return [int(m.group(1)) for m in map(_LINE.match, user.splitlines()) if m]


__all__ = ["answer", "map_answer", "refs_sent"]
