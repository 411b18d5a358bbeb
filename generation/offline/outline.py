"""Outlines: the plan's beats laid out by act (one to five acts).

Beats the bible already holds for an act are kept as they are, in their order; only acts
with no saved beats are written fresh.
"""

from __future__ import annotations

import re
from typing import Any

from generation.offline.beats import BEATS
from generation.offline.plan import Plan, flaw_lines, others
from generation.offline.text import one_line

ACT_NAMES = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")

# Where each act starts, by beat name, for each number of acts.
_BREAKS = {
    1: (),
    2: ("closing",),
    3: ("tests", "mentor"),
    4: ("tests", "closing", "mentor"),
    5: ("commit", "midpoint", "flaw", "climax"),
}


def act_name(n: int) -> str:
    return ACT_NAMES[n - 1] if 1 <= n <= len(ACT_NAMES) else str(n)


def clamp_acts(value: Any) -> int:
    """The number of acts asked for, held to 1..5 (3 when it cannot be read)."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 3
    return max(1, min(5, n))


def _sequence(plan: Plan) -> list[tuple[str, str]]:
    s, rng = plan.shape, plan.rng
    sub = (
        BEATS.love
        if (plan.cast.love.sheet or s.key == "romance") and rng.random() < 0.6
        else BEATS.ally
    )
    seq = [
        ("setup", plan.say(BEATS.ordinary)),
        ("want", plan.say(BEATS.want)),
        ("inciting", plan.say(s.inciting)),
        ("commit", plan.say(s.commit)),
        (
            "foe",
            plan.say(
                BEATS.foe_wants if plan.cast.foe.sheet and plan.cast.foe.sheet.want else BEATS.foe
            ),
        ),
    ]
    for figure in others(plan)[:3]:
        ex = plan.ex.with_slots(who=figure)
        seq.append(("foe", ex(rng.choice(BEATS.outline_others))))
    seq += [
        ("tests", plan.say(s.tests)),
        ("subplot", plan.say(sub)),
        ("tests2", plan.say(BEATS.tests)),
        ("midpoint", plan.say(s.midpoint)),
    ]
    if plan.direction.extra:
        seq.append(
            (
                "direction",
                plan.say(
                    BEATS.direction_clause if plan.direction.extra_is_clause else BEATS.direction_np
                ),
            )
        )
    seq += [
        ("closing", plan.say(BEATS.closing)),
        ("flaw", plan.say(flaw_lines(plan, pressure=True))),
        ("dark", plan.say(s.dark if rng.random() < 0.7 else BEATS.dark)),
        ("mentor", plan.say(BEATS.mentor if rng.random() < 0.5 else BEATS.need)),
        ("climax", plan.say(s.climax if rng.random() < 0.8 else BEATS.climax)),
        ("resolution", plan.say(BEATS.resolution[plan.ending])),
    ]
    # Drop one or two optional beats so outlines differ in rhythm, not only in words.
    optional = [i for i, (k, _) in enumerate(seq) if k in ("tests2", "subplot", "flaw", "want")]
    for i in sorted(rng.sample(optional, k=min(len(optional), rng.randint(0, 2))), reverse=True):
        del seq[i]
    return seq


_ORDER = (
    "setup",
    "want",
    "inciting",
    "commit",
    "foe",
    "tests",
    "subplot",
    "tests2",
    "midpoint",
    "direction",
    "closing",
    "flaw",
    "dark",
    "mentor",
    "climax",
    "resolution",
)


def _split(seq: list[tuple[str, str]], acts: int) -> list[list[str]]:
    starts = [_ORDER.index(k) for k in _BREAKS[acts]]
    out: list[list[str]] = [[] for _ in range(acts)]
    for key, text in seq:
        out[sum(1 for st in starts if _ORDER.index(key) >= st)].append(text)
    # No act may be empty: borrow the last beat of the act before, or the first of the next.
    for i in range(acts):
        if not out[i]:
            if i > 0 and len(out[i - 1]) > 1:
                out[i].append(out[i - 1].pop())
            elif i + 1 < acts and len(out[i + 1]) > 1:
                out[i].append(out[i + 1].pop(0))
    return out


def write_outline(plan: Plan, acts: int) -> tuple[str, dict[str, Any]]:
    """The outline as text and as data: {"acts": [{"act": 1, "beats": [...]}, ...]}."""
    acts = clamp_acts(acts)
    fresh = _split(_sequence(plan), acts)
    saved: dict[int, list[str]] = {}
    for beat in sorted(plan.bible.beats, key=lambda b: (b.act, b.position)):
        text = one_line(beat.text)
        if text:
            saved.setdefault(min(max(beat.act, 1), acts), []).append(text)
    data = {"acts": [{"act": n, "beats": saved.get(n) or fresh[n - 1]} for n in range(1, acts + 1)]}
    return render(data), data


def render(data: dict[str, Any]) -> str:
    blocks = []
    for act in data["acts"]:
        lines = [f"Act {act_name(int(act['act']))}"]
        lines += [f"{i}. {b}" for i, b in enumerate(act["beats"], 1)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


_ACT_LINE = re.compile(r"^\s*act\s+(\w+)\b", re.IGNORECASE)
_BEAT_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+(.*\S)")


def parse(text: str) -> dict[str, Any]:
    """Read an outline back from its text (as ``render`` writes it, or close to it)."""
    acts: list[dict[str, Any]] = []
    for line in text.splitlines():
        m = _ACT_LINE.match(line)
        if m:
            word = m.group(1).capitalize()
            number = (
                ACT_NAMES.index(word) + 1
                if word in ACT_NAMES
                else (int(word) if word.isdigit() else len(acts) + 1)
            )
            acts.append({"act": number, "beats": []})
            continue
        b = _BEAT_LINE.match(line)
        if b:
            if not acts:
                acts.append({"act": 1, "beats": []})
            acts[-1]["beats"].append(b.group(1))
    return {"acts": [a for a in acts if a["beats"]]}
