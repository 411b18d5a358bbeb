"""Catch-up: what changed in a thread since its last digest.

A command keeps what a digest said as ``DigestState.of(digest).to_json()`` (plain JSON, in
the conversation's params); the next time the thread is summarized it reads it back with
``DigestState.from_json`` (None when it is missing or unreadable, never an exception),
summarizes the whole thread again (a reversal or an answer can concern anything said
before) and asks ``catch_up(previous, digest)`` what is new:

- decisions made since (not in the previous digest);
- decisions of the previous digest that are now reversed, each with what reversed it;
- questions the previous digest had open that are now answered, with the answer;
- questions newly open, and action items newly given or taken.

``render_catch_up`` turns that into a reply body. Points are matched by the message they
come from (its ``ts``), so rewording a quote does not make it new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generation.summarize.model import ActionItem, Answer, Digest, Point, Reversal
from generation.summarize.render import attribution
from generation.summarize.text import trim_words

STATE_VERSION = 1
STATE_WORDS = 40
"""Words kept of each point in a stored state: enough to show it again, small to store."""
SHOWN = 8
"""Points a catch-up section lists before it says how many more there are."""


def _point_json(p: Point) -> dict[str, Any]:
    return {
        "text": trim_words(p.text, STATE_WORDS),
        "author": p.author,
        "ts": p.ts,
        "link": p.link,
        "weight": p.weight,
    }


def _point(data: Any) -> Point | None:
    if not isinstance(data, Mapping):
        return None
    text, author, ts = data.get("text"), data.get("author"), data.get("ts")
    if not (isinstance(text, str) and isinstance(author, str) and isinstance(ts, str)):
        return None
    link, weight = data.get("link"), data.get("weight")
    sure = float(weight) if isinstance(weight, int | float) else 1.0
    return Point(text, author, ts, link if isinstance(link, str) else None, sure)


def _item(data: Any) -> ActionItem | None:
    if not isinstance(data, Mapping):
        return None
    source = _point(data.get("source"))
    owner, task, due = data.get("owner"), data.get("task"), data.get("due")
    if source is None or not isinstance(owner, str) or not isinstance(task, str):
        return None
    return ActionItem(owner, task, due if isinstance(due, str) else None, source)


def _points(raw: Any) -> tuple[Point, ...]:
    found = (_point(x) for x in raw) if isinstance(raw, list) else ()
    return tuple(p for p in found if p is not None)


@dataclass(frozen=True)
class DigestState:
    """What a digest said, as plain data a command can store and read back."""

    last_ts: str
    message_count: int
    decisions: tuple[Point, ...] = ()
    reversed: tuple[Point, ...] = ()
    open_questions: tuple[Point, ...] = ()
    action_items: tuple[ActionItem, ...] = ()

    @classmethod
    def of(cls, d: Digest) -> DigestState:
        """The state of a full digest (not the one cut to size for reading)."""
        return cls(
            d.last_ts,
            d.message_count,
            tuple(d.decisions),
            tuple(d.reversed),
            tuple(d.open_questions),
            tuple(d.action_items),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "last_ts": self.last_ts,
            "message_count": self.message_count,
            "decisions": [_point_json(p) for p in self.decisions],
            "reversed": [_point_json(p) for p in self.reversed],
            "open_questions": [_point_json(p) for p in self.open_questions],
            "action_items": [
                {
                    "owner": a.owner,
                    "task": trim_words(a.task, STATE_WORDS),
                    "due": a.due,
                    "source": _point_json(a.source),
                }
                for a in self.action_items
            ],
        }

    @classmethod
    def from_json(cls, data: object) -> DigestState | None:
        """The state stored by ``to_json``; None when there is none or it cannot be read
        (another version, a damaged value): the caller then gives a full digest."""
        if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
            return None
        last_ts, count = data.get("last_ts"), data.get("message_count")
        if not isinstance(last_ts, str) or not isinstance(count, int):
            return None
        raw_items = data.get("action_items")
        items = (_item(x) for x in raw_items) if isinstance(raw_items, list) else ()
        return cls(
            last_ts,
            count,
            _points(data.get("decisions")),
            _points(data.get("reversed")),
            _points(data.get("open_questions")),
            tuple(i for i in items if i is not None),
        )


@dataclass
class CatchUp:
    """What changed between a stored digest and the thread now."""

    previous: DigestState
    digest: Digest
    new_messages: int
    new_decisions: list[Point] = field(default_factory=list)
    reversed: list[Reversal] = field(default_factory=list)
    answered: list[Answer] = field(default_factory=list)
    new_questions: list[Point] = field(default_factory=list)
    new_action_items: list[ActionItem] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return not (
            self.new_decisions
            or self.reversed
            or self.answered
            or self.new_questions
            or self.new_action_items
        )


def _ts(points: Iterable[Point]) -> set[str]:
    return {p.ts for p in points}


def catch_up(previous: DigestState, current: Digest) -> CatchUp:
    """What ``current`` (a full digest of the whole thread) says that ``previous`` did not."""
    out = CatchUp(previous, current, max(0, current.message_count - previous.message_count))
    before = _ts(previous.decisions)
    out.new_decisions = [p for p in current.decisions if p.ts not in before]
    standing = _ts(current.decisions)
    by_earlier = {r.earlier.ts: r for r in current.reversals}
    dropped = {p.ts: p for p in current.reversed}
    for p in previous.decisions:
        if p.ts in standing:
            continue
        if p.ts in by_earlier:
            out.reversed.append(Reversal(p, by_earlier[p.ts].by))
        elif p.ts in dropped:
            out.reversed.append(Reversal(p, dropped[p.ts]))
    still_open = _ts(current.open_questions)
    answers = {a.question.ts: a for a in current.answered}
    for q in previous.open_questions:
        if q.ts not in still_open and q.ts in answers:
            out.answered.append(Answer(q, answers[q.ts].answer))
    was_open = _ts(previous.open_questions)
    out.new_questions = [q for q in current.open_questions if q.ts not in was_open]
    had = {(a.source.ts, a.owner) for a in previous.action_items}
    out.new_action_items = [a for a in current.action_items if (a.source.ts, a.owner) not in had]
    return out


def _quote(p: Point, extractive: bool) -> str:
    text = trim_words(p.text, 30)
    return f"“{text.strip('“”')}”" if extractive else text


def render_catch_up(c: CatchUp) -> str:
    """The changes as a reply body; says so plainly when nothing changed."""
    d = c.digest
    s = "s" if c.new_messages != 1 else ""
    lines = [f"**Since the last summary** · {c.new_messages:,} new message{s} · {d.engine}"]
    lines += [f"_{n}_" for n in d.notes]
    if c.nothing_new:
        lines += ["", "_No new decisions, answers or action items since the last summary._"]
        return "\n".join(lines)
    x = d.extractive

    def section(title: str, body: list[str]) -> None:
        if not body:
            return
        more = len(body) - SHOWN
        lines.extend(["", f"**{title}**", *body[:SHOWN]])
        if more > 0:
            lines.append(f"- _…and {more} more_")

    section("New decisions", [f"- {_quote(p, x)} {attribution(p)}" for p in c.new_decisions])
    section(
        "Reversed since",
        [f"- _{_quote(r.earlier, x)}_ → {_quote(r.by, x)} {attribution(r.by)}" for r in c.reversed],
    )
    section(
        "Answered since",
        [
            f"- {_quote(a.question, x)} → {_quote(a.answer, x)} {attribution(a.answer)}"
            for a in c.answered
        ],
    )
    section("Newly open", [f"- {_quote(p, x)} {attribution(p)}" for p in c.new_questions])
    items = []
    for a in c.new_action_items:
        due = f" ({a.due})" if a.due else ""
        credit = attribution(a.source, author=a.source.author != a.owner)
        items.append(f"- **{a.owner}**: {trim_words(a.task, 20)}{due} {credit}")
    section("New action items", items)
    return "\n".join(lines)
