"""The script doctor: /story check reads the bible and saved scenes for continuity errors,
clichés and repetition, the cast, and balance and bias (who speaks, Bechdel–Wallace, how
the sheets describe people, by pronouns).

Deterministic checks always run (``check``); with a model behind the engine, its critique
is added, each point grounded in a quote from the material (``critique``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from core.models import Bible
from generation.doctor.material import artifacts
from generation.doctor.model import SCHEMA, grounded, messages
from generation.doctor.report import Report, check, render


async def critique(
    bible: Bible, report: Report, model: Any, call: Any, *, only_balance: bool = False
) -> Report:
    """The report with the model's grounded points added (``model.complete`` as in
    generation/openai_engine.py): a point whose quote is not in the bible is dropped. A
    failed call raises the engine's error. ``only_balance``: ask about balance alone."""
    material = artifacts(bible)
    answer = await model.complete(
        messages(material, report, only_balance=only_balance),
        call,
        json_schema=("script_doctor", SCHEMA),
    )
    return dataclasses.replace(report, critique=tuple(grounded(answer.text, material)))


__all__ = ["Report", "check", "critique", "render"]
