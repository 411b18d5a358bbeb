"""The reply body: a size a producer forwards, every point traceable to who said it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generation.summarize import render_markdown, summarize_offline
from generation.summarize.model import ThreadMessage
from generation.summarize.render import budget, fit, read_length, render_digest, short_names
from tests.summarize.threads import many, orchard_thread


@pytest.mark.parametrize("n", [41, 90, 400, 2000])
def test_a_long_thread_digest_is_at_most_a_quarter_of_the_thread(n: int) -> None:
    d = summarize_offline(many(n))
    body = render_markdown(d)
    assert read_length(body) <= budget(d) <= 0.25 * d.thread_chars
    assert "**Decisions**" in body and "— " in body


def test_longer_threads_get_a_smaller_share() -> None:
    shares = []
    for n in (100, 400, 1600):
        d = summarize_offline(many(n))
        shares.append(budget(d) / d.thread_chars)
    assert shares[0] == pytest.approx(0.25, abs=0.01)
    assert shares[0] > shares[1] > shares[2]


def test_a_section_says_how_many_points_it_left_out() -> None:
    d = summarize_offline(many(2000))
    shown = fit(d)
    body = render_markdown(d)
    left = sum(shown.omitted.values())
    assert left > 0 and "more_" in body
    assert len(shown.decisions) + shown.omitted.get("decisions", 0) == len(d.decisions)


def test_fit_keeps_what_the_reply_shows_and_no_more() -> None:
    d = summarize_offline(many(300))
    body = render_markdown(d)
    shown = fit(d)
    for p in shown.decisions + shown.open_questions:
        assert p.text.rstrip("…").strip()[:20] in body
    assert all(a.task[:20] in body for a in shown.action_items)


def test_points_without_a_link_say_who_and_when() -> None:
    messages = [replace(m, link=None) for m in orchard_thread()]
    body = render_digest(summarize_offline(messages), limit=10**6)
    assert "— Wren Adeyemi (showrunner), 22:1" in body  # 1700000000 + 6 min is 22:19 UTC
    assert "Times UTC." in body


def test_a_pasted_thread_cites_line_numbers() -> None:
    pasted = [
        ThreadMessage("Ada", "pasted:1", "p1", "are we cutting the zeppelin scene?"),
        ThreadMessage("Bo", "pasted:2", "p2", "calling it: the zeppelin scene is cut"),
    ]
    body = render_markdown(summarize_offline(pasted))
    assert "— Bo, #2" in body


def test_a_tight_digest_names_one_person_once_per_section() -> None:
    d = summarize_offline(many(90))
    body = render_markdown(d)
    assert "**Decisions** (all Wren)" in body or "**Decisions** (Wren unless named)" in body


def test_short_names_only_where_the_room_has_one_of_them() -> None:
    names = short_names(["Ada Lind", "Ada Moss", "Bo Kerr (producer)", "tinfoil_hat"])
    assert names == {"Bo Kerr (producer)": "Bo", "tinfoil_hat": "tinfoil_hat"}
