"""The offline engine draws looks, temperament and work the same way whatever a
character's pronouns: over many sheets per pronoun set, the categories it draws do not
depend on the pronouns (a chi-square test of independence).

scipy is not a dependency, so the statistic and its p-value are computed here: the
p-value is the chi-square survival function, the regularised upper incomplete gamma
function Q(k/2, x/2), by its series or its continued fraction (Numerical Recipes 6.2).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import pytest

from core.models import Bible, Story
from generation.offline.characters import write_sheet
from generation.offline.genres import BY_KEY
from generation.offline.sheet_banks import BANKS
from generation.offline.text import upper_first

ALPHA = 0.001
"""Independence is rejected below this p-value: one false alarm in a thousand runs, and
the runs are deterministic, so a pass stays a pass."""
PER_SET = 300
STORY = Story(id=1, key=("t", "l", "c"), title="Harbour", genre="drama")
PRONOUN_SETS = ("she/her", "he/him", "they/them")


def chi2_sf(x: float, dof: int) -> float:
    """P(X >= x) for X chi-square distributed with ``dof`` degrees of freedom."""
    if x <= 0:
        return 1.0
    a, z = dof / 2.0, x / 2.0
    if z < a + 1:  # the series for P, then Q = 1 - P
        term = total = 1.0 / a
        n = a
        for _ in range(10_000):
            n += 1
            term *= z / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-z + a * math.log(z) - math.lgamma(a)))
    b = z + 1 - a  # Lentz's continued fraction for Q
    c, d = 1e300, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return h * math.exp(-z + a * math.log(z) - math.lgamma(a))


def independence(table: dict[str, Counter[str]]) -> tuple[float, int, float]:
    """(statistic, degrees of freedom, p-value) of a rows-by-categories count table."""
    rows = list(table)
    cats = sorted({c for counts in table.values() for c in counts})
    n = sum(sum(counts.values()) for counts in table.values())
    stat = 0.0
    for r in rows:
        row_total = sum(table[r].values())
        for c in cats:
            col_total = sum(table[x][c] for x in rows)
            expected = row_total * col_total / n
            stat += (table[r][c] - expected) ** 2 / expected
    dof = (len(rows) - 1) * (len(cats) - 1)
    return stat, dof, chi2_sf(stat, dof)


def test_the_survival_function_matches_the_tables() -> None:
    assert chi2_sf(3.841, 1) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(9.488, 4) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(23.209, 10) == pytest.approx(0.01, abs=1e-3)
    assert chi2_sf(0.1, 3) == pytest.approx(0.9918, abs=1e-3)
    assert chi2_sf(60.0, 28) == pytest.approx(0.000409, rel=0.05)


def test_the_test_sees_a_draw_that_depends_on_pronouns() -> None:
    """A biased table (looks drawn from two banks by pronouns) is rejected."""
    biased = {
        "she/her": Counter({"slight": 150, "slender": 120, "broad": 30}),
        "he/him": Counter({"slight": 30, "slender": 20, "broad": 250}),
    }
    assert independence(biased)[2] < ALPHA
    fair = {
        "she/her": Counter({"slight": 98, "slender": 101, "broad": 101}),
        "he/him": Counter({"slight": 102, "slender": 99, "broad": 99}),
    }
    assert independence(fair)[2] > 0.5


def temperament(sheet: dict[str, str]) -> str:
    return next(t.key for t in BANKS.temperaments if t.voice == sheet["voice"])


def build(sheet: dict[str, str]) -> str:
    return next(b for b in BANKS.builds if sheet["appearance"].startswith(upper_first(b)))


def occupation(sheet: dict[str, str]) -> str:
    jobs = sorted(BY_KEY["drama"].jobs, key=len, reverse=True)
    return next(j for j in jobs if f" {j} who " in sheet["one_line"])


def feature(sheet: dict[str, str]) -> str:
    return next(f.split(" {")[0] for f in BANKS.features if f.split(" {")[0] in sheet["appearance"])


def sheets_per_set() -> dict[str, list[dict[str, str]]]:
    bible = Bible(STORY)
    out: dict[str, list[dict[str, str]]] = {}
    for k, pronouns in enumerate(PRONOUN_SETS):
        out[pronouns] = [
            write_sheet(bible, f"Sam Doe{i % 7}", "", {"pronouns": pronouns}, k * PER_SET + i)
            for i in range(PER_SET)
        ]
    return out


SHEETS = sheets_per_set()


@pytest.mark.parametrize(
    "category", [temperament, build, occupation, feature], ids=lambda f: f.__name__
)
def test_looks_temperament_and_work_do_not_depend_on_pronouns(
    category: Callable[[dict[str, str]], str],
) -> None:
    table = {p: Counter(category(s) for s in sheets) for p, sheets in SHEETS.items()}
    stat, dof, p = independence(table)
    assert p > ALPHA, (category.__name__, stat, dof, table)
    assert dof >= 8  # enough categories drawn for the test to say something


def test_pronouns_drawn_for_a_character_say_nothing_of_the_rest_either() -> None:
    bible = Bible(STORY)
    drawn: dict[str, list[dict[str, str]]] = {}
    for i in range(3 * PER_SET):
        sheet = write_sheet(bible, f"Kim Roe{i % 5}", "", {}, 10_000 + i)
        drawn.setdefault(sheet["pronouns"], []).append(sheet)
    assert set(drawn) == set(PRONOUN_SETS)
    for category in (temperament, build, occupation):
        table = {p: Counter(category(s) for s in sheets) for p, sheets in drawn.items()}
        assert independence(table)[2] > ALPHA, category.__name__
