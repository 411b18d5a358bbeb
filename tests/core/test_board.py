"""The board's rules on plain data: numbering, moves, removals and the script's order."""

from __future__ import annotations

import pytest

from core.board import (
    ToAct,
    ToBeat,
    ToNumber,
    at,
    board,
    changed,
    moved,
    number_of,
    removed,
    scene_moved,
    script,
)
from core.models import Beat, Scene


def beats(*acts: str) -> list[Beat]:
    """ "AB", "CD" -> act 1: A, B; act 2: C, D (ids 1, 2, 3, 4), given out of order."""
    out, ident = [], 0
    for act, letters in enumerate(acts, 1):
        for position, text in enumerate(letters, 1):
            ident += 1
            out.append(Beat(act, position, text, id=ident))
    return list(reversed(out))


def texts(found: list[Beat]) -> list[tuple[int, int, str]]:
    return [(b.act, b.position, b.text) for b in found]


def test_beats_are_numbered_across_the_whole_board() -> None:
    board_ = beats("AB", "CD", "E")
    assert [b.text for b in board(board_)] == ["A", "B", "C", "D", "E"]
    assert at(board_, 3) is not None and at(board_, 3).text == "C"  # type: ignore[union-attr]
    assert at(board_, 6) is None and at(board_, 0) is None
    assert number_of(board_, 4) == 4 and number_of(board_, 99) is None


def test_moving_to_an_act_puts_the_beat_last_there_and_renumbers_both_acts() -> None:
    after = moved(beats("ABC", "DE"), 1, ToAct(2))
    assert texts(after) == [(1, 1, "B"), (1, 2, "C"), (2, 1, "D"), (2, 2, "E"), (2, 3, "A")]
    assert texts(moved(beats("AB"), 2, ToAct(3))) == [(1, 1, "A"), (3, 1, "B")]


def test_moving_within_an_act_never_changes_the_act() -> None:
    assert texts(moved(beats("ABC", "DE"), 1, ToNumber(3))) == [
        (1, 1, "B"),
        (1, 2, "C"),
        (1, 3, "A"),
        (2, 1, "D"),
        (2, 2, "E"),
    ]
    assert texts(moved(beats("ABC", "DE"), 5, ToNumber(4))) == [
        (1, 1, "A"),
        (1, 2, "B"),
        (1, 3, "C"),
        (2, 1, "E"),
        (2, 2, "D"),
    ]


def test_moving_into_another_acts_middle_joins_that_act() -> None:
    after = moved(beats("AB", "CDE"), 1, ToNumber(3))
    assert texts(after) == [(1, 1, "B"), (2, 1, "C"), (2, 2, "A"), (2, 3, "D"), (2, 4, "E")]
    assert texts(moved(beats("AB", "C"), 3, ToNumber(1)))[0] == (1, 1, "C")


def test_a_number_past_the_end_moves_the_beat_last() -> None:
    assert [b.text for b in moved(beats("AB", "C"), 1, ToNumber(99))] == ["B", "C", "A"]


def test_moving_to_a_place_in_an_act_joins_that_act_there_whatever_borders_it() -> None:
    """What a drop on the web board asks: first of act 2 is act 2, even for act 1's last."""
    board_ = beats("ABC", "DE")
    assert texts(moved(board_, 3, ToAct(2, 1))) == [
        (1, 1, "A"),
        (1, 2, "B"),
        (2, 1, "C"),
        (2, 2, "D"),
        (2, 3, "E"),
    ]
    assert texts(moved(board_, 1, ToAct(1, 3)))[:3] == [(1, 1, "B"), (1, 2, "C"), (1, 3, "A")]
    assert texts(moved(board_, 4, ToAct(2, 9)))[3:] == [(2, 1, "E"), (2, 2, "D")]
    assert texts(moved(board_, 2, ToAct(4, 1)))[-1] == (4, 1, "B")
    assert moved(board_, 1, ToAct(2, None)) == moved(board_, 1, ToAct(2))


def test_removing_a_beat_renumbers_what_follows_in_its_act() -> None:
    before = beats("ABC", "D")
    gone, rest = removed(before, 2)
    assert gone.text == "B"
    assert texts(rest) == [(1, 1, "A"), (1, 2, "C"), (2, 1, "D")]
    assert [(old.text, new.position) for old, new in changed(before, rest)] == [("C", 2)]


def test_the_script_follows_the_board_with_untied_scenes_last() -> None:
    board_ = beats("AB", "C")  # ids: A=1, B=2, C=3
    scenes = [
        Scene("loose", "", id=10, created_at=1),
        Scene("for C", "", id=11, beat_id=3, created_at=2),
        Scene("for A", "", id=12, beat_id=1, created_at=3),
        Scene("for a removed beat", "", id=13, beat_id=99, created_at=0),
        Scene("for A, later", "", id=14, beat_id=1, created_at=4),
    ]
    assert [s.title for s in script(board_, scenes)] == [
        "for A",
        "for A, later",
        "for C",
        "for a removed beat",
        "loose",
    ]


@pytest.mark.parametrize(
    ("number", "target", "expected"),
    [
        (3, ToNumber(1), ["c", "a", "b"]),
        (1, ToBeat(3), ["b", "c", "a"]),
        (1, ToNumber(9), ["b", "c", "a"]),
    ],
)
def test_moving_a_scene_ties_it_to_the_beat_it_joins(
    number: int, target: ToNumber | ToBeat, expected: list[str]
) -> None:
    board_ = beats("ABC")
    scenes = [Scene(t, "", id=i, beat_id=i) for i, t in enumerate("abc", 1)]
    moves = {s.id: s for s in scene_moved(board_, scenes, number, target)}
    after = script(board_, [moves.get(s.id, s) for s in scenes])
    assert [s.title for s in after] == expected
    assert next(iter(moves.values())).title == scenes[number - 1].title  # the moved one first
