"""A digest as the reply body a producer forwards: sections, each point attributed, within
a size budget.

Size: a digest of a thread over ``LONG_THREAD`` messages is at most ``SHARE`` (a quarter)
of the thread's characters, less for longer threads (the share falls with the square root
of the length past ``FULL_SHARE_UP_TO`` messages), never over ``CEILING`` characters nor
under ``FLOOR`` (unless that is more than a quarter); a shorter thread's digest is no
longer than the thread (or ``SHORT_FLOOR``). Size is counted as a reader reads it: markup
and link addresses left out.

When the full digest is longer, it is tightened one step at a time, cheapest loss first
(``LAYOUTS``): attributions said once per section when one person made most of its
points, then no TL;DR, no story details, no dropped pitches, first names for people the
room has only one of, shorter quotes, fewer character names; if it is still too long, the
least sure points of the longest sections go, and each section says how many it left
out. ``fit`` returns the digest as shown, which is what the quality bench scores.

Attribution: every point names who said it and, where the platform gives one, the link to
the message; without a link, the time (UTC) or the pasted line's number.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from generation.summarize.model import ActionItem, Digest, Point
from generation.summarize.text import fold, trim_middle, trim_words

LONG_THREAD = 40
SHARE = 0.25
FULL_SHARE_UP_TO = 100
FLOOR = 700
CEILING = 6000
SHORT_FLOOR = 1200
"""A thread of up to ``LONG_THREAD`` messages gets a digest no longer than itself, or
this long when the thread is shorter (a digest's headings alone take a few lines)."""
EXTRACTIVE_NOTE = "Extractive summary: quoted from the thread, no model."
STORY_DETAILS = 3
GROUP_SHARE = 0.6
"""A section names once the person behind at least this share of its points."""
TASK_WORDS = 16
"""An action item says what the work is in this many words at most."""


@dataclass(frozen=True)
class Layout:
    grouped: bool = False
    tldr: int = 3
    story: bool = True
    pitches: bool = True
    words: int = 30
    characters: int = 12
    note: bool = True
    short_names: bool = False


_TIGHT = Layout(grouped=True, tldr=0, story=False, pitches=False, note=False, short_names=True)
LAYOUTS = [
    Layout(),
    Layout(grouped=True),
    Layout(grouped=True, tldr=1),
    Layout(grouped=True, tldr=0, story=False),
    Layout(grouped=True, tldr=0, story=False, pitches=False),
    replace(_TIGHT, words=20, characters=8),
    replace(_TIGHT, words=14, characters=6),
]


def budget(d: Digest) -> int:
    """The most characters (as read) the digest of ``d``'s thread may take."""
    chars, n = d.thread_chars, d.message_count
    if n <= LONG_THREAD:
        return max(SHORT_FLOOR, chars)
    share = SHARE * min(1.0, math.sqrt(FULL_SHARE_UP_TO / n))
    floor = min(FLOOR, int(chars * SHARE))  # never past a quarter, however small the thread
    return max(floor, min(CEILING, int(chars * share)))


_ROLE_TAG = re.compile(r"\s*[\(\[][^)\]]*[\)\]]")
_URL_IN_PARENS = re.compile(r"\s?\((?:https?|mailto):[^)\s]+\)")
_MARKERS = re.compile(r"\*\*|(?<!\w)_|_(?!\w)")


def read_length(text: str) -> int:
    """Characters as a reader reads them: no markup, no link addresses."""
    return len(_MARKERS.sub("", _URL_IN_PARENS.sub("", text)))


# --- attribution ---------------------------------------------------------------------


def _moment(ts: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def when(ts: str, *, dated: bool = False) -> str | None:
    """ "14:05" (UTC; "Nov 30 14:05" when ``dated``), "#12" for a pasted line, or None."""
    if ts.startswith("p") and ts[1:].isdigit():
        return f"#{ts[1:]}"
    moment = _moment(ts)
    if moment is None:
        return None
    return moment.strftime("%b %d %H:%M" if dated else "%H:%M")


def attribution(
    point: Point, *, author: bool = True, dated: bool = False, name: str | None = None
) -> str:
    """ "— Dana Okafor (link)", "— Dana Okafor, 14:05"; without the author: "(link)".
    ``name``: how to call the author (a first name the room shares with nobody)."""
    who = name or point.author
    if point.link:
        return f"— {who} ({point.link})" if author else f"({point.link})"
    moment = when(point.ts, dated=dated)
    if author:
        return f"— {who}" + (f", {moment}" if moment else "")
    return f"· {moment}" if moment else ""


def short_names(room: list[str]) -> dict[str, str]:
    """Each person of the room -> their first name (role tags left out) when nobody else
    in the room has it: "Pete Okonkwo" -> "Pete", "ghostpepper (DM)" -> "ghostpepper"."""
    first = {name: _ROLE_TAG.sub("", name).split()[0] for name in room if name.split()}
    counts = Counter(fold(f) for f in first.values())
    return {name: f for name, f in first.items() if counts[fold(f)] == 1}


def _spans_days(d: Digest) -> bool:
    points = [*d.decisions, *d.open_questions, *(a.source for a in d.action_items)]
    days = {m.date() for m in (_moment(p.ts) for p in points) if m is not None}
    return len(days) > 1


# --- sections ------------------------------------------------------------------------


@dataclass
class _Section:
    title: str
    kind: str
    said_by: str | None = None
    """The one person behind every point, named once in the heading."""
    lines: list[str] = field(default_factory=list)
    items: list[Point | ActionItem] = field(default_factory=list)
    empty: str | None = None
    left_out: int = 0

    def add(self, line: str, item: Point | ActionItem) -> None:
        self.lines.append(line)
        self.items.append(item)

    def pop(self, k: int = -1) -> str:
        self.items.pop(k)
        return self.lines.pop(k)

    def render(self) -> list[str]:
        if not self.lines and self.empty is None and not self.left_out:
            return []
        body = list(self.lines) or ([f"_{self.empty}_"] if self.empty else [])
        if self.left_out:
            body.append(f"- _…and {self.left_out} more_")
        head = f"**{self.title}**" + (f" ({self.said_by})" if self.said_by else "")
        return ["", head, *body]


class _Writer:
    def __init__(self, d: Digest, layout: Layout) -> None:
        self.d = d
        self.layout = layout
        self.dated = _spans_days(d)
        self.reversing = {r.by.ts for r in d.reversals}
        self.names = short_names(d.room) if layout.short_names else {}

    def name(self, person: str) -> str:
        return self.names.get(person, person)

    def grouped(self, authors: list[str], verb: str = "") -> tuple[str | None, str | None]:
        """(who, heading note) when one person is behind most points of a section (in a
        grouped layout): the heading names them once, their points then only link."""
        if not self.layout.grouped or len(authors) < 2:
            return None, None
        top, n = Counter(authors).most_common(1)[0]
        if n < 2 or n < GROUP_SHARE * len(authors):
            return None, None
        said = f"{verb}{self.name(top)}"
        said += "" if n == len(authors) else " unless named"
        return top, ("all " + said if n == len(authors) and not verb else said)

    def section(self, title: str, kind: str, points: list[Point], empty: str | None) -> _Section:
        """Points as "- “quote” — who (link)"; the heading names the person behind most of
        them instead, in a grouped layout."""
        said_by, note = self.grouped([p.author for p in points])
        out = _Section(title, kind, note, empty=empty)
        cut = trim_middle if kind == "open_questions" else trim_words
        for p in points:
            text = cut(p.text, self.layout.words)
            body = "“" + text.strip().strip('“”"') + "”" if self.d.extractive else text.strip()
            if kind == "reversed":
                body = f"_{body}_"
            if kind == "decisions" and p.ts in self.reversing:
                body += " (a reversal)"
            credit = attribution(
                p, author=p.author != said_by, dated=self.dated, name=self.name(p.author)
            )
            out.add(" ".join(x for x in (f"- {body}", credit) if x), p)
        return out

    def actions(self, items: list[ActionItem]) -> _Section:
        asked = [i.source.author for i in items if i.source.author != i.owner]
        asker, note = self.grouped(asked, "asked by ")
        if asker is not None and len(asked) < len(items):
            note = f"asked by {asker} unless named"
        out = _Section("Action items", "action_items", note, empty="None.")
        for item in items:
            task = trim_words(item.task, min(self.layout.words, TASK_WORDS))
            said = item.due is None or fold(item.due).removeprefix("by ") in fold(task)
            due = "" if said else f" ({_due(item.due or '')})"
            by_other = item.source.author not in (item.owner, asker)
            credit = attribution(
                item.source, author=by_other, dated=self.dated, name=self.name(item.source.author)
            )
            owner = self.name(item.owner)
            out.add(" ".join(x for x in (f"- **{owner}**: {task}{due}", credit) if x), item)
        return out


def _due(due: str) -> str:
    low = due.lower()
    if low.startswith(("by ", "before ", "until ", "till ", "on ", "this ", "next ")):
        return due
    return f"by {due}"


def _tldr(d: Digest, w: _Writer, quoted: set[str]) -> _Section | None:
    """TL;DR sentences that no other section quotes already (none in a tight layout)."""
    empty = not (d.decisions or d.open_questions or d.action_items)
    if len(d.tldr_sources) == len(d.tldr) and d.tldr_sources:
        fresh = [p for p in d.tldr_sources if p.ts not in quoted][: w.layout.tldr]
        if not fresh and not empty:
            return None
        section = w.section("TL;DR", "tldr", fresh, "Nothing to summarize.")
        return section
    section = _Section("TL;DR", "tldr", empty="Nothing to summarize.")
    for sentence in d.tldr[: w.layout.tldr]:
        section.add(f"- {sentence}", Point(sentence, "", ""))
    return section if section.lines or empty else None


def _sections(d: Digest, layout: Layout) -> list[_Section]:
    w = _Writer(d, layout)
    out: list[_Section] = []
    tldr = _tldr(d, w, {p.ts for p in [*d.decisions, *d.open_questions]})
    if tldr is not None:
        out.append(tldr)
    out.append(w.section("Decisions", "decisions", d.decisions, "None."))
    shown = _shown_reversed(d, layout)
    if shown:
        out.append(w.section("Reversed or dropped", "reversed", shown, None))
    out.append(w.section("Open questions", "open_questions", d.open_questions, "None left open."))
    out.append(w.actions(d.action_items))
    if layout.story:
        decided = {p.ts for p in d.decisions} | {p.text for p in d.decisions}
        details = [p for p in d.story_changes if p.ts not in decided and p.text not in decided]
        if details:
            out.append(w.section("Story details", "story", details[:STORY_DETAILS], None))
    if d.gaps:
        gaps = _Section("Not covered", "gaps")
        for g in d.gaps:
            gaps.add(f"- {g}", Point(g, "", ""))
        out.append(gaps)
    return out


def _shown_reversed(d: Digest, layout: Layout) -> list[Point]:
    """Reversed calls, and (unless the layout is tight) the pitches dropped with them."""
    if layout.pitches:
        return d.reversed
    earlier = {(r.earlier.ts, r.earlier.text) for r in d.reversals}
    return [p for p in d.reversed if (p.ts, p.text) in earlier]


def _head(d: Digest, layout: Layout) -> list[str]:
    # A tight layout leaves the engine to the reply's footer, which names it too.
    engine = f" · {d.engine}" if layout.note else ""
    lines = [f"**Thread summary** · {d.message_count:,} messages{engine}"]
    notes = list(d.notes)
    if d.extractive and layout.note:
        notes.insert(0, EXTRACTIVE_NOTE + (" Times UTC." if _has_times(d) else ""))
    if d.untraced:
        s = "s" if d.untraced != 1 else ""
        notes.append(
            f"{d.untraced} point{s} the model made could not be traced to a message and "
            f"{'were' if s else 'was'} dropped."
        )
    lines += [f"_{n}_" for n in notes]
    return lines


def _has_times(d: Digest) -> bool:
    points = [*d.decisions, *d.open_questions, *(a.source for a in d.action_items)]
    return any(not p.link and _moment(p.ts) is not None for p in points)


def _tail(d: Digest, layout: Layout) -> list[str]:
    names = d.characters[: layout.characters]
    if not names:
        return []
    more = len(d.characters) - len(names)
    return ["", f"**Characters:** {', '.join(names)}" + (f" (+{more})" if more else "")]


def _join(d: Digest, layout: Layout, sections: list[_Section]) -> str:
    lines = _head(d, layout)
    for section in sections:
        lines += section.render()
    lines += _tail(d, layout)
    return "\n".join(lines)


# --- fitting -------------------------------------------------------------------------

_DROP_ORDER = ("reversed", "story", "open_questions", "action_items", "decisions")
"""Which sections give up points when even the tightest layout is long: the longest of
them each time, decisions and action items counting half (open questions two thirds), so
they go last; on a tie, the first in this order."""


def _layout_for(d: Digest, limit: int) -> tuple[Layout, list[_Section]]:
    for layout in LAYOUTS:
        sections = _sections(d, layout)
        if read_length(_join(d, layout, sections)) <= limit:
            return layout, sections
    return LAYOUTS[-1], sections


def _weight(d: Digest, item: Point | ActionItem) -> float:
    """How much a point is worth keeping: the finder's confidence; for an action item,
    whether it has a deadline and whether someone asked for it; for a reversed point,
    whether it is a call (rather than a pitch dropped with it)."""
    if isinstance(item, ActionItem):
        return 1.0 + (item.due is not None) + 0.5 * (item.source.author != item.owner)
    if any(r.earlier.ts == item.ts and r.earlier.text == item.text for r in d.reversals):
        return item.weight + 1.0
    return item.weight


def _shrink(d: Digest, layout: Layout, sections: list[_Section], limit: int) -> None:
    """Drop points until the digest fits: each time from the longest section (decisions
    count half, so they go last), its least sure point, the latest of equals."""
    over = read_length(_join(d, layout, sections)) - limit
    droppable = [s for s in sections if s.kind in _DROP_ORDER]
    share = {"decisions": 2.0, "action_items": 2.0, "open_questions": 1.5}
    while over > 0:
        candidates = [s for s in droppable if s.lines]
        if not candidates:
            return
        section = max(
            candidates,
            key=lambda s: (len(s.lines) / share.get(s.kind, 1.0), -_DROP_ORDER.index(s.kind)),
        )
        weights = [_weight(d, item) for item in section.items]
        k = min(range(len(weights)), key=lambda i: (weights[i], -i))
        over -= read_length(section.pop(k)) + 1
        if section.left_out == 0:
            over += len("- …and 00 more") + 1
        section.left_out += 1


def _fitted(d: Digest, limit: int | None = None) -> tuple[Layout, list[_Section]]:
    limit = budget(d) if limit is None else limit
    layout, sections = _layout_for(d, limit)
    _shrink(d, layout, sections, limit)
    return layout, sections


def render_digest(d: Digest, limit: int | None = None) -> str:
    """The digest as a Reply body, at most ``limit`` characters as read (default
    ``budget(d)``) unless its headings alone are longer."""
    layout, sections = _fitted(d, limit)
    return _join(d, layout, sections)


def render_body(d: Digest, limit: int) -> list[str]:
    """The digest's sections only (no heading, no TL;DR, no characters, no empty
    sections), within ``limit`` characters: one thread's part of a longer reply."""
    bare = replace(d, tldr=[], tldr_sources=[], characters=[], story_changes=[], notes=[])
    head = read_length("\n".join(_head(bare, LAYOUTS[-1])))
    _, sections = _fitted(bare, limit + head)
    lines: list[str] = [f"_{n}_" for n in d.notes]
    for section in sections:
        if section.lines or section.left_out:
            lines += section.render()[1:]
    return lines


def fit(d: Digest, limit: int | None = None) -> Digest:
    """The digest as ``render_digest`` shows it: the points it keeps, cut as it cuts them,
    and ``omitted`` counting what it left out, by section."""
    layout, sections = _fitted(d, limit)
    by_kind = {s.kind: s for s in sections}

    def shown(kind: str) -> list[Point]:
        section = by_kind.get(kind)
        items = section.items if section is not None else []
        cut = trim_middle if kind == "open_questions" else trim_words
        return [replace(p, text=cut(p.text, layout.words)) for p in items if isinstance(p, Point)]

    section = by_kind.get("action_items")
    actions = [
        replace(a, task=trim_words(a.task, min(layout.words, TASK_WORDS)))
        for a in (section.items if section is not None else [])
        if isinstance(a, ActionItem)
    ]
    tldr = shown("tldr")
    return replace(
        d,
        tldr=[p.text for p in tldr],
        tldr_sources=[p for p in tldr if p.author],
        decisions=shown("decisions"),
        reversed=shown("reversed"),
        open_questions=shown("open_questions"),
        action_items=actions,
        story_changes=shown("story"),
        characters=d.characters[: layout.characters],
        omitted={s.kind: s.left_out for s in sections if s.left_out},
    )
