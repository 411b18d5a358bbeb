"""Catch-up: a stored digest, the thread later, and only what changed."""

from __future__ import annotations

import json

from generation.summarize import DigestState, catch_up, render_catch_up, summarize_offline
from generation.summarize.engine import summarize_catch_up
from generation.summarize.model import ThreadMessage
from tests.summarize.threads import FELIX, INES, NOOR, OSKAR, orchard_thread, thread


def radio_play() -> list[ThreadMessage]:
    return thread(
        (NOOR, "ok, radio play ep 2. we're going with the harbour for the finale"),
        (FELIX, "do we keep the narrator?"),
        (NOOR, "Oskar, can you time the cold open by Monday?"),
        (OSKAR, "yep"),
        (INES, "what year is it set in? the props list needs a decade"),
        # --- the first digest is made here ---
        (FELIX, "1962, per the bible"),
        (INES, "great, 1962 it is then"),
        (NOOR, "scratch that. the finale moves to the lighthouse, the harbour is out"),
        (NOOR, "Inês, could you draft the lighthouse scene by Friday?"),
        (OSKAR, "who plays the keeper?"),
    )


def test_a_stored_state_reads_back_the_same() -> None:
    state = DigestState.of(summarize_offline(orchard_thread()))
    again = DigestState.from_json(json.loads(json.dumps(state.to_json())))
    assert again == state


def test_a_missing_or_damaged_state_is_none() -> None:
    for data in (None, "", [], {"version": 99}, {"version": 1, "last_ts": 3}):
        assert DigestState.from_json(data) is None
    damaged = DigestState.of(summarize_offline(orchard_thread())).to_json()
    damaged["decisions"] = [{"text": 1}, "nonsense", *damaged["decisions"]]
    state = DigestState.from_json(damaged)
    assert state is not None and state.decisions  # the readable points survive


def test_catch_up_says_what_changed_since_the_last_digest() -> None:
    messages = radio_play()
    before = DigestState.of(summarize_offline(messages[:5]))
    c = catch_up(before, summarize_offline(messages))
    assert c.new_messages == 5
    assert [r.earlier.text for r in c.reversed] == ["we're going with the harbour for the finale"]
    assert c.reversed[0].by.text.startswith("the finale moves to the lighthouse")
    assert next(a.question.text for a in c.answered).startswith("what year is it set in?")
    assert [a.owner for a in c.new_action_items] == ["Inês Carvalho"]
    assert [q.text for q in c.new_questions] == ["who plays the keeper?"]
    assert all(p.ts > before.last_ts for p in c.new_decisions)
    body = render_catch_up(c)
    assert "**Since the last summary** · 5 new messages" in body
    assert "**Reversed since**" in body and "**Answered since**" in body
    assert "Oskar" not in body.partition("**New action items**")[2]  # not new


def test_nothing_new_says_so() -> None:
    messages = radio_play()
    state = DigestState.of(summarize_offline(messages))
    c = catch_up(state, summarize_offline(messages))
    assert c.nothing_new and "No new decisions" in render_catch_up(c)


async def test_the_engine_gives_the_digest_and_the_changes() -> None:
    messages = radio_play()
    stored = DigestState.of(summarize_offline(messages[:5])).to_json()
    digest, changes = await summarize_catch_up(messages, object(), stored)
    assert digest.message_count == 10 and changes is not None and changes.reversed
    digest, changes = await summarize_catch_up(messages, object(), None)
    assert changes is None  # no earlier digest: the caller shows the full one
