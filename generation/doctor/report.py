"""The script doctor's report: continuity, clichés and repetition, the cast, and balance
and bias (generation/doctor/balance.py).

``check(bible)`` runs the deterministic checks (no model, no storage); ``render`` turns a
report into the neutral reply markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Bible
from generation.doctor.balance import Balance, balance, render_balance
from generation.doctor.cast import observations, table
from generation.doctor.cliches import Cliche, cliches
from generation.doctor.continuity import Contradiction, contradictions
from generation.doctor.material import artifacts
from generation.doctor.repetition import LOW_NOVELTY, Novelty, novelty


@dataclass(frozen=True, slots=True)
class Report:
    continuity: tuple[Contradiction, ...]
    cliches: tuple[Cliche, ...]
    novelty: tuple[Novelty, ...]
    cast: tuple[str, ...]
    observations: tuple[str, ...]
    balance: Balance
    scene_count: int = 0
    critique: tuple[str, ...] = field(default=())
    """The model's points, each grounded in a quote found in the material (may be empty)."""

    @property
    def repeating(self) -> tuple[Novelty, ...]:
        return tuple(n for n in self.novelty if n.novelty < LOW_NOVELTY)


def check(bible: Bible) -> Report:
    material = artifacts(bible)
    return Report(
        continuity=tuple(contradictions(bible, material)),
        cliches=tuple(cliches(material)),
        novelty=tuple(novelty(material)),
        cast=tuple(table(bible.characters)),
        observations=tuple(observations(bible.characters)),
        balance=balance(bible),
        scene_count=len(bible.scenes),
    )


def render(r: Report, model: str | None = None, *, only_balance: bool = False) -> str:
    """The report as markup; ``only_balance``: the balance section alone (/story check
    balance), with the model's notes if any."""
    if only_balance:
        return "\n".join(render_balance(r.balance, r.scene_count) + _critique(r, model))
    out = ["**Continuity**"]
    out += [f"- {c.line()}" for c in r.continuity] or [
        "- No contradictions found between the scenes, the sheets and the notes."
    ]
    out += ["", "**Clichés and repetition**"]
    out += [f"- {c.line()}" for c in r.cliches] or ["- No stock phrases found."]
    if r.novelty:
        out.append("- Novelty (share of word trigrams not in earlier pieces of the same kind):")
        out += [f"  - {n.line()}" for n in r.novelty]
    out += ["", "**Cast**"]
    out += [f"- {row}" for row in r.cast] or ["- No characters yet."]
    if r.observations:
        out += ["", "_Worth a second look (observations for the room to judge):_"]
        out += [f"- {o}" for o in r.observations]
    out += ["", *render_balance(r.balance, r.scene_count)]
    return "\n".join(out + _critique(r, model))


def _critique(r: Report, model: str | None) -> list[str]:
    if not r.critique:
        return []
    return ["", f"**Notes from {model or 'the model'}** (each quotes the material)"] + [
        f"- {p}" for p in r.critique
    ]
