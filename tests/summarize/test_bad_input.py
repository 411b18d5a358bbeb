"""Threads no summary can make much of: a clear answer, never an exception."""

from __future__ import annotations

import time

from generation.summarize import render_markdown, summarize_offline
from generation.summarize.render import budget, read_length
from tests.summarize.threads import FELIX, INES, NOOR, many, thread


def test_an_empty_thread() -> None:
    d = summarize_offline([])
    assert d.notes == ["No messages to summarize."] and "No messages" in render_markdown(d)


def test_a_thread_of_one_message() -> None:
    d = summarize_offline(thread((NOOR, "we're going with the pier for the finale")))
    body = render_markdown(d)
    assert "Only one message so far" in body and "pier" in body


def test_a_thread_of_only_emoji() -> None:
    d = summarize_offline(thread((NOOR, ":tada: :tada:"), (FELIX, "🎉🔥"), (INES, "<:yes:123>")))
    body = render_markdown(d)
    assert "only emoji" in body and d.decisions == [] and d.characters == []


def test_a_thread_in_another_language_says_what_the_offline_summary_can_do() -> None:
    d = summarize_offline(
        thread(
            (NOOR, "Bueno, decidimos que el final es en el faro. ¿Quién escribe la escena?"),
            (FELIX, "Yo la escribo para el viernes, si me dejan el guion de ayer"),
            (INES, "¿Y el narrador sigue siendo la hermana mayor o cambiamos la voz?"),
            (NOOR, "Gracias a todos por venir hoy, seguimos mañana con todo el equipo"),
        )
    )
    body = render_markdown(d)
    assert "does not read as English" in body and "a model reads other languages" in body


def test_five_thousand_messages_stay_within_budget_and_time() -> None:
    messages = many(5000)
    start = time.perf_counter()
    d = summarize_offline(messages)
    body = render_markdown(d)
    elapsed = time.perf_counter() - start
    assert read_length(body) <= budget(d) and d.message_count == 5000
    assert elapsed < 10  # about 1 s alone; the benchmark holds it to 2 s
