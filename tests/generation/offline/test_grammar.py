"""The offline grammar: template syntax, articles, and the tidying ``finish`` does."""

from __future__ import annotations

import random

import pytest

from generation.offline.cast import Figure
from generation.offline.grammar import Expander, GrammarError, Lit, SlotValue, article, finish
from generation.offline.pronouns import HE, NAME_ONLY, SHE, THEY

MARA = Figure("Mara Quell", "Mara", SHE, "a salvage pilot")
ASH = Figure("Ash Noor", "Ash", THEY)


def expander(seed: int = 1, **slots: SlotValue) -> Expander:
    return Expander(random.Random(seed), {"hero": MARA, "ally": ASH, **slots})


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("apple", "an"),
        ("owl", "an"),
        ("Umbrella", "an"),
        ("dog", "a"),
        ("hour", "an"),  # silent h
        ("honest", "an"),
        ("heir", "an"),
        ("house", "a"),
        ("unicorn", "a"),  # a vowel that sounds like "you"
        ("user", "a"),
        ("euro", "a"),
        ("one", "a"),  # "wun"
        ("urn", "an"),
        ("8-track", "an"),  # "eight"
        ("18th", "an"),
        ("11th", "an"),
        ("12th", "a"),
        ('"echo', "an"),  # opening quotes do not count
        ("", "a"),
    ],
)
def test_article_suits_how_the_next_word_sounds(word: str, expected: str) -> None:
    assert article(word) == expected


def test_a_slot_picks_the_article_for_the_word_it_ends_up_before() -> None:
    ex = expander(thing=Lit("old airlock"), other=Lit("hull"))
    assert ex("{a} {thing} and {a} {other}") == "An old airlock and a hull"


def test_finish_tidies_spacing_and_punctuation_and_capitalises_sentences() -> None:
    assert finish("she left , and  then ,, nothing .") == "She left, and then, nothing."
    assert finish("it ends.. badly") == "It ends. Badly"
    assert finish("wait... what") == "Wait... What"  # an ellipsis stays
    assert finish("really?. yes!. fine") == "Really? Yes! Fine"
    assert finish("a list: \nnext line") == "A list: \nNext line"


def test_a_figure_is_named_in_full_once_then_by_short_name() -> None:
    ex = expander()
    assert ex("{hero} met {ally}; {hero} left {ally}.") == "Mara Quell met Ash Noor; Mara left Ash."


def test_an_introduction_adds_the_description_only_the_first_time() -> None:
    ex = expander()
    assert ex("{hero.intro} waits. {hero.intro} leaves.") == (
        "Mara Quell, a salvage pilot, waits. Mara leaves."
    )


def test_a_child_expander_shares_who_was_already_named() -> None:
    ex = expander()
    assert ex("{hero} arrives.") == "Mara Quell arrives."
    child = ex.with_slots(place=Lit("the docks"))
    assert child("{hero} walks to {place}.") == "Mara walks to the docks."


def test_verbs_agree_with_the_figure_s_pronouns() -> None:
    ex = expander()
    assert ex("{hero.they} {hero.is} late and care{hero.s}.") == "She is late and cares."
    assert ex("{ally.they} {ally.is} late and care{ally.s}.") == "They are late and care."
    assert ex("{ally.They} {ally.has}, {ally.they} {ally.was}, {ally.they} {ally.does}.") == (
        "They have, they were, they do."
    )
    assert ex("{hero.they} reach{hero.es} it.") == "She reaches it."
    assert ex("{ally.they} reach{ally.es} it.") == "They reach it."


def test_a_figure_without_pronouns_is_called_by_name() -> None:
    bet = Figure("Bet Bishop", "Bet", NAME_ONLY)
    ex = Expander(random.Random(1), {"b": bet, "j": Figure("James", "James", HE)})
    assert ex("{b.They} took {b.their} coat; it was {b.theirs}.") == (
        "Bet took Bet's coat; it was Bet's."
    )
    assert ex("{j.poss} hat") == "James's hat"


def test_a_writer_s_text_is_never_read_as_a_template() -> None:
    ex = expander(note=Lit("{not a slot} | {?either}"))
    assert ex("Note: {note}") == "Note: {not a slot} | {?either}"


def test_a_string_slot_is_itself_a_template() -> None:
    ex = expander(greeting="hello, {ally}")
    assert ex("{greeting}.") == "Hello, Ash Noor."


def test_choices_and_optional_words_vary_with_the_seed_and_repeat_for_a_seed() -> None:
    template = "{red|green|blue} sky{? at night}"
    seen = {expander(seed)(template) for seed in range(40)}
    colours = {s.split()[0] for s in seen}
    assert colours == {"Red", "Green", "Blue"}
    assert any(s.endswith(" at night") for s in seen) and any(s.endswith("sky") for s in seen)
    assert expander(7)(template) == expander(7)(template)


def test_alternatives_may_nest() -> None:
    seen = {expander(seed)("{a {big|small} dog|no dog}") for seed in range(60)}
    assert seen == {"A big dog", "A small dog", "No dog"}


def test_a_sequence_slot_is_a_choice_and_an_empty_one_says_nothing() -> None:
    seen = {expander(seed, c=("one", "two"))("{c}") for seed in range(20)}
    assert seen == {"One", "Two"}
    assert expander(empty=())("[{empty}]") == "[]"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{villain}", "no slot named 'villain'"),
        ("{place.they}", "slot 'place' has no forms"),
        ("{one|two", "unclosed brace"),
    ],
)
def test_a_broken_template_fails_loudly(template: str, message: str) -> None:
    ex = expander(place=Lit("the docks"))
    with pytest.raises(GrammarError, match=message):
        ex(template)


def test_a_figure_has_no_made_up_forms() -> None:
    with pytest.raises(KeyError, match="no form 'zork'"):
        expander()("{hero.zork}")


def test_a_template_that_names_itself_stops_instead_of_looping() -> None:
    ex = expander(loop="{loop}")
    with pytest.raises(GrammarError, match="nests too deeply"):
        ex("{loop}")
