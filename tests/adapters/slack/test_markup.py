"""Neutral markup to mrkdwn, and nothing echoed can ping, mention or disguise a link."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.slack.markup import (
    WORD_JOINER,
    body_mrkdwn,
    escape,
    escape_within,
    fountain,
    plain,
    to_mrkdwn,
)

DANGEROUS = (
    "<!channel> <!here> <!everyone> <@U123> <#C123|general> <!subteam^S1|@writers> "
    "<https://evil.example|your invoice>"
)


def test_escape_neutralises_every_special_sequence() -> None:
    out = escape(DANGEROUS)
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out and "&lt;https://evil.example|your invoice&gt;" in out


def test_literal_broadcast_words_cannot_ping() -> None:
    out = escape("hey @here and @channel, @Everyone; email a@herefordshire.uk")
    assert not re.search(r"@(here|channel|everyone)\b", out, re.IGNORECASE)
    assert f"@{WORD_JOINER}here" in out
    assert "a@herefordshire.uk" in out  # only whole words are broken


@given(st.text())
def test_escaped_text_never_contains_an_active_sequence(text: str) -> None:
    out = to_mrkdwn(text)
    assert "<" not in out
    assert not re.search(r"@(here|channel|everyone)\b", out, re.IGNORECASE)


@given(st.text(alphabet="ab<>&@ here", max_size=60), st.integers(min_value=0, max_value=40))
def test_escaped_within_a_limit_is_a_whole_escape_of_a_prefix(text: str, limit: int) -> None:
    out = escape_within(text, limit)
    assert len(out) <= limit
    [n] = [n for n in range(len(text) + 1) if escape(text[:n]) == out][-1:]
    assert n == len(text) or len(escape(text[: n + 1])) > limit  # the longest start that fits


@given(st.text())
def test_plain_text_has_no_tag_or_broadcast(text: str) -> None:
    out = plain(text)
    assert "<" not in out and ">" not in out
    assert not re.search(r"@(here|channel|everyone|all)\b", out, re.IGNORECASE)


def test_markup_converts_to_mrkdwn() -> None:
    body = "**Bold** and _italic_ and *also italic* and `a <b>`\n- one\n> quoted & kept\n## Act two"
    out = to_mrkdwn(body)
    assert "*Bold*" in out and "_italic_" in out and "_also italic_" in out
    assert "`a &lt;b&gt;`" in out
    assert "• one" in out
    assert ">quoted &amp; kept" in out
    assert "*Act two*" in out


def test_markdown_links_are_shown_with_their_address() -> None:
    assert to_mrkdwn("[click](https://evil.example)") == "click (https://evil.example)"


def test_code_fences_are_escaped_but_not_converted() -> None:
    out = to_mrkdwn("```python\n**not bold** <!here>\n```")
    assert out == "```\n**not bold** &lt;!here&gt;\n```"


SCENE = """INT. AIRLOCK - NIGHT

Red light. The outer door groans.

MARA
(quietly)
You said the seals would hold.

JONAH
I said they'd hold <!channel> for a while.

CUT TO:"""


def test_fountain_scene_has_bold_cues_and_headings() -> None:
    out = fountain(SCENE)
    assert "*INT. AIRLOCK - NIGHT*" in out
    assert "*MARA*" in out and "*JONAH*" in out
    assert "_(quietly)_" in out
    assert "&lt;!channel&gt;" in out
    assert "_CUT TO:_" in out
    assert out.count("\n\n") == SCENE.count("\n\n")  # blocks stay apart


def test_a_body_is_laid_out_by_its_format_not_by_how_it_looks() -> None:
    assert body_mrkdwn(SCENE, "fountain") == fountain(SCENE)
    as_markup = body_mrkdwn(SCENE, "markup")
    assert as_markup == to_mrkdwn(SCENE)
    assert "*MARA*" not in as_markup and "_(quietly)_" not in as_markup
    outline = "ACT ONE\n- Mara arrives\n\nACT TWO\n- Jonah lies"
    assert body_mrkdwn(outline, "markup") == "ACT ONE\n• Mara arrives\n\nACT TWO\n• Jonah lies"


def test_forcing_marks_are_not_shown() -> None:
    out = fountain(".AIRLOCK\n\n!MARA LOOKS UP.\n\n@McCLANE (V.O.)\nYippee.\n\n> SMASH CUT TO:")
    assert out.split("\n") == [
        "*AIRLOCK*",
        "",
        "MARA LOOKS UP.",
        "",
        "*McCLANE (V.O.)*",
        "Yippee.",
        "",
        "_SMASH CUT TO:_",
    ]
