"""Decisions as a producer reads them: the deciding sentence, the final state, reversals
said so, and nothing that decides nothing."""

from __future__ import annotations

from generation.summarize import render_markdown, summarize_offline
from generation.summarize.render import render_digest
from tests.summarize.threads import ORCHARD_CAST, orchard_thread


def decided() -> list[str]:
    return [p.text for p in summarize_offline(orchard_thread(), characters=ORCHARD_CAST).decisions]


def test_sign_offs_jokes_and_reactions_are_never_decisions() -> None:
    texts = " ".join(decided())
    assert "wrap" not in texts and "great room" not in texts
    assert "so funny" not in texts and "lol" not in texts
    assert "open items" not in texts  # the agenda is no decision either


def test_a_decision_quotes_the_deciding_sentence_not_the_whole_message() -> None:
    texts = decided()
    assert "the title stays Glass Orchard." in texts
    assert not any("Kiteworks on Friday" in t for t in texts)  # the offer after it is a task
    assert all(len(t.split()) <= 30 for t in texts)


def test_a_reversal_replaces_the_earlier_call_and_the_digest_says_so() -> None:
    d = summarize_offline(orchard_thread(), characters=ORCHARD_CAST)
    assert "Captain Varga flies the glider herself, not Bram." in [p.text for p in d.decisions]
    assert not any(p.text.startswith("Bram flies the glider") for p in d.decisions)
    [reversal] = d.reversals
    assert reversal.earlier.text.startswith("Bram flies the glider")
    assert reversal.by.text.startswith("Captain Varga flies")
    body = render_markdown(d)
    assert "(a reversal)" in body and "**Reversed or dropped**" in body


def test_a_short_answer_by_the_lead_keeps_its_question() -> None:
    assert "is the Weaver a villain or just lonely? → lonely. never a villain" in decided()


def section(body: str, title: str) -> list[str]:
    """The quotes listed under a heading of a rendered digest."""
    lines = body.split(f"**{title}**", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.partition(" — ")[0] for line in lines if line.startswith("- ")]


def test_story_details_never_repeat_a_decision() -> None:
    body = render_digest(summarize_offline(orchard_thread()), limit=10**6)
    details = section(body, "Story details")
    assert details  # the pitch behind the reversal, cut to its story sentences
    assert not set(details) & set(section(body, "Decisions"))
