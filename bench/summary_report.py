"""The summary-quality tables: one row per thread, then an aggregate per split (tuning
threads apart from held-out ones), and the issue's targets checked on the held-out ones.

Details (what a digest missed, the false claims it made, the wrong characters) are printed
for tuning threads only, unless ``show_holdout``: reading them for held-out threads is
tuning on them.
"""

from __future__ import annotations

from collections.abc import Iterable

from bench.common import table
from bench.summary_matching import THRESHOLD
from bench.summary_quality import SampleScore

TARGETS = {
    "decisions": 0.80,
    "open_questions": 0.80,
    "action_items": 0.90,
    "owners": 0.90,
    "size": 0.25,
}
LONG_THREAD = 40
"""Past this many messages a digest is held to at most 25% of the thread's characters."""


def _ratio(pair: tuple[int, int]) -> str:
    hit, total = pair
    return f"{hit}/{total} ({hit / total:.0%})" if total else "n/a"


def _share(pair: tuple[int, int]) -> float | None:
    return pair[0] / pair[1] if pair[1] else None


def _precision(pairs: Iterable[tuple[int, int]]) -> str:
    return "/".join(f"{h / t:.0%}" if t else "-" for h, t in pairs)


def _sum(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    pairs = list(pairs)
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def _size(s: SampleScore) -> float:
    return s.size[0] / s.size[2] if s.size[2] else 0.0


def _row(s: SampleScore) -> dict[str, object]:
    read, raw, thread = s.size
    return {
        "thread": s.name,
        "msgs": str(s.messages),
        "decisions": _ratio(s.covered["decisions"]),
        "reversals": _ratio(s.reversals),
        "open q": _ratio(s.covered["open_questions"]),
        "action items": _ratio(s.covered["action_items"]),
        "owners right": _ratio(s.owners),
        "must-not": str(len(s.false_claims)),
        "wrongly open": str(len(s.wrongly_open)),
        "characters": f"{_ratio(s.characters)}, {len(s.wrong_characters)} wrong",
        "noisy/repeats": f"{len(s.noisy)}/{s.repeats}",
        "left out": str(s.left_out),
        "precision d/q/a": _precision(s.supported.values()),
        "size": f"{_size(s):.0%} ({read:,}/{thread:,})",
        "with links": f"{raw / thread:.0%}" if thread else "-",
    }


def _aggregate(label: str, scores: list[SampleScore]) -> dict[str, object]:
    sizes = [_size(s) for s in scores]
    return {
        "thread": label,
        "msgs": str(sum(s.messages for s in scores)),
        "decisions": _ratio(_sum(s.covered["decisions"] for s in scores)),
        "reversals": _ratio(_sum(s.reversals for s in scores)),
        "open q": _ratio(_sum(s.covered["open_questions"] for s in scores)),
        "action items": _ratio(_sum(s.covered["action_items"] for s in scores)),
        "owners right": _ratio(_sum(s.owners for s in scores)),
        "must-not": str(sum(len(s.false_claims) for s in scores)),
        "wrongly open": str(sum(len(s.wrongly_open) for s in scores)),
        "characters": f"{_ratio(_sum(s.characters for s in scores))}, "
        f"{sum(len(s.wrong_characters) for s in scores)} wrong",
        "noisy/repeats": f"{sum(len(s.noisy) for s in scores)}/{sum(s.repeats for s in scores)}",
        "left out": str(sum(s.left_out for s in scores)),
        "precision d/q/a": _precision(
            _sum(s.supported[c] for s in scores)
            for c in ("decisions", "open_questions", "action_items")
        ),
        "size": f"max {max(sizes):.0%}, mean {sum(sizes) / len(sizes):.0%}" if sizes else "-",
        "with links": "",
    }


COLUMNS = [
    "thread",
    "msgs",
    "decisions",
    "reversals",
    "open q",
    "action items",
    "owners right",
    "must-not",
    "wrongly open",
    "characters",
    "noisy/repeats",
    "left out",
    "precision d/q/a",
    "size",
    "with links",
]


def target_check(scores: list[SampleScore]) -> str:
    """The issue's targets, on the held-out threads together."""
    if not scores:
        return "No held-out threads: targets not checked."
    got = {
        "decisions": _share(_sum(s.covered["decisions"] for s in scores)),
        "open_questions": _share(_sum(s.covered["open_questions"] for s in scores)),
        "action_items": _share(_sum(s.covered["action_items"] for s in scores)),
        "owners": _share(_sum(s.owners for s in scores)),
    }
    parts = []
    for key, value in got.items():
        goal = TARGETS[key]
        ok = value is None or value >= goal
        shown = "n/a" if value is None else f"{value:.0%}"
        parts.append(f"{key.replace('_', ' ')} {shown} (>= {goal:.0%}: {'ok' if ok else 'MISSED'})")
    claims = sum(len(s.false_claims) for s in scores)
    parts.append(f"must-not-claim {claims} (0: {'ok' if claims == 0 else 'MISSED'})")
    long = [s for s in scores if s.messages > LONG_THREAD]
    worst = max((_size(s) for s in long), default=0.0)
    fits = "ok" if worst <= TARGETS["size"] else "MISSED"
    parts.append(f"size {worst:.0%} (<= {TARGETS['size']:.0%}: {fits})")
    return "Held-out targets: " + "; ".join(parts)


def report(scores: list[SampleScore], engine: str, *, show_holdout: bool = False) -> str:
    tuning = [s for s in scores if not s.held_out]
    held = [s for s in scores if s.held_out]
    rows = [_row(s) for s in tuning]
    rows.append(_aggregate("tuning, all", tuning))
    rows += [_row(s) for s in held]
    if held:
        rows.append(_aggregate("HELD OUT, all", held))
    lines = [
        f"Summary quality: {engine} (covered at F2 >= {THRESHOLD:.2f}); "
        f"{len(tuning)} tuning threads, {len(held)} held out",
        table(rows, COLUMNS),
        target_check(held),
    ]
    for s in scores:
        if s.held_out and not show_holdout:
            continue
        for category, item in s.missed:
            lines.append(f"  missed [{s.name}] {category}: {item}")
        for claim, text in s.false_claims:
            lines.append(f"  FALSE CLAIM [{s.name}] {claim!r} <- {text!r}")
        for text in s.wrongly_open:
            lines.append(f"  ANSWERED, LISTED OPEN [{s.name}] {text!r}")
        for name in s.wrong_characters:
            lines.append(f"  NOT A CHARACTER [{s.name}] {name!r}")
        for task in s.noisy:
            lines.append(f"  NOISY TASK [{s.name}] {task!r}")
    if held and not show_holdout:
        lines.append("  (held-out details hidden: --show-holdout prints them; never while tuning)")
    return "\n".join(lines)
