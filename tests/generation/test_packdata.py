"""Typed package data: TOML tables become frozen records, and a bad file fails by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from generation.packdata import PackageDataError, build, read_toml


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Record:
    words: tuple[str, ...]
    pair: tuple[str, int]
    closed: frozenset[str]
    by_slot: Mapping[str, tuple[str, ...]]
    entries: tuple[Entry, ...]
    continue_: bool = False


TABLE = {
    "words": ["heist", "vault", "heist"],
    "pair": ["tragic", 4],
    "closed": ["a", "an", "a"],
    "by_slot": {"foe": ["villain"], "hero": ["lead", "hero"]},
    "entries": [{"key": "one", "weight": 2}, {"key": "two"}],
    "continue": True,
}


def test_a_table_becomes_the_record_with_order_and_repeats_kept() -> None:
    r = build(Record, TABLE, "test.toml")
    assert r.words == ("heist", "vault", "heist")  # a repeated trigger counts twice
    assert r.pair == ("tragic", 4)
    assert r.closed == frozenset({"a", "an"})
    assert list(r.by_slot) == ["foe", "hero"]  # tables keep the file's order
    assert r.by_slot["hero"] == ("lead", "hero")
    assert r.entries == (Entry("one", 2), Entry("two", 1))
    assert r.continue_ is True  # a Python keyword as a key: the field ends with "_"


def test_a_built_record_cannot_be_changed() -> None:
    r = build(Record, TABLE, "test.toml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.words = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.by_slot["foe"] = ()  # type: ignore[index]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"words": None}, "test.toml: missing key 'words'"),
        ({"wordz": ["x"]}, "test.toml: unknown key(s) 'wordz'"),
        ({"words": "heist"}, "test.toml.words: expected an array"),
        ({"words": ["heist", 3]}, "test.toml.words[1]: expected str, got 3"),
        ({"pair": ["tragic"]}, "test.toml.pair: expected 2 items, got 1"),
        ({"pair": ["tragic", True]}, "test.toml.pair[1]: expected int, got True"),
        ({"by_slot": ["villain"]}, "test.toml.by_slot: expected a table"),
        ({"entries": [{"weight": 2}]}, "test.toml.entries[0]: missing key 'key'"),
    ],
)
def test_a_file_that_does_not_match_its_record_fails_by_name(
    change: dict[str, object], message: str
) -> None:
    table = {k: v for k, v in {**TABLE, **change}.items() if v is not None}
    with pytest.raises(PackageDataError) as caught:
        build(Record, table, "test.toml")
    assert str(caught.value).startswith(message)


def test_a_file_is_read_once_from_the_package() -> None:
    first = read_toml("generation.offline", "data/tones.toml")
    assert read_toml("generation.offline", "data/tones.toml") is first
    assert [t["key"] for t in first["tones"]][:2] == ["dark", "comic"]
