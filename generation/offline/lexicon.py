"""Closed word lists the offline engine reads writers' text with (``data/lexicon.toml``).

They answer small grammatical questions about what a writer typed: does a want start
with a verb ("get home") or a noun ("revenge")? does a clipped phrase end on a word that
carries no content? is "her" in "win her back" an object or a possessive?
"""

from __future__ import annotations

from dataclasses import dataclass

from generation.packdata import load


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: frozenset[str]  # common base-form verbs
    function_words: frozenset[str]  # articles, prepositions, possessives, quantifiers
    relative: frozenset[str]  # words that start a relative clause
    genre_nouns: frozenset[str]  # what a genre label can end on ("space western")
    subjects: frozenset[str]  # subject pronouns and the like: a phrase starting so is a clause
    determiners: frozenset[str]  # a word after one of these is a noun, not a verb
    starters: frozenset[str]  # words that may run on, lower-cased, after a comma
    particles: tuple[str, ...]  # words after "her" that make it an object ("win her back")


LEXICON: Lexicon = load(Lexicon, "generation.offline", "data/lexicon.toml")
