"""A model that only critiques: ``complete`` answers with the JSON it was given, and keeps
every prompt, for the script doctor's grounding tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    text: str


class FakeCritic:
    name = "fake-model"

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.prompts: list[Any] = []

    async def complete(self, messages: Any, call: Any, **_: Any) -> Answer:
        self.prompts.append(messages)
        return Answer(self.answer)
