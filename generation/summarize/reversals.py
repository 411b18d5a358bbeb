"""Reversals: which decisions a later message undid, so only the final state stands.

A later decision reverses an earlier one when
- it rules out what the earlier one asserted ("no flash-forward", "platinum is dead",
  "Thursday is off", "not Kyle": ``decisions.negated_terms``);
- it says it reverses ("scratch that", "I'm reversing myself", "changed my mind",
  cues.REVERSAL) and shares its subject: the earlier decision sharing most words with it;
- the lead moves a settled state ("the read moves to Friday", "it becomes a phone call")
  that an earlier decision of theirs set on the same subject.
A reversing message that is no decision of its own ("scratch that", alone) reverses the
latest decision on its subject by its author or the lead. A reversed decision, and the
pitch it had confirmed, are reported as reversed, each with what reversed it.
"""

from __future__ import annotations

import re

from generation.summarize import cues
from generation.summarize.decisions import Decision, negated_terms
from generation.summarize.thread import Line, Thread

REVERSAL_WINDOW = 40
SAME_SUBJECT = 2
"""Salient words two decisions must share to be about the same thing."""
_MOVES = re.compile(
    r"\b(?:moves? to|moves? from|becomes|is now|are now|changes? to|switch(?:es)? to|instead"
    r"|is off|are off|no longer)\b"
)


def _asserted(d: Decision) -> frozenset[str]:
    proposal = d.proposal.salient if d.proposal is not None else frozenset()
    return (d.tokens | proposal) - negated_terms(d.text)


def _rules_out(kills: frozenset[str], later: Decision, d: Decision) -> bool:
    """``later`` rules out what ``d`` asserted. An outright ruling ("platinum is dead", "no
    flash-forward") undoes a call in whose own words it is; a contrast ("Lorraine tows
    it, not Kyle"), or a term only of the pitch a call confirmed, undoes it only when the
    two also share their subject (so "not Kyle" leaves every other call about Kyle)."""
    own = d.tokens - negated_terms(d.text)
    asserted = _asserted(d)
    if not kills & asserted:
        return False
    if kills & own & negated_terms(later.text, strong=True):
        return True
    return len((later.tokens - kills) & asserted) >= 1


def resolve_reversals(thread: Thread, decisions: list[Decision]) -> None:
    """Mark each decision a later message reversed (``Decision.reversed_by``)."""
    ordered = sorted(decisions, key=lambda d: d.line.index)
    for k, later in enumerate(ordered):
        earlier = [
            d
            for d in ordered[:k]
            if d.reversed_by is None and later.line.index - d.line.index <= REVERSAL_WINDOW
        ]
        kills = negated_terms(later.text)
        killed = False
        for d in earlier:
            if _rules_out(kills, later, d):
                d.reversed_by = later.line
                killed = True
        if killed:
            continue
        says_so = bool(cues.REVERSAL.search(later.line.folded))
        moves = later.line.author == thread.lead and bool(_MOVES.search(later.line.folded))
        if says_so or moves:
            same = [d for d in earlier if not moves or d.line.author == later.line.author]
            _reverse_nearest(later.line, later.tokens | later.line.salient, same)
    standing = [d for d in ordered]
    for line in thread.lines:
        if not cues.REVERSAL.search(line.folded) or any(d.line is line for d in ordered):
            continue
        if line.author != thread.lead and not any(d.line.author == line.author for d in ordered):
            continue
        mine = [
            d
            for d in standing
            if d.line.index < line.index
            and line.index - d.line.index <= REVERSAL_WINDOW
            and d.reversed_by is None
            and d.line.author in (line.author, thread.lead)
        ]
        _reverse_nearest(line, line.salient, mine)


def _reverse_nearest(line: Line, tokens: frozenset[str], candidates: list[Decision]) -> None:
    """Reverse the candidate sharing most of ``tokens`` (at least SAME_SUBJECT), the latest
    on a tie."""
    best: Decision | None = None
    best_shared = 0
    for d in candidates:
        shared = len(tokens & (d.tokens | (d.proposal.salient if d.proposal else frozenset())))
        if shared >= SAME_SUBJECT and shared >= best_shared:
            best, best_shared = d, shared
    if best is not None:
        best.reversed_by = line
