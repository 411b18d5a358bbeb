"""Replies as Block Kit: the layout, and Slack's limits on every message."""

from __future__ import annotations

from bot.adapters.slack.render import (
    BLOCKS_PER_MESSAGE,
    FALLBACK_CHARS,
    MESSAGE_CHARS,
    SECTION_CHARS,
    render,
    render_head,
)
from bot.adapters.slack.translate import decode_action
from core.types import Action, Reply, ReplyField
from tests.adapters.slack.conftest import buttons, texts


def test_title_body_buttons_and_footer() -> None:
    reply = Reply(
        title="Synopsis · The Deep",
        body="**Mara** runs.",
        actions=(Action("regenerate", "Regenerate", "7"), Action("save", "Save", "7")),
        footer="Offline draft engine (no model configured) · take 3",
    )
    [message] = render(reply)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["section", "section", "actions", "context"]
    assert message.blocks[0]["text"]["text"] == "*Synopsis · The Deep*"
    assert message.blocks[1]["text"]["text"] == "*Mara* runs."
    assert all(b["text"]["verbatim"] for b in message.blocks if b["type"] == "section")
    assert [decode_action(b["action_id"]) for b in buttons(message.blocks)] == [
        ("regenerate", "7"),
        ("save", "7"),
    ]
    assert "Offline draft engine" in message.blocks[-1]["elements"][0]["text"]
    assert message.text.startswith("*Synopsis")


def test_errors_are_marked() -> None:
    [message] = render(Reply.error("No character named <@U1> here."))
    assert message.blocks[0]["text"]["text"].startswith(":warning: ")
    assert "&lt;@U1&gt;" in message.blocks[0]["text"]["text"]


def test_character_sheet_short_fields_side_by_side_long_ones_as_sections() -> None:
    reply = Reply(
        title="Mara",
        fields=(
            ReplyField("Pronouns", "she/her", inline=True),
            ReplyField("Age", "34", inline=True),
            ReplyField("Role", "pilot", inline=True),
            ReplyField("Backstory", "Grew up " * 600),
        ),
    )
    messages = render(reply)
    blocks = [b for m in messages for b in m.blocks]
    side = [b for b in blocks if "fields" in b]
    assert len(side) == 1 and [f["text"] for f in side[0]["fields"]] == [
        "*Pronouns*\nshe/her",
        "*Age*\n34",
        "*Role*\npilot",
    ]
    long = [b for b in blocks if "text" in b and "Grew up" in b["text"]["text"]]
    assert len(long) >= 2 and long[0]["text"]["text"].startswith("*Backstory*\n")
    assert all(len(b["text"]["text"]) <= SECTION_CHARS for b in long)


def test_long_reply_splits_into_messages_within_every_limit_and_loses_nothing() -> None:
    words = [f"w{i}" for i in range(60_000)]
    body = "\n\n".join(" ".join(words[i : i + 300]) for i in range(0, len(words), 300))
    reply = Reply(
        title="Long", body=body, actions=(Action("continue", "Continue", "1"),), footer="engine"
    )
    messages = render(reply)
    assert len(messages) > 1
    for m in messages:
        assert len(m.blocks) <= BLOCKS_PER_MESSAGE
        assert len(m.text) <= FALLBACK_CHARS
        assert sum(len(t) for t in texts(m.blocks)) <= MESSAGE_CHARS
        assert all(
            len(b["text"]["text"]) <= SECTION_CHARS
            for b in m.blocks
            if "text" in b and isinstance(b["text"], dict)
        )
    shown = " ".join(t for m in messages for t in texts(m.blocks)[:]).split()
    assert [w for w in shown if w.startswith("w") and w[1:].isdigit()] == words
    assert buttons(messages[-1].blocks) and not buttons(messages[0].blocks)


def test_partial_state_shows_only_the_first_message() -> None:
    head = render_head(Reply(title="T", body="word " * 50_000, partial=True))
    assert len(head.blocks) <= BLOCKS_PER_MESSAGE
    assert "continued" in head.blocks[-1]["elements"][0]["text"]
