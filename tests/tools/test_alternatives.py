"""options:N: alternatives chosen to differ (MMR over word bigrams), and the room's pick.

Run as a script to print the measured difference:
``.venv/bin/python -m tests.tools.test_alternatives``.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from typing import Any

from bot.app import App, open_app
from bot.settings import Settings, load_settings
from commands.writing import SynopsisArgs
from core.types import ACTION, ActionArgs, Author, Invocation, Place
from generation.alternatives import (
    distinctive_words,
    mean_pairwise_similarity,
    mmr,
    similarity,
)
from generation.base import Draft, OnText, WritingTask
from tests.bot.helpers import Session
from tests.conftest import counting_seeds
from tests.tools.recorder import Recorder

HERE = Place("terminal", "local", "general")
DANA = Author("terminal:dana", "dana", manager=True)

BASE = "the salvage pilot takes one last job on the frozen moon to pay her brother's debt"
NEAR = [BASE, BASE + " and regrets it", "so " + BASE, BASE.replace("last", "final")]
OTHERS = [
    "a lighthouse keeper finds a radio that only picks up tomorrow's storms",
    "two rival chefs are snowed in at a mountain inn with one working stove",
]


# --- the pure selection -------------------------------------------------------------


def test_similarity_is_one_for_the_same_phrasing_and_zero_for_none_shared() -> None:
    assert similarity(BASE, BASE) == 1.0
    assert similarity(BASE, OTHERS[0]) == 0.0
    assert 0.5 < similarity(NEAR[0], NEAR[1]) < 1.0


def test_similarity_reads_words_as_the_summaries_do_curly_apostrophes_and_accents() -> None:
    assert similarity("She’s back in Lucía’s café.", "she's back in lucia's cafe") == 1.0
    assert similarity("", "") == 1.0  # two empty takes say the same (nothing)
    assert similarity("", BASE) == 0.0


def test_mmr_chooses_diverse_texts_over_near_duplicates() -> None:
    texts = [*NEAR, *OTHERS]
    picked = mmr(texts, 3)
    assert len(picked) == 3 and len(set(picked)) == 3
    assert sum(1 for i in picked if i < len(NEAR)) == 1  # one of the near-duplicates only
    assert {4, 5} <= set(picked)
    first_three = mean_pairwise_similarity(texts[:3])
    chosen = mean_pairwise_similarity([texts[i] for i in picked])
    assert chosen < 0.1 < first_three


def test_mmr_is_deterministic_and_bounded() -> None:
    texts = [*NEAR, *OTHERS]
    assert mmr(texts, 3) == mmr(texts, 3)
    assert sorted(mmr(texts, 10)) == list(range(len(texts)))
    assert mmr(texts, 0) == [] and mmr([], 3) == []


def test_mmr_never_prefers_an_empty_take() -> None:
    assert 0 not in mmr(["", BASE, OTHERS[0]], 2)


def test_mmr_with_full_weight_on_relevance_follows_relevance() -> None:
    assert mmr(OTHERS, 2, lam=1.0, relevance=[0.1, 0.9]) == [1, 0]


def test_distinctive_words_label_each_option() -> None:
    texts = [BASE, OTHERS[0]]
    assert "salvage" in distinctive_words(texts, 0)
    assert "lighthouse" in distinctive_words(texts, 1)
    assert all(w not in ("the", "that") for w in distinctive_words(texts, 0, limit=10))


# --- through the dispatcher and the terminal ------------------------------------------


async def run(app: App, inv: Invocation) -> Recorder:
    recorder = Recorder(inv.place)
    job = await app.dispatcher.handle(inv, recorder)
    assert job is not None
    await job.wait()
    return recorder


async def synopsis_options(app: App, n: int = 3) -> tuple[int, list[dict[str, Any]], Any]:
    rec = await run(app, Invocation("synopsis", None, SynopsisArgs(options=n), "", HERE, DANA))
    final = rec.finals()[-1]
    conv = await app.store.conversation_at((*HERE.story_key, rec.handles[0].thread))
    assert conv is not None
    return conv.id, list(conv.params["options"]), final


async def plain_takes(app: App, place: Place, n: int = 3) -> list[str]:
    """A synopsis and n-1 Regenerate presses: what a room got before options existed."""
    rec = await run(app, Invocation("synopsis", None, SynopsisArgs(), "", place, DANA))
    conv = await app.store.conversation_at((*place.story_key, rec.handles[0].thread))
    assert conv is not None
    takes = [conv.artifact]
    here = place.in_thread(rec.handles[0].thread)
    for _ in range(n - 1):
        again = await run(
            app,
            Invocation(ACTION, None, ActionArgs.of("regenerate", str(conv.id)), "", here, DANA),
        )
        takes.append(again.finals()[-1].body)
    return takes


async def measure(app: App, rooms: int) -> tuple[float, float]:
    """Mean pairwise bigram Jaccard of options:3 and of 3 plain takes, over several rooms."""
    chosen, plain = [], []
    for room in range(rooms):
        place = Place("terminal", "local", f"room{room}")
        rec = await run(app, Invocation("synopsis", None, SynopsisArgs(options=3), "", place, DANA))
        conv = await app.store.conversation_at((*place.story_key, rec.handles[0].thread))
        assert conv is not None
        chosen.append(mean_pairwise_similarity([o["text"] for o in conv.params["options"]]))
        plain.append(mean_pairwise_similarity(await plain_takes(app, place)))
    return sum(chosen) / rooms, sum(plain) / rooms


async def test_options_3_differ_more_than_three_plain_takes(app: App) -> None:
    options_overlap, plain_overlap = await measure(app, rooms=4)
    assert options_overlap < plain_overlap
    assert options_overlap < 0.06  # measured 0.02 offline; plain takes share about twice that


async def test_synopsis_options_3_through_the_terminal(app: App) -> None:
    s = Session(app)
    out = await s.say("/synopsis options:3")
    assert "3 options" in out
    assert all(f"Option {k}" in out for k in (1, 2, 3)) and "Option 4" not in out
    assert "use 1 · use 2 · use 3" in out and "chosen to differ" in out
    refused = await s.say("shorter")
    assert "Pick one of the 3 options first" in refused
    chosen = await s.say("use 2")
    assert "Synopsis · option 2" in chosen and "save" in chosen
    await s.say("save")
    story = await app.store.active_story(HERE.story_key)
    conv = await app.store.latest_conversation(HERE.story_key)
    assert story is not None and conv is not None
    assert story.synopsis == conv.params["options"][1]["text"] == conv.artifact


async def test_choose_button_makes_the_option_the_threads_artifact(app: App) -> None:
    conv_id, options, final = await synopsis_options(app)
    assert [a.kind for a in final.actions] == ["choose"] * 3
    assert [a.label for a in final.actions] == ["Use option 1", "Use option 2", "Use option 3"]
    press = final.actions[2]
    assert press.ref == f"{conv_id}.3"
    rec = await run(
        app,
        Invocation(
            ACTION, None, ActionArgs.of("choose", press.ref), "", HERE.in_thread("t1"), DANA
        ),
    )
    reply = rec.finals()[-1]
    assert reply.body == options[2]["text"]
    assert [a.kind for a in reply.actions] == ["regenerate", "continue", "save"]
    conv = await app.store.conversation(conv_id)
    assert conv is not None and conv.artifact == options[2]["text"]
    assert conv.params["chosen"] == 3
    more = await run(
        app,
        Invocation(
            ACTION,
            None,
            ActionArgs.of("continue", str(conv_id)),
            "",
            HERE.in_thread("t1"),
            DANA,
        ),
    )
    assert more.finals()[-1].body
    conv = await app.store.conversation(conv_id)
    assert conv is not None and conv.artifact.startswith(options[2]["text"].rstrip())


async def test_a_choose_button_works_after_reopening_the_app(settings: Settings) -> None:
    async with open_app(settings, seeds=counting_seeds()) as first:
        conv_id, options, final = await synopsis_options(first)
    async with open_app(settings, seeds=counting_seeds(100)) as second:
        ref = final.actions[0].ref
        rec = await run(
            second,
            Invocation(ACTION, None, ActionArgs.of("choose", ref), "", HERE.in_thread("t1"), DANA),
        )
        assert rec.finals()[-1].body == options[0]["text"]
        conv = await second.store.conversation(conv_id)
        assert conv is not None and conv.artifact == options[0]["text"]


async def test_a_choose_ref_for_a_missing_option_or_another_channel_is_refused(app: App) -> None:
    conv_id, _, _ = await synopsis_options(app)
    for ref, where in (
        (f"{conv_id}.9", HERE),
        (f"{conv_id}.1", Place("terminal", "local", "x")),
        ("nonsense", HERE),
    ):
        rec = await run(
            app,
            Invocation(ACTION, None, ActionArgs.of("choose", ref), "", where.in_thread("t1"), DANA),
        )
        assert rec.finals()[-1].tone == "error"
    conv = await app.store.conversation(conv_id)
    assert conv is not None and conv.artifact == "" and "chosen" not in conv.params


async def test_options_1_is_the_plain_synopsis(app: App) -> None:
    rec = await run(app, Invocation("synopsis", None, SynopsisArgs(options=1), "", HERE, DANA))
    final = rec.finals()[-1]
    assert [a.kind for a in final.actions] == ["regenerate", "continue", "save"]
    assert "options" not in final.title.lower()


# --- /character new options:N ------------------------------------------------------


async def test_a_character_is_saved_only_after_the_room_chooses(app: App) -> None:
    s = Session(app)
    out = await s.say("/character new Jonah options:3 role:antagonist owes everyone")
    assert "Jonah · 3 options" in out and "use 1 · use 2 · use 3" in out
    story = await app.store.active_story(HERE.story_key)
    assert story is not None
    assert await app.store.characters(story.id) == []  # nothing saved before the pick
    assert "Pick one of the 3 options first" in await s.say("save")
    assert await app.store.characters(story.id) == []
    conv = await app.store.latest_conversation(HERE.story_key)
    assert conv is not None
    options = conv.params["options"]
    assert all(o["data"]["role"] == "antagonist" for o in options)  # given fields are kept
    rec = await run(
        app,
        Invocation(
            ACTION,
            None,
            ActionArgs.of("choose", f"{conv.id}.2"),
            "",
            HERE.in_thread("t1"),
            DANA,
        ),
    )
    reply = rec.finals()[-1]
    assert reply.title == "Jonah" and "saved to the bible" in reply.body
    assert [a.kind for a in reply.actions] == ["regenerate"]
    [jonah] = await app.store.characters(story.id)
    assert jonah.sheet() == {k: v for k, v in options[1]["data"].items() if v}
    # A second pick replaces the first pick's sheet rather than adding a second Jonah.
    await s.say("use 3")
    [jonah] = await app.store.characters(story.id)
    assert jonah.one_line == options[2]["data"]["one_line"]


async def test_character_new_without_options_still_saves_at_once(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara a salvage pilot")
    story = await app.store.active_story(HERE.story_key)
    assert story is not None
    assert [c.name for c in await app.store.characters(story.id)] == ["Mara"]


# --- with a model: at most 2N calls, run concurrently -------------------------------


class CountingModel:
    """A text engine that is not the offline one: counts calls and how many overlap."""

    name = "fake-model"

    def __init__(self) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        self.calls += 1
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        word = ["harbour", "desert", "orbit", "winter", "carnival", "archive"][task.seed % 6]
        return Draft(f"A story of the {word} take {task.seed} where the {word} wins.", self.name)


async def test_with_a_model_options_cost_at_most_2n_calls_run_concurrently(
    make_app: Callable[..., Any],
) -> None:
    model = CountingModel()
    async with make_app(engine=model) as app:
        _, options, final = await synopsis_options(app, 3)
    assert model.calls == 6 and model.most > 1
    assert len(options) == 3 and "fake-model" in (final.footer or "")


def main() -> None:  # pragma: no cover - the figure for the report
    async def go() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings({"WRITERSROOM_DATA_DIR": tmp}, dotenv=None)
            async with open_app(settings, seeds=counting_seeds()) as app:
                rooms = 20
                chosen, plain = await measure(app, rooms)
        print(
            f"mean pairwise word-bigram Jaccard over {rooms} rooms (offline engine): "
            f"options:3 {chosen:.3f}, three plain takes {plain:.3f}"
        )

    asyncio.run(go())


if __name__ == "__main__":
    main()
