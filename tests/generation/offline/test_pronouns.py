"""Pronoun sets read from a sheet's pronouns field."""

from __future__ import annotations

import pytest

from generation.offline.pronouns import HE, NAME_ONLY, SHE, THEY, Pronouns, label, parse_pronouns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she/her", SHE),
        ("She/Her.", SHE),
        ("he", HE),
        ("him", HE),  # an object form alone names its set
        ("they/them", THEY),
        ("she/they", SHE),  # the first set given
        ("she him", SHE),
        ("any", THEY),
        ("any pronouns", THEY),
        ("whatever", THEY),
    ],
)
def test_common_sets_are_read_whatever_the_spelling(text: str, expected: Pronouns) -> None:
    assert parse_pronouns(text) == expected


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("xe/xem", ("xe", "xem", "xyr", "xyrs", "xemself")),
        ("ze/hir", ("ze", "hir", "hir", "hirs", "hirself")),
        ("ze", ("ze", "hir", "hir", "hirs", "hirself")),
        ("ze/zir", ("ze", "zir", "zir", "zirs", "zirself")),
        ("fae/faer", ("fae", "faer", "faer", "faers", "faerself")),
        ("e/em", ("e", "em", "eir", "eirs", "emself")),
        ("ne/nem/nir/nirs/nemself", ("ne", "nem", "nir", "nirs", "nemself")),  # given in full
    ],
)
def test_neopronouns_get_every_form_prose_needs(text: str, forms: tuple[str, ...]) -> None:
    p = parse_pronouns(text)
    assert p is not None
    assert (p.subject, p.object, p.possessive, p.possessive_pronoun, p.reflexive) == forms
    assert not p.plural_verbs  # "xe is", not "xe are"


def test_only_they_takes_plural_verbs() -> None:
    assert THEY.plural_verbs and not SHE.plural_verbs and not HE.plural_verbs


@pytest.mark.parametrize("text", ["none", "name only", "use my name", "123", "a/b/c/d/e/f"])
def test_a_name_only_request_or_unreadable_text_means_the_name(text: str) -> None:
    p = parse_pronouns(text)
    assert p == NAME_ONLY and p is not None and p.name_only
    assert label(p) == "name only"


@pytest.mark.parametrize("text", ["", "   ", " ; "])
def test_an_empty_field_gives_no_set(text: str) -> None:
    assert parse_pronouns(text) is None


@pytest.mark.parametrize(
    ("text", "written"), [("She/Her.", "she/her"), ("him", "he/him"), ("xe", "xe/xem")]
)
def test_a_set_is_written_back_as_subject_slash_object(text: str, written: str) -> None:
    p = parse_pronouns(text)
    assert p is not None and label(p) == written
