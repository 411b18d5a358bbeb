"""A Reply as Slack messages: Block Kit blocks plus fallback text, within Slack's limits.

Layout: the title as a bold line (errors marked with a warning sign), the body as mrkdwn
sections, fields as section fields (a character sheet's short fields side by side, long
ones as their own sections), then buttons and a context line naming the engine.

Limits (PLATFORM_FACTS): a section's text holds 3,000 characters, a message 50 blocks, a
message's ``text`` 40,000 characters. A reply that does not fit is split into several
messages; the adapter posts the first where the reply goes and the rest in its thread.
Buttons and the footer go on the last one, under the text they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.adapters.slack.markup import body_mrkdwn, escape, inline, to_mrkdwn
from bot.adapters.slack.translate import encode_action
from bot.adapters.split import split_text
from core.types import Action, Reply, ReplyField

SECTION_CHARS = 3_000
FIELD_CHARS = 2_000
FIELDS_PER_SECTION = 10
CONTEXT_CHARS = 2_000
BLOCKS_PER_MESSAGE = 50
MESSAGE_CHARS = 40_000
"""Block text per message; the same budget Slack gives a message's ``text``."""
FALLBACK_CHARS = 3_000
"""The ``text`` shown in notifications; the blocks carry the whole reply."""
BUTTON_LABEL_CHARS = 75

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    text: str
    blocks: list[Block] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: no auto-linking of channel names or mentions in anything we send
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(_clip(text, CONTEXT_CHARS))]}


def render(reply: Reply) -> list[SlackMessage]:
    """Every message the reply needs, in order (at least one)."""
    content = [*_title(reply), *_body(reply), *_fields(reply.fields)]
    if not content:
        content = [section("_(empty)_")]
    tail: list[Block] = []
    if reply.actions:
        tail.append(actions_block(reply.actions))
    if reply.footer:
        tail.append(context(escape(reply.footer)))
    return _pack(content, tail)


def render_head(reply: Reply) -> SlackMessage:
    """Only the first message: what a streamed (partial) state shows."""
    messages = render(reply)
    if len(messages) == 1:
        return messages[0]
    head = messages[0]
    blocks = head.blocks[: BLOCKS_PER_MESSAGE - 1]
    return SlackMessage(head.text, [*blocks, context("_…continued when finished_")])


def actions_block(actions: tuple[Action, ...]) -> Block:
    """Buttons whose action_id carries kind and ref, so they work after a restart."""
    elements: list[dict[str, Any]] = []
    for action in actions[:25]:
        button: dict[str, Any] = {
            "type": "button",
            "text": {
                "type": "plain_text",
                "text": _clip(action.label, BUTTON_LABEL_CHARS),
                "emoji": True,
            },
            "action_id": encode_action(action.kind, action.ref),
            "value": action.ref,
        }
        if action.kind == "save":
            button["style"] = "primary"
        elif action.kind in ("cancel", "forget"):
            button["style"] = "danger"
        elements.append(button)
    return {"type": "actions", "block_id": "writersroom_actions", "elements": elements}


def _title(reply: Reply) -> list[Block]:
    if reply.title:
        mark = ":warning: " if reply.tone == "error" else ""
        return [section(f"{mark}*{_clip(escape(reply.title), SECTION_CHARS - 20)}*")]
    return []


def _body(reply: Reply) -> list[Block]:
    if not reply.body.strip():
        return []
    text = body_mrkdwn(reply.body, reply.format)
    if reply.tone == "error" and not reply.title:
        text = ":warning: " + text
    return [section(piece) for piece in split_text(text, SECTION_CHARS)]


def _fields(fields: tuple[ReplyField, ...]) -> list[Block]:
    blocks: list[Block] = []
    row: list[dict[str, Any]] = []

    def flush() -> None:
        if row:
            blocks.append({"type": "section", "fields": list(row)})
            row.clear()

    for f in fields:
        label = f"*{escape(f.label)}*"
        value = to_mrkdwn(f.value) if "\n" in f.value else inline(f.value)
        text = f"{label}\n{value or '—'}"
        if f.inline and len(text) <= FIELD_CHARS:
            row.append(mrkdwn(text))
            if len(row) == FIELDS_PER_SECTION:
                flush()
            continue
        flush()
        pieces = split_text(value or "—", SECTION_CHARS - len(label) - 1) or ["—"]
        blocks.append(section(f"{label}\n{pieces[0]}"))
        blocks.extend(section(piece) for piece in pieces[1:])
    flush()
    return blocks


def _size(block: Block) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    if "fields" in block:
        return sum(len(f["text"]) for f in block["fields"])
    if "elements" in block:
        return sum(len(str(e.get("text", ""))) for e in block["elements"])
    return 0


def _pack(content: list[Block], tail: list[Block]) -> list[SlackMessage]:
    groups: list[list[Block]] = [[]]
    used = 0
    for block in content:
        size = _size(block)
        if groups[-1] and (len(groups[-1]) >= BLOCKS_PER_MESSAGE or used + size > MESSAGE_CHARS):
            groups.append([])
            used = 0
        groups[-1].append(block)
        used += size
    tail_size = sum(_size(b) for b in tail)
    full = len(groups[-1]) + len(tail) > BLOCKS_PER_MESSAGE or used + tail_size > MESSAGE_CHARS
    if tail and full:
        groups.append([])
    groups[-1].extend(tail)
    return [SlackMessage(_fallback(blocks), blocks) for blocks in groups]


def _fallback(blocks: list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            parts.append(block["text"]["text"])
        elif block["type"] == "section":
            parts.extend(f["text"] for f in block["fields"])
    text = "\n".join(parts) or "writersroom"
    return _clip(text, FALLBACK_CHARS)


def _clip(text: str, limit: int) -> str:
    """Cut at a word boundary (never inside an entity) and mark the cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
        amp = text.rfind("&", cut - 5, cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
    return text[:cut].rstrip() + "…"
