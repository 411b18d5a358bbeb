"""Slack payload text and ids as the bot reads them."""

from __future__ import annotations

from bot.adapters.slack.translate import (
    after_mention,
    chat_message,
    decode_action,
    encode_action,
    mention_line,
    permalink,
    slack_to_plain,
)
from bot.parsing import parse
from commands import build_registry


def test_slack_text_reads_as_plain_text() -> None:
    text = "hi <@U1> in <#C9|writers> see <https://a.example|the doc> &amp; &lt;3 <!here>"
    assert slack_to_plain(text, {"U1": "Dana"}) == (
        "hi @Dana in #writers see the doc (https://a.example) & <3 @here"
    )


def test_text_after_the_bots_mention() -> None:
    assert after_mention("<@UBOT> dialogue Mara Jonah the airlock", "UBOT") == (
        "dialogue Mara Jonah the airlock"
    )
    assert after_mention("hey <@UBOT|writersroom> summarize", "UBOT") == "summarize"
    assert after_mention("<@UBOT> summarize", None) == "summarize"


def test_a_mention_is_a_command_when_it_starts_with_a_name_else_its_words() -> None:
    registry = build_registry()
    assert mention_line("dialogue Mara Jonah", registry) == "/dialogue Mara Jonah"
    assert mention_line("summarize", registry) == "/summarize"
    assert mention_line("make her older", registry) == "make her older"
    assert mention_line("", registry) == "/help"


def test_a_group_named_alone_in_a_thread_means_its_leaf_that_reads_the_thread() -> None:
    registry = build_registry()
    line = mention_line("summarize", registry, in_thread=True)
    assert line == "/summarize thread"
    assert parse(registry, line).needs_thread
    assert mention_line("story", registry, in_thread=True) == "/story"


def test_actions_round_trip_and_junk_is_refused() -> None:
    assert decode_action(encode_action("regenerate", "42")) == ("regenerate", "42")
    assert decode_action("writersroom:explode:1") is None
    assert decode_action("other:save:1") is None


def test_a_parsed_line_says_whether_its_command_is_destructive() -> None:
    """What the Slack listeners ask before they look up the author's role."""
    registry = build_registry()
    destructive = [f"/{r.path}" for r in registry.leaves() if r.leaf.destructive]
    assert destructive, "the registry has destructive commands"
    assert all(parse(registry, path).destructive for path in destructive)
    assert parse(registry, "/story forget confirm").destructive
    assert not parse(registry, "/synopsis page").destructive


def test_permalinks_are_built_without_an_api_call() -> None:
    link = permalink("https://writers.slack.com/", "C1", "1700000001.000100", "1700000000.000100")
    assert link == (
        "https://writers.slack.com/archives/C1/p1700000001000100?thread_ts=1700000000.000100&cid=C1"
    )
    assert permalink(None, "C1", "1.2", None) is None
    msg = chat_message(
        {"user": "U1", "ts": "5.000001", "text": "ok &amp; <@U2>"},
        {"U1": "Dana", "U2": "Sam"},
        "https://w.slack.com",
        "C1",
        "5.000001",
    )
    assert (msg.author, msg.text, msg.link) == (
        "Dana",
        "ok & @Sam",
        "https://w.slack.com/archives/C1/p5000001",
    )
