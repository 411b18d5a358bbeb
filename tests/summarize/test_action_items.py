"""Action items: who, what and when, and no noise."""

from __future__ import annotations

from generation.summarize import summarize_offline
from tests.summarize.threads import FELIX, INES, NOOR, orchard_thread, thread


def items() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in summarize_offline(orchard_thread()).action_items:
        out.setdefault(a.owner, []).append(a.task)
    return out


def test_work_asked_of_anyone_belongs_to_whoever_takes_it() -> None:
    assert items()["saltycat"] == ["draft the cargo net scene"]


def test_a_vague_offer_is_no_action_item_and_no_task_drags_context() -> None:
    found = items()
    assert "Priti Shah" not in found  # "I'll try it": nothing says what "it" is
    assert not any("(re:" in t for tasks in found.values() for t in tasks)
    assert not any("owe you" in t for tasks in found.values() for t in tasks)


def test_a_request_keeps_its_deadline_and_the_owner_named_in_the_thread() -> None:
    [task] = items()["Oren Blum"]
    assert task == "rework the act 2 break around Varga by Thursday"


def test_a_follow_up_sentence_joins_a_request_only_when_it_carries_the_work() -> None:
    d = summarize_offline(
        thread(
            (NOOR, "Felix, can you draft the diner scene? before Friday"),
            (NOOR, "Inês, could you fix the map? you drew the first one"),
            (FELIX, "on it"),
            (INES, "sure"),
        )
    )
    tasks = {a.owner: a.task for a in d.action_items}
    assert tasks["Felix Moreau"] == "draft the diner scene before Friday"
    assert tasks["Inês Carvalho"] == "fix the map"
