"""The word lists the balance check reads with (``data/balance.toml``), read once."""

from __future__ import annotations

from dataclasses import dataclass

from generation.packdata import load


@dataclass(frozen=True, slots=True)
class Vocabulary:
    looks: frozenset[str]  # how someone looks
    agency: frozenset[str]  # what someone wants, does or can do
    violence: frozenset[str]  # violence done or suffered
    men: frozenset[str]  # words that make a line about a man (Bechdel–Wallace)


VOCABULARY: Vocabulary = load(Vocabulary, "generation.doctor", "data/balance.toml")
