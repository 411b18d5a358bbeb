"""The offline detectors on small hand-written threads (none shares words with the samples)."""

from __future__ import annotations

import pytest

from generation.summarize import render_markdown, summarize_offline
from generation.summarize.actions import detect_actions
from generation.summarize.paste import parse_pasted
from generation.summarize.questions import detect_questions
from generation.summarize.textrank import DAMPING, summarize_sentences, textrank
from generation.summarize.thread import read_thread
from tests.summarize.threads import FELIX, FOX, INES, NOOR, OSKAR, held_out_thread, thread


def texts(points: list) -> list[str]:  # type: ignore[type-arg]
    return [p.text for p in points]


def test_a_reversed_decision_is_reported_as_reversed_and_only_the_final_one_stands() -> None:
    d = summarize_offline(held_out_thread())
    decided = " ".join(texts(d.decisions))
    assert "flooded subway station" in decided and "we're going with the lighthouse" not in decided
    assert any("lighthouse" in p.text for p in d.reversed)
    assert "money" in decided


def test_open_questions_exclude_those_answered_later() -> None:
    d = summarize_offline(held_out_thread())
    asked = " ".join(texts(d.open_questions))
    assert "25 min" in asked  # "good question, I don't know. let's come back to it"
    assert "Detective Amara Osei" in asked  # parked: "TBD, park it"
    assert "title card" in asked  # answered only with a shrug
    assert "narrator know who the killer" not in asked  # answered by the next message
    assert "villain's motive" not in asked  # answered, then decided


def test_action_items_have_the_owners_named_in_the_thread() -> None:
    d = summarize_offline(held_out_thread())
    owners = {a.owner: a for a in d.action_items}
    assert owners["bramble_fox"].due and "subway ambience" in owners["bramble_fox"].task
    assert "cold open" in owners["Inês Carvalho"].task  # by first name, accents and all
    assert "episode 5 outline" in owners["Oskar Lind"].task  # taken on by the speaker
    assert "cast sheet" in owners["Felix Moreau"].task  # by <@mention>
    assert owners["Felix Moreau"].source.author == "Noor Haddad"  # who asked, with the link
    assert owners["Felix Moreau"].source.link == "https://example.slack.com/p19"


def test_an_assignment_with_a_deadline_is_found_on_its_own() -> None:
    t = read_thread(
        thread((NOOR, "Oskar, can you draft the cold open by Thursday?"), (OSKAR, "sure, Thursday"))
    )
    [item] = detect_actions(t).items_found
    assert item.owner == "Oskar Lind" and item.due == "by Thursday"
    assert item.task.startswith("draft the cold open")


def test_a_question_and_its_answer() -> None:
    t = read_thread(
        thread(
            (INES, "is the diner scene at night?"),
            (FELIX, "yes, after closing time"),
            (FOX, "what colour is the getaway van?"),
        )
    )
    questions, answers = detect_questions(t, set())
    by_text = {q.line.text: q for q in questions}
    assert by_text["is the diner scene at night?"].answered_by is not None
    assert by_text["what colour is the getaway van?"].answered_by is None
    assert len(answers) == 1


def test_every_point_is_quoted_from_the_thread_and_attributed() -> None:
    messages = held_out_thread()
    d = summarize_offline(messages)
    body = " ".join(m.text for m in messages)
    for p in [*d.decisions, *d.open_questions, *d.tldr_sources]:
        assert p.author in {m.author for m in messages}
        assert p.text.rstrip("…")[:30] in body.replace("<@U0FELIX>", "@Felix Moreau")
    assert len(d.tldr) <= 3
    assert d.extractive and "Extractive summary" in render_markdown(d)


# A star: each outer sentence shares one word with the hub (index 2) and none with the
# others, and every edge weighs the same, so PageRank has a closed form.
STAR = [
    frozenset(["storm", "tide"]),
    frozenset(["harbour", "gull"]),
    frozenset(["storm", "harbour", "lighthouse", "ending"]),
    frozenset(["lighthouse", "keeper"]),
]


def test_textrank_of_a_star_is_pageranks_closed_form_and_the_hub_is_picked() -> None:
    # hub = (1 + d·k) / (n·(1 + d)) for k outer nodes, n = k + 1, damping d
    d, k, n = DAMPING, 3, 4
    hub = (1 + d * k) / (n * (1 + d))
    ranks = textrank(STAR, iterations=1000, tolerance=1e-13)
    assert ranks[2] == pytest.approx(hub, abs=1e-9)
    assert ranks[:2] + ranks[3:] == pytest.approx([(1 - hub) / k] * k, abs=1e-9)
    assert summarize_sentences(STAR, k=1) == [2]


def test_a_prior_leans_the_pick_to_the_sentence_it_marks() -> None:
    assert summarize_sentences(STAR, prior=[1.0, 1.0, 1.0, 10.0], k=1) == [3]
    assert summarize_sentences(STAR, k=2) == [0, 2]  # rank ties go to the earlier sentence


def test_a_pasted_thread_reads_back_as_messages() -> None:
    messages = parse_pasted(
        "Dana Okafor: ok target first\n[10:42] Brann (GM): **Arc 3 goes to Lowmere.**\n"
        "and Skyrend waits\n\nnyx: fine"
    )
    assert [m.author for m in messages] == ["Dana Okafor", "Brann (GM)", "nyx"]
    assert messages[1].text == "**Arc 3 goes to Lowmere.**\nand Skyrend waits"
    assert [m.ts for m in messages] == ["p1", "p2", "p3"]


def test_an_empty_thread_summarizes_to_nothing_without_failing() -> None:
    d = summarize_offline([])
    assert d.decisions == [] and d.tldr == [] and d.message_count == 0
    assert "Nothing to summarize" in render_markdown(d)
