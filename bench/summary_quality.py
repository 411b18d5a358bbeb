"""How good a thread summary is, scored against the hand-annotated threads in bench/threads.

Run: ``python -m bench.summary_quality [--tuning-only | --show-holdout]`` (offline summarizer, and the
model when OPENAI_API_KEY or OPENAI_BASE_URL is set; also printed by ``python -m bench
summary``). To score a model-backed summarizer, call ``score_all(summarizer)`` with any
``async (Sample) -> Digest``. The threads and their annotations: bench/summary_threads.py.

What is measured, per thread, then per split (tuning threads apart from held-out ones):
- recall of the expected decisions (their final state), open questions and action items:
  an expected item is covered when some point of the matching section of the digest says
  it (see ``bench.summary_matching.similarity``);
- reversals: of the decisions reached by reversing an earlier call, the share whose
  earlier call the digest reports as reversed;
- owners right: of the covered action items, the share whose owner is the expected one;
- must-not-claim hits: statements the annotators marked as what a bad summary would
  wrongly say, found among the points the digest asserts (TL;DR, decisions, story changes,
  action items as "owner task"); points reported as reversed do not count;
- wrongly open: questions the thread answered that the digest lists as open;
- precision: the share of reported decisions, open questions and action items that match
  some expected one (a point the annotators did not list may still be right: a lower bound);
- characters: recall of the expected character names, and the names listed as characters
  that are none (people of the room, titles, labels, broken names);
- noisy action items: tasks over 20 words or dragging quoted context ("(re: …)");
- repeats: lines of "Story changes" that repeat a line of "Decisions";
- points left out: how many the digest dropped to stay within its size budget (every
  figure above is of the digest as shown, after the cut);
- digest size: characters of the rendered digest as a reader reads it (markup and link
  addresses left out; attributions kept) over the thread's characters; ``with links``
  counts the link addresses too, as a platform that spells them out shows them.

The text matching (what counts as saying an expected statement, or a false claim) is in
``bench/summary_matching.py``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import run_loop
from bench.summary_matching import THRESHOLD, fold, negates, says_it, similarity, tokens
from bench.summary_threads import Sample, decision_texts, load_all, threads_dir
from generation.summarize.model import ActionItem, Digest, Point, render_markdown
from generation.summarize.offline import summarize_offline
from generation.summarize.render import fit

Summarizer = Callable[[Sample], Awaitable[Digest]]
NOISY_WORDS = 20


@dataclass
class SampleScore:
    name: str
    held_out: bool = False
    covered: dict[str, tuple[int, int]] = field(default_factory=dict)
    reversals: tuple[int, int] = (0, 0)
    owners: tuple[int, int] = (0, 0)
    false_claims: list[tuple[str, str]] = field(default_factory=list)
    wrongly_open: list[str] = field(default_factory=list)
    characters: tuple[int, int] = (0, 0)
    wrong_characters: list[str] = field(default_factory=list)
    noisy: list[str] = field(default_factory=list)
    repeats: int = 0
    reported: dict[str, int] = field(default_factory=dict)
    supported: dict[str, tuple[int, int]] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)
    size: tuple[int, int, int] = (0, 0, 0)
    """(digest characters as read, digest characters with link addresses, thread characters)"""
    messages: int = 0
    left_out: int = 0
    """Points the digest left out to stay within its size budget."""
    seconds: float = 0.0


def _best(expected: str, texts: Iterable[str]) -> tuple[float, int]:
    best, where = 0.0, -1
    for i, text in enumerate(texts):
        score = similarity(expected, text)
        if score > best:
            best, where = score, i
    return best, where


def _claims(d: Digest) -> list[tuple[str, set[str]]]:
    """(text, people it is about) for every point the digest asserts."""
    out: list[tuple[str, set[str]]] = []
    tldr: list[Point] = d.tldr_sources or [Point(t, "", "", None) for t in d.tldr]
    for p in [*tldr, *d.decisions, *d.story_changes]:
        out.append((p.text, set()))
    for item in d.action_items:
        out.append((f"{item.owner} {item.task}", set(tokens(item.owner))))
    return out


_URL_IN_PARENS = re.compile(r"\s?\((?:https?|mailto):[^)\s]+\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?|mailto):[^)\s]+\)")
_BARE_URL = re.compile(r"(?:https?|mailto)://\S+")
_MARKERS = re.compile(r"\*\*|(?<!\w)_|_(?!\w)")


def read_length(body: str) -> int:
    """Characters of a reply body as a reader reads it: no markup, no link addresses."""
    text = _MD_LINK.sub(r"\1", body)
    text = _URL_IN_PARENS.sub("", text)
    text = _BARE_URL.sub("", text)
    return len(_MARKERS.sub("", text))


def _section(body: str, title: str) -> list[str]:
    """The "- " lines under a **title** heading of a rendered digest, attribution cut."""
    out: list[str] = []
    inside = False
    for line in body.splitlines():
        if line.startswith("**"):
            inside = line.startswith(f"**{title}")
            continue
        if inside and line.startswith("- "):
            out.append(line[2:].rsplit(" — ", 1)[0].strip())
    return out


def repeated_lines(body: str) -> int:
    """Lines of "Story changes" that repeat a line of "Decisions" word for word."""
    decided = {fold(t) for t in _section(body, "Decisions")}
    return sum(fold(t) in decided for t in _section(body, "Story changes"))


def _is_character(name: str, wanted: list[set[str]]) -> bool:
    found = set(tokens(name))
    return bool(found) and any(w <= found or found <= w for w in wanted if w)


def score_digest(sample: Sample, full: Digest) -> SampleScore:
    """Score one digest, as the reader gets it (cut to its size budget), against one
    thread's annotations."""
    expected = sample.expected
    s = SampleScore(sample.name, sample.held_out, messages=len(sample.messages))
    body = render_markdown(full)
    digest = fit(full)
    s.size = (read_length(body), len(body), sample.characters)
    s.left_out = sum(digest.omitted.values())
    decided = [p.text for p in digest.decisions]
    reversed_ = [p.text for p in digest.reversed]
    asked = [p.text for p in digest.open_questions]
    finals = decision_texts(expected)
    hits = reversals = replaced = 0
    for final, earlier in finals:
        if _best(final, decided)[0] >= THRESHOLD:
            hits += 1
        else:
            s.missed.append(("decisions", final))
        if earlier is not None:
            replaced += 1
            if _best(earlier, reversed_)[0] >= THRESHOLD:
                reversals += 1
            else:
                s.missed.append(("reversed", earlier))
    s.covered["decisions"] = (hits, len(finals))
    s.reversals = (reversals, replaced)
    hits = 0
    for item in expected["open_questions"]:
        if _best(item, asked)[0] >= THRESHOLD:
            hits += 1
        else:
            s.missed.append(("open_questions", item))
    s.covered["open_questions"] = (hits, len(expected["open_questions"]))
    s.wrongly_open = wrongly_open(expected, asked)
    hits = owners_right = 0
    tasks = [a.task for a in digest.action_items]
    for item in expected["action_items"]:
        score, where = _best(item["task"], tasks)
        if score >= THRESHOLD:
            hits += 1
            got: ActionItem = digest.action_items[where]
            owners_right += fold(got.owner) == fold(item["owner"])
            if fold(got.owner) != fold(item["owner"]):
                s.missed.append(("owner", f"{item['owner']} (got {got.owner}): {item['task']}"))
        else:
            s.missed.append(("action_items", f"{item['owner']}: {item['task']}"))
    s.covered["action_items"] = (hits, len(expected["action_items"]))
    s.owners = (owners_right, hits)
    s.noisy = [t for t in tasks if "(re:" in t or len(t.split()) > NOISY_WORDS]
    s.false_claims = false_claims(expected.get("must_not_claim", []), digest, sample)
    wanted = [set(tokens(c)) for c in expected.get("characters_mentioned", [])]
    s.characters = (
        sum(any(_is_character(c, [w]) for c in digest.characters) for w in wanted),
        len(wanted),
    )
    s.wrong_characters = [c for c in digest.characters if not _is_character(c, wanted)]
    s.repeats = repeated_lines(body)
    expected_tasks = [i["task"] for i in expected["action_items"]]
    expected_finals = [f for f, _ in finals]
    for category, texts, want in (
        ("decisions", decided, expected_finals),
        ("open_questions", asked, expected["open_questions"]),
        ("action_items", tasks, expected_tasks),
    ):
        hit = sum(any(similarity(w, t) >= THRESHOLD for w in want) for t in texts)
        s.supported[category] = (hit, len(texts))
    s.reported = {
        "decisions": len(digest.decisions),
        "reversed": len(digest.reversed),
        "open_questions": len(digest.open_questions),
        "action_items": len(digest.action_items),
        "story_changes": len(digest.story_changes),
    }
    return s


def wrongly_open(expected: dict[str, Any], asked: list[str]) -> list[str]:
    """Listed open questions that say an answered question better than any open one."""
    out: list[str] = []
    for text in asked:
        answered = max(
            (similarity(q, text) for q in expected.get("answered_questions", [])), default=0.0
        )
        still_open = max((similarity(q, text) for q in expected["open_questions"]), default=0.0)
        if answered >= THRESHOLD and answered > still_open:
            out.append(text)
    return out


def false_claims(claims: list[str], digest: Digest, sample: Sample) -> list[tuple[str, str]]:
    """(claim, the point making it) for each must-not-claim statement the digest makes."""
    people = {t for m in sample.messages for t in tokens(m.author)}
    out: list[tuple[str, str]] = []
    for claim in claims:
        named = set(tokens(claim)) & people
        for text, about in _claims(digest):
            if similarity(claim, text) < THRESHOLD or not says_it(claim, text, people):
                continue
            if negates(text, claim):
                continue
            if named and not named <= (about or set(tokens(text))):
                continue
            out.append((claim, text))
            break
    return out


async def offline_summarizer(sample: Sample) -> Digest:
    return summarize_offline(sample.messages, characters=sample.cast)


async def score_all(
    summarize: Summarizer, folder: Path | None = None, *, holdout: bool = True
) -> list[SampleScore]:
    """Score ``summarize`` on every thread in ``folder`` (default: bench/threads); the
    held-out ones only when ``holdout``."""
    scores = []
    for sample in load_all(folder):
        if sample.held_out and not holdout:
            continue
        start = time.perf_counter()
        digest = await summarize(sample)
        elapsed = time.perf_counter() - start
        score = score_digest(sample, digest)
        score.seconds = elapsed
        scores.append(score)
    return scores


def main(argv: list[str] | None = None) -> None:
    from bench.summary_report import report

    args = sys.argv[1:] if argv is None else argv
    show_holdout = "--show-holdout" in args
    holdout = "--tuning-only" not in args
    folder = threads_dir()
    if not folder.is_dir():
        print(f"No threads at {folder}; set WRITERSROOM_SAMPLES to their folder.")
        sys.exit(1)
    scores = run_loop(score_all(offline_summarizer, folder, holdout=holdout))
    print(report(scores, "offline extractive summarizer", show_holdout=show_holdout))
    print()
    print(run_loop(model_report(folder, show_holdout=show_holdout, holdout=holdout)))


async def model_report(folder: Path, *, show_holdout: bool = False, holdout: bool = True) -> str:
    """The same scores for the configured model (OPENAI_*), or why there are none."""
    from bench.summary_report import report
    from bot.settings import load_settings

    settings = load_settings()
    if not settings.model_configured:
        return (
            "Summary quality: model not measured (no OPENAI_API_KEY or OPENAI_BASE_URL "
            "configured). Set them and run again to score a model."
        )
    from bot.engines import make_openai_engine
    from generation.summarize.mapreduce import summarize_with_model

    async with make_openai_engine(settings) as engine:

        async def summarize(sample: Sample) -> Any:
            return await summarize_with_model(sample.messages, engine)

        scores = await score_all(summarize, folder, holdout=holdout)
        return report(scores, f"model {engine.name} (map-reduce)", show_holdout=show_holdout)


if __name__ == "__main__":
    main()
