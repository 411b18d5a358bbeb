"""Synopses at three lengths, written from a story plan.

- logline: one sentence (hook, hero, goal, opposition or stakes);
- short: one paragraph, setup to ending;
- page: five paragraphs, with the supporting cast's threads, the hero's need and flaw,
  and the theme.

Which beats appear, from the shape or the generic banks, and which optional ones are
dropped, is decided by the plan's random source, so the structure varies with the seed as
much as the wording does.
"""

from __future__ import annotations

from generation.offline.aims import aim
from generation.offline.beats import BEATS
from generation.offline.grammar import Lit
from generation.offline.plan import Plan, flaw_lines, is_untitled, others
from generation.offline.text import upper_first

LENGTHS = ("logline", "short", "page")


def write_synopsis(plan: Plan, length: str) -> str:
    if length == "logline":
        return logline(plan)
    if length == "page":
        return page(plan)
    return short(plan)


def logline(plan: Plan) -> str:
    """One sentence; a take that names the opposition twice is passed over."""
    foe = plan.cast.foe
    line = ""
    for _ in range(6):
        plan.ex.named.clear()
        line = plan.say(BEATS.loglines)
        if (
            line.count(foe.name)
            + line.count(foe.short)
            - (foe.name == foe.short) * line.count(foe.name)
            <= 1
        ):
            break
    return line


def _maybe(plan: Plan, chance: float) -> bool:
    return plan.rng.random() < chance


def _either(plan: Plan, shaped: tuple[str, ...], generic: tuple[str, ...], chance: float) -> str:
    """A shape-specific beat most of the time, a generic one otherwise."""
    return plan.say(shaped if _maybe(plan, chance) or not generic else generic)


def _opener(plan: Plan) -> str:
    return plan.say(BEATS.openers_untitled if is_untitled(plan) else BEATS.openers)


def _want(plan: Plan) -> str:
    return plan.say(BEATS.want)


def _foe(plan: Plan) -> str:
    sheet = plan.cast.foe.sheet
    return plan.say(BEATS.foe_wants if sheet and sheet.want else BEATS.foe)


def _direction(plan: Plan) -> str:
    if not plan.direction.extra:
        return ""
    return plan.say(
        BEATS.direction_clause if plan.direction.extra_is_clause else BEATS.direction_np
    )


def _imagery(plan: Plan) -> str:
    return plan.say(BEATS.imagery) if _maybe(plan, plan.style.imagery) else ""


def short(plan: Plan) -> str:
    """One paragraph: setup, want, inciting incident, turns, dark moment, climax, ending."""
    s = plan.shape
    parts = [
        _opener(plan) if _maybe(plan, 0.35) else "",
        plan.say(BEATS.ordinary),
        _want(plan) if plan.hero_want or _maybe(plan, 0.6) else "",
        plan.say(flaw_lines(plan)) if plan.flaw or _maybe(plan, 0.25) else "",
        plan.say(s.inciting),
        plan.say(s.commit) if _maybe(plan, 0.55) else "",
        _foe(plan) if plan.cast.foe.sheet or _maybe(plan, 0.3) else "",
        _either(plan, s.tests, BEATS.tests, 0.6) if _maybe(plan, 0.45) else "",
        _either(plan, s.midpoint, (), 1.0),
        _direction(plan),
        plan.say(BEATS.closing) if _maybe(plan, 0.3) else "",
        _either(plan, s.dark, BEATS.dark, 0.7),
        _either(plan, s.climax, BEATS.climax, 0.8),
        plan.say(BEATS.resolution[plan.ending]),
        plan.say(plan.tone.asides) if plan.tone.asides and _maybe(plan, 0.25) else "",
    ]
    if plan.style.spare:
        parts = [p for i, p in enumerate(parts) if p and (i not in (3, 7, 10, 14))]
    return " ".join(p for p in parts if p)


def _introductions(plan: Plan) -> list[str]:
    """One sentence for each named character beyond the hero and the opposition."""
    lines = []
    for figure in others(plan)[:6]:
        sheet = figure.sheet
        wanted = aim(sheet.want) if sheet and sheet.want else None
        ex = plan.ex.with_slots(
            who=figure, who_wants=Lit(wanted.predicate("wants") if wanted else "")
        )
        if wanted:
            bank = BEATS.introduce_wanting
        elif figure.desc:
            bank = BEATS.introduce_described
        else:
            bank = BEATS.introduce_plain
        lines.append(ex(plan.rng.choice(bank)))
    return lines


def page(plan: Plan) -> str:
    """Five paragraphs: the world and the hero, act one, the middle, the fall, the end."""
    s = plan.shape
    p1 = [
        _opener(plan) if _maybe(plan, 0.6) else "",
        plan.say(BEATS.ordinary),
        _want(plan),
        plan.say(flaw_lines(plan)) if plan.flaw or _maybe(plan, 0.5) else "",
        plan.say(BEATS.need) if plan.has_need or _maybe(plan, 0.4) else "",
        _imagery(plan),
    ]
    p2 = [
        plan.say(s.inciting),
        plan.say(s.commit),
        _foe(plan),
        *(_introductions(plan)),
        plan.say(BEATS.ally) if _maybe(plan, 0.7) else "",
    ]
    p3 = [
        plan.say(s.tests),
        plan.say(BEATS.tests) if _maybe(plan, 0.5) else "",
        plan.say(BEATS.mentor) if _maybe(plan, 0.6) else "",
        plan.say(BEATS.love) if plan.cast.love.sheet or (s.key == "romance") else "",
        plan.say(s.midpoint),
        _direction(plan),
    ]
    p4 = [
        plan.say(BEATS.closing),
        plan.say(flaw_lines(plan, pressure=True)) if _maybe(plan, 0.6) else "",
        plan.say(BEATS.foe_page) if _maybe(plan, 0.5) else "",
        _either(plan, s.dark, BEATS.dark, 0.7),
        _imagery(plan),
    ]
    p5 = [
        _either(plan, s.climax, BEATS.climax, 0.8),
        plan.say(BEATS.resolution[plan.ending]),
        plan.say(BEATS.theme) if _maybe(plan, 0.7) else "",
        plan.say(plan.tone.asides) if plan.tone.asides and _maybe(plan, 0.4) else "",
    ]
    paragraphs = [" ".join(x for x in p if x) for p in (p1, p2, p3, p4, p5)]
    return "\n\n".join(upper_first(p) for p in paragraphs if p)
