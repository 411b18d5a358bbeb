"""What the model is asked when it summarizes a thread: the map prompt (one chunk) and the
reduce prompt (the chunks' findings, merged), with the JSON shapes of their answers.

Every message goes to the model as ``<number> <Name>: <text>`` and every item comes back
with the number of the message it rests on (``ref``), so attribution is ours, not the
model's: the author and the link of a point are read from the message it cites. The
instructions are short on purpose; they are sent once per chunk.
"""

from __future__ import annotations

from typing import Any

from generation.prompts import Message

_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text", "ref"],
    "properties": {"text": {"type": "string"}, "ref": {"type": "integer"}},
}
_ACTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["owner", "task", "due", "ref"],
    "properties": {
        "owner": {"type": "string"},
        "task": {"type": "string"},
        "due": {"type": "string"},
        "ref": {"type": "integer"},
    },
}
_LIST = {"type": "array", "items": _ITEM}

MAP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "tldr",
        "decisions",
        "dropped",
        "questions",
        "answers",
        "action_items",
        "story_changes",
        "characters",
    ],
    "properties": {
        "tldr": {"type": "array", "items": {"type": "string"}},
        "decisions": _LIST,
        "dropped": _LIST,
        "questions": _LIST,
        "answers": _LIST,
        "action_items": {"type": "array", "items": _ACTION},
        "story_changes": _LIST,
        "characters": {"type": "array", "items": {"type": "string"}},
    },
}
_REFS = {"type": "array", "items": {"type": "integer"}}
REDUCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["tldr", "decisions", "reversed", "open_questions", "action_items"],
    "properties": {
        "tldr": {"type": "array", "items": {"type": "string"}},
        "decisions": _REFS,
        "reversed": _REFS,
        "open_questions": _REFS,
        "action_items": _REFS,
    },
}

MAP_SYSTEM = (
    "You summarize part of a writers'-room chat for a producer. Lines are "
    "'<n> <Name>: <text>'. Answer with JSON only: "
    '{"tldr":[<=3 sentences],"decisions":[{"text","ref"}],"dropped":[{"text","ref"}],'
    '"questions":[{"text","ref"}],"answers":[{"text","ref"}],'
    '"action_items":[{"owner","task","due","ref"}],"story_changes":[{"text","ref"}],'
    '"characters":[names]}. ref = the number of the message the item rests on. '
    "decisions: only what was finally settled; an idea agreed then reversed goes in dropped. "
    "questions: those not answered in this part. answers: replies that settle a question. "
    "action_items: work given to or taken by a named person (owner as named in the chat; "
    "due as said, or ''). story_changes: settled changes to characters or plot. "
    "Each text is one short clause (at most 20 words) in the chat's own words: the "
    "deciding sentence, not the whole message; jokes, reactions and sign-offs are never "
    "decisions. characters: people in the story, never the chat's own members, titles, "
    "studios or labels. Never add what the chat does not say: a point the cited message "
    "does not bear out is dropped."
)
REDUCE_SYSTEM = (
    "You merge findings from consecutive parts of one writers'-room chat. Each line is "
    "'<kind> <ref>: <text>' (D decision, X dropped, Q question, A answer, T task), "
    "in chat order. Later parts win: a decision reversed or contradicted "
    "later is reversed; a question answered later (an A or D on it) is not open. Answer "
    'with JSON only: {"tldr":[<=3 sentences],"decisions":[refs],"reversed":[refs],'
    '"open_questions":[refs],"action_items":[refs]}, keeping refs '
    "of final decisions, reversed ones, still-open questions and tasks still standing."
)


def map_messages(lines: list[str], part: int, parts: int) -> list[Message]:
    head = f"Part {part} of {parts}.\n" if parts > 1 else ""
    return [
        {"role": "system", "content": MAP_SYSTEM},
        {"role": "user", "content": head + "\n".join(lines)},
    ]


def reduce_messages(lines: list[str]) -> list[Message]:
    return [
        {"role": "system", "content": REDUCE_SYSTEM},
        {"role": "user", "content": "\n".join(lines)},
    ]
