"""The shared text basics: stop words from package data, words, stems, sentences, Jaccard."""

from __future__ import annotations

from importlib.resources import files

from generation import textkit
from generation.offline.text import sentences as prose_sentences
from generation.textkit import STOPWORDS, jaccard, sentences, stem, words


def test_stop_words_are_read_from_the_package_data_file() -> None:
    listed = files("generation").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    assert "the\n" in listed and "lol\n" in listed
    assert {"the", "i'm", "lol", "tbh", "never", "wears"} <= STOPWORDS
    assert "#" not in "".join(STOPWORDS)  # comments are not words
    assert all(w == w.lower().strip() and "’" not in w for w in STOPWORDS)
    assert "ledger" not in STOPWORDS


def test_words_are_folded_split_at_hyphens_and_keep_numbers_whole() -> None:
    assert words("Lucía’s flash-forward: 4,000 credits, 2–4k words") == [
        "lucia's",
        "flash",
        "forward",
        "4000",
        "credits",
        "2",
        "4k",
        "words",
    ]
    assert words("I’m sure") == ["i'm", "sure"]  # straight, as the stop words spell it


def test_stems_join_the_forms_of_a_word() -> None:
    assert stem("betrays") == stem("betrayed") == stem("betrayal") == "betray"
    assert stem("it’s") == stem("it's")
    assert stem("running") == "run"


def test_chat_sentences_end_at_punctuation_and_line_breaks_but_not_at_an_ellipsis() -> None:
    assert sentences("works for me. honestly relieved") == ["works for me.", "honestly relieved"]
    assert sentences("ok... what if she lives? fine") == ["ok... what if she lives?", "fine"]
    assert sentences('fine. "after the blackout." vague') == [
        "fine.",
        '"after the blackout."',
        "vague",
    ]
    assert sentences("**Arc 3 goes to Lowmere.** Skyrend waits") == [
        "**Arc 3 goes to Lowmere.** Skyrend waits"
    ]
    assert sentences("first line\nsecond line\n\n!!!") == ["first line", "second line"]
    assert sentences("") == []


def test_in_prose_an_ellipsis_ends_a_sentence() -> None:
    assert sentences("It ends… or does it? Wait... no.", ellipsis=True) == [
        "It ends…",
        "or does it?",
        "Wait...",
        "no.",
    ]


def test_the_offline_engine_splits_prose_on_one_line_keeping_closing_quotes() -> None:
    assert prose_sentences('She said "go."\nThen… she left.') == [
        'She said "go."',
        "Then…",
        "she left.",
    ]
    assert prose_sentences("  \n ") == []


def test_jaccard_of_two_empty_sets_is_one_and_of_an_empty_and_a_full_one_zero() -> None:
    empty: frozenset[str] = frozenset()
    assert jaccard(empty, empty) == 1.0
    assert jaccard(empty, frozenset({"storm"})) == 0.0
    assert jaccard(frozenset({"storm", "tide"}), frozenset({"storm", "gull", "keeper"})) == 0.25


def test_fold_drops_accents_and_case() -> None:
    assert textkit.fold("Lucía ÉMILE") == "lucia emile"
