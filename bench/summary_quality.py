"""How good a thread summary is, scored against hand-annotated sample threads.

Run: ``python -m bench.summary_quality`` (offline summarizer, and the model when
OPENAI_API_KEY or OPENAI_BASE_URL is set; also printed by ``python -m bench summary``). Samples are read from
``../shared/samples`` next to the repository, or from ``$WRITERSROOM_SAMPLES``. To score
a model-backed summarizer, call ``score_all(summarizer)`` with any
``async (list[ThreadMessage]) -> Digest``.

What is measured, per sample and overall:
- recall of the expected decisions, open questions and action items: an expected item is
  covered when some point of the matching section of the digest says it (see ``similarity``);
- owner accuracy: of the covered action items, the share whose owner is the expected one;
- false claims: statements the annotators marked as what a bad summary would wrongly say
  ("Ruth is killed in the pilot"), found among the points the digest asserts (TL;DR,
  decisions, story changes, action items as "owner task"); points in ``reversed`` are
  reported as reversed, so they do not count;
- precision: the share of reported decisions, open questions and action items that match
  some expected one (a point the annotators did not list may still be right: read it as a
  lower bound);
- characters: recall of the expected character names (informational);
- reported: how many points each section holds, so a summary cannot win recall by
  listing everything.

The text matching (what counts as saying an expected statement, or a false claim) is in
``bench/summary_matching.py``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import run_loop, table
from bench.summary_matching import (
    THRESHOLD,
    fold,
    negates,
    says_it,
    similarity,
    tokens,
)
from generation.summarize.model import ActionItem, Digest, Point, ThreadMessage
from generation.summarize.offline import summarize_offline

Summarizer = Callable[[list[ThreadMessage]], Awaitable[Digest]]


@dataclass
class SampleScore:
    name: str
    covered: dict[str, tuple[int, int]] = field(default_factory=dict)
    owners: tuple[int, int] = (0, 0)
    false_claims: list[tuple[str, str]] = field(default_factory=list)
    characters: tuple[int, int] = (0, 0)
    reported: dict[str, int] = field(default_factory=dict)
    supported: dict[str, tuple[int, int]] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)
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


def score_digest(
    name: str, expected: dict[str, Any], digest: Digest, messages: list[ThreadMessage]
) -> SampleScore:
    """Score one digest against one sample's annotations."""
    s = SampleScore(name)
    participants = sorted({m.author for m in messages})
    sections = {
        "decisions": [p.text for p in digest.decisions],
        "open_questions": [p.text for p in digest.open_questions],
    }
    for category, texts in sections.items():
        hits = 0
        for item in expected[category]:
            score, _ = _best(item, texts)
            if score >= THRESHOLD:
                hits += 1
            else:
                s.missed.append((category, item))
        s.covered[category] = (hits, len(expected[category]))
    hits = owners_right = 0
    tasks = [a.task for a in digest.action_items]
    for item in expected["action_items"]:
        score, where = _best(item["task"], tasks)
        if score >= THRESHOLD:
            hits += 1
            got: ActionItem = digest.action_items[where]
            owners_right += fold(got.owner) == fold(item["owner"])
        else:
            s.missed.append(("action_items", f"{item['owner']}: {item['task']}"))
    s.covered["action_items"] = (hits, len(expected["action_items"]))
    s.owners = (owners_right, hits)
    people = {t for name in participants for t in tokens(name)}
    for claim in expected.get("must_not_claim", []):
        named = set(tokens(claim)) & people
        for text, about in _claims(digest):
            if similarity(claim, text) < THRESHOLD or not says_it(claim, text):
                continue
            if negates(text, claim):
                continue
            if named and not named <= (about or set(tokens(text))):
                continue
            s.false_claims.append((claim, text))
            break
    found = [set(tokens(c)) for c in digest.characters]
    wanted = expected.get("characters_mentioned", [])
    got_chars = sum(
        any(w <= f or (f and f <= w) for f in found) for w in (set(tokens(c)) for c in wanted)
    )
    s.characters = (got_chars, len(wanted))
    expected_tasks = [i["task"] for i in expected["action_items"]]
    for category, texts, wanted in (
        ("decisions", sections["decisions"], expected["decisions"]),
        ("open_questions", sections["open_questions"], expected["open_questions"]),
        ("action_items", tasks, expected_tasks),
    ):
        hit = sum(any(similarity(w, t) >= THRESHOLD for w in wanted) for t in texts)
        s.supported[category] = (hit, len(texts))
    s.reported = {
        "decisions": len(digest.decisions),
        "reversed": len(digest.reversed),
        "open_questions": len(digest.open_questions),
        "action_items": len(digest.action_items),
        "story_changes": len(digest.story_changes),
    }
    return s


def samples_dir() -> Path:
    override = os.environ.get("WRITERSROOM_SAMPLES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared" / "samples"


def load_sample(path: Path) -> tuple[list[ThreadMessage], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    messages = [
        ThreadMessage(m["user"], m.get("user_id", ""), str(m["ts"]), m["text"], m.get("link"))
        for m in data["messages"]
    ]
    return messages, data["expected"]


async def offline_summarizer(messages: list[ThreadMessage]) -> Digest:
    return summarize_offline(messages)


async def score_all(summarize: Summarizer, folder: Path | None = None) -> list[SampleScore]:
    """Score ``summarize`` on every sample in ``folder`` (default: ``samples_dir()``)."""
    folder = folder or samples_dir()
    scores = []
    for path in sorted(folder.glob("*.json")):
        messages, expected = load_sample(path)
        start = time.perf_counter()
        digest = await summarize(messages)
        elapsed = time.perf_counter() - start
        score = score_digest(path.stem, expected, digest, messages)
        score.seconds = elapsed
        scores.append(score)
    return scores


def _ratio(pair: tuple[int, int]) -> str:
    hit, total = pair
    return f"{hit}/{total} ({hit / total:.0%})" if total else "n/a"


def _precision(pairs: Iterable[tuple[int, int]]) -> str:
    return "/".join(f"{h / t:.0%}" if t else "-" for h, t in pairs)


def _sum(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    pairs = list(pairs)
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def rows(scores: list[SampleScore]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for s in scores:
        out.append(
            {
                "sample": s.name,
                "decisions": _ratio(s.covered["decisions"]),
                "open questions": _ratio(s.covered["open_questions"]),
                "action items": _ratio(s.covered["action_items"]),
                "owner accuracy": _ratio(s.owners),
                "false claims": str(len(s.false_claims)),
                "precision d/q/a": _precision(s.supported.values()),
                "characters": _ratio(s.characters),
                "reported d/r/q/a/s": "/".join(str(v) for v in s.reported.values()),
            }
        )
    out.append(
        {
            "sample": "overall",
            "decisions": _ratio(_sum(s.covered["decisions"] for s in scores)),
            "open questions": _ratio(_sum(s.covered["open_questions"] for s in scores)),
            "action items": _ratio(_sum(s.covered["action_items"] for s in scores)),
            "owner accuracy": _ratio(_sum(s.owners for s in scores)),
            "false claims": str(sum(len(s.false_claims) for s in scores)),
            "precision d/q/a": _precision(
                _sum(s.supported[c] for s in scores)
                for c in ("decisions", "open_questions", "action_items")
            ),
            "characters": _ratio(_sum(s.characters for s in scores)),
            "reported d/r/q/a/s": "",
        }
    )
    return out


COLUMNS = [
    "sample",
    "decisions",
    "open questions",
    "action items",
    "owner accuracy",
    "false claims",
    "precision d/q/a",
    "characters",
    "reported d/r/q/a/s",
]


def report(scores: list[SampleScore], engine: str) -> str:
    lines = [
        f"Summary quality: {engine} (covered at F2 >= {THRESHOLD:.2f})",
        table(rows(scores), COLUMNS),
    ]
    for s in scores:
        for category, item in s.missed:
            lines.append(f"  missed [{s.name}] {category}: {item}")
        for claim, text in s.false_claims:
            lines.append(f"  FALSE CLAIM [{s.name}] {claim!r} <- {text!r}")
    return "\n".join(lines)


def main() -> None:
    folder = samples_dir()
    if not folder.is_dir():
        print(f"No samples at {folder}; set WRITERSROOM_SAMPLES to their folder.")
        sys.exit(1)
    scores = run_loop(score_all(offline_summarizer, folder))
    print(report(scores, "offline extractive summarizer"))
    print()
    print(run_loop(model_report(folder)))


async def model_report(folder: Path) -> str:
    """The same scores for the configured model (OPENAI_*), or why there are none."""
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

        async def summarize(messages: list[ThreadMessage]) -> Digest:
            return await summarize_with_model(messages, engine)

        scores = await score_all(summarize, folder)
        return report(scores, f"model {engine.name} (map-reduce)")


if __name__ == "__main__":
    main()
