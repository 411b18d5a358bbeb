"""Decisions, and what later reversed them.

A message is a decision when
- it says so: "decided", "we're going with", "locked", "final:", "landing on", "calling
  it", "overriding…", "X it is", "ok:" (cues.DECISION);
- the lead (see people.lead_of) says yes to what was just proposed ("love it. Ruth lives"),
  bolds a statement, or states something the room then accepts ("works for me");
- the lead answers an open question (added by ``add_lead_answers``).

Reversal: a later decision that rules something out ("no flash-forward", "platinum is
dead", "X goes in the someday pile") reverses every earlier decision that asserted it, and
one that says it reverses ("scratch that", "I'm reversing myself", "overruled") reverses
the latest earlier decision it shares a subject with. A reversed decision, and the proposal
it had confirmed, are reported as reversed; only the final state stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generation.summarize import cues
from generation.summarize.text import content_set
from generation.summarize.thread import FRAME_WORDS, Line, Sentence, Thread, strip_fillers
from generation.textkit import fold, stem

PROPOSAL_WINDOW = 5
ACCEPT_WINDOW = 3
REVERSAL_WINDOW = 40
_OPTIONS = re.compile(r"\(\s*[a-d1-9]\s*\)|\boptions?\b")
_PREPOSITION = re.compile(
    r"\s(?:in|at|on|for|to|with|of|from|by|as|into|until|because|but|and|so|then)\b.*$"
)
_ANAPHOR = re.compile(
    r"\b(?:with (?:it|that|this)|that one|this one|it is|that idea|this idea|the pitch|that pitch"
    r"|as pitched|as proposed|what \w+ said)\b"
)
# Stems of the words a reply says yes with: "agreed", "love it", "works for me".
_AFFIRM_STEMS = frozenset(
    stem(w)
    for w in [
        "agree",
        "love",
        "great",
        "perfect",
        "sold",
        "deal",
        "call",
        "work",
        "fine",
        "sorry",
        "cool",
        "nice",
        "yes",
        "approve",
        "done",
        "mean",
    ]
)


@dataclass
class Decision:
    line: Line
    text: str
    how: str
    proposal: Line | None = None
    reversed_by: Line | None = None

    @property
    def tokens(self) -> frozenset[str]:
        return content_set(self.text) - FRAME_WORDS


@lru_cache(maxsize=1 << 14)
def negated_terms(text: str) -> frozenset[str]:
    """Stems of what ``text`` rules out: "no flash-forward" -> {flash, forward}."""
    found: set[str] = set()
    folded = fold(text)
    for pattern in cues.NEGATED:
        for match in pattern.finditer(folded):
            phrase = _PREPOSITION.sub("", " " + match.group(1)).strip()
            found |= content_set(phrase)
    return frozenset(found - FRAME_WORDS)


def is_filler(sent: Sentence, thread: Thread) -> bool:
    """ "love it.", "your call.", "nyx that means you": no content of its own."""
    names = {stem(fold(w)) for n in thread.people.names_in(sent.text) for w in n.split()}
    rest = {t for t in sent.tokens if t not in _AFFIRM_STEMS and t not in names}
    return len(rest) < 2


def decision_text(line: Line, thread: Thread, *, skip: set[str] | None = None) -> str:
    """The message without its questions, requests, offers and filler."""
    keep: list[str] = []
    for sent in line.sentences:
        if sent.is_question or (is_filler(sent, thread) and not negated_terms(sent.text)):
            continue
        if skip and sent.text in skip:
            continue
        if cues.SELF.search(sent.folded) and not _decisive(sent):
            continue
        if cues.DEFER.search(sent.folded) and not _decisive(sent) and not negated_terms(sent.text):
            continue
        keep.append(sent.text)
    return " ".join(keep)


def _decisive(sent: Sentence) -> bool:
    return bool(
        cues.DECISION.search(sent.folded)
        or cues.IT_IS.search(sent.folded)
        or cues.OK_COLON.match(sent.folded)
    )


def _affirms(line: Line, thread: Thread) -> bool:
    if not line.sentences:
        return False
    first = strip_fillers(line.sentences[0].text)
    named = thread.people.resolve_prefix(first)
    if named is not None:
        first = named[1]
    return bool(cues.AFFIRM.match(fold(first.lstrip(" ,.:;"))))


class DecisionFinder:
    def __init__(self, thread: Thread, request_sentences: set[str]) -> None:
        self.thread = thread
        self.requests = request_sentences
        self.found: list[Decision] = []

    def run(self) -> list[Decision]:
        lead = self.thread.lead
        for line in self.thread.lines:
            text = decision_text(line, self.thread, skip=self.requests)
            if len(content_set(text)) < 3:
                text = ""
            if text and any(_decisive(s) for s in line.sentences if not s.is_question):
                self._add(line, text, "marker")
            elif line.author == lead and self._bold(line):
                self._add(line, text or " ".join(line.emphasis), "bold")
            elif line.author == lead and _affirms(line, self.thread):
                proposal = self._proposal(line, text)
                if text:
                    self._add(line, text, "confirmed", proposal)
                elif proposal is not None and not cues.SELF.search(proposal.folded):
                    self._add(proposal, proposal.text, "confirmed", proposal)
            elif line.author == lead and len(content_set(text)) >= 5 and self._accepted(line):
                self._add(line, text, "accepted")
            elif text and cues.REVERSAL.search(line.folded) and self._may_reverse(line):
                # "scratch that — the finale moves to the subway": the new final state.
                self._add(line, text, "reversal")
        return self.found

    def _add(self, line: Line, text: str, how: str, proposal: Line | None = None) -> None:
        if any(d.line is line for d in self.found):
            return
        if proposal is None and (how != "marker" or _ANAPHOR.search(line.folded)):
            proposal = self._proposal(line, text)
        if how == "accepted":
            proposal = None
        self.found.append(Decision(line, text, how, proposal))

    def _may_reverse(self, line: Line) -> bool:
        """The lead, or whoever made a recent decision, may reverse it."""
        if line.author == self.thread.lead:
            return True
        return any(
            d.line.author == line.author and line.index - d.line.index <= REVERSAL_WINDOW
            for d in self.found
        )

    def _bold(self, line: Line) -> bool:
        if _OPTIONS.search(line.folded):
            return False
        return any(len(content_set(e)) >= 3 and "?" not in e for e in line.emphasis)

    def _proposal(self, line: Line, text: str) -> Line | None:
        """The message this decision confirms: the nearest substantive one before it from
        someone else, sharing the most words with it."""
        tokens = content_set(text) - FRAME_WORDS
        best: Line | None = None
        best_score = 0
        lines = self.thread.lines
        for prev in reversed(lines[max(0, line.index - PROPOSAL_WINDOW) : line.index]):
            if prev.author == line.author or len(prev.tokens) < 4:
                continue
            if all(s.is_question for s in prev.sentences):
                continue
            score = len(prev.salient & tokens)
            if score > best_score:
                best, best_score = prev, score
        if best is None and not tokens:
            prev_line = lines[line.index - 1] if line.index else None
            if prev_line is not None and prev_line.author != line.author:
                return prev_line if len(prev_line.tokens) >= 4 else None
        return best

    def _accepted(self, line: Line) -> bool:
        """Someone else says "works for me" right after, and nobody objects first."""
        for nxt in self.thread.lines[line.index + 1 : line.index + 1 + ACCEPT_WINDOW]:
            if nxt.author == line.author:
                return False
            first = nxt.sentences[0].folded if nxt.sentences else ""
            if cues.ACCEPT.match(first) and len(nxt.text.split()) <= 12:
                return True
            if cues.OBJECT.search(nxt.folded) or any(s.is_question for s in nxt.sentences):
                return False
        return False


def add_lead_answers(
    thread: Thread,
    decisions: list[Decision],
    answers: list[tuple[Line, Line]],
    request_sentences: set[str],
) -> None:
    """The lead's direct answer to a question decides it: "soft cap of 2-4k words"."""
    taken = {d.line.index for d in decisions}
    for question, answer in answers:
        if answer.author != thread.lead or answer.index in taken:
            continue
        if answer.index - question.index > 2 or answer.defers:
            continue
        if cues.SELF.search(answer.folded):
            continue
        text = decision_text(answer, thread, skip=request_sentences)
        if len(content_set(text)) >= 3:
            decisions.append(Decision(answer, text, "answer"))
            taken.add(answer.index)
    decisions.sort(key=lambda d: d.line.index)


def resolve_reversals(thread: Thread, decisions: list[Decision]) -> None:
    """Mark each decision a later message reversed, keeping only the final state."""
    ordered = sorted(decisions, key=lambda d: d.line.index)
    for later in ordered:
        kills = negated_terms(later.text)
        killed = False
        for earlier in ordered:
            if earlier.line.index >= later.line.index or earlier.reversed_by is not None:
                continue
            asserted = (earlier.tokens | _proposal_tokens(earlier)) - negated_terms(earlier.text)
            if kills & asserted:
                earlier.reversed_by = later.line
                killed = True
        if not killed and cues.REVERSAL.search(later.line.folded):
            _reverse_latest(later, ordered)
    for line in thread.lines:
        if (
            cues.REVERSAL.search(line.folded)
            and not any(d.line is line for d in ordered)
            and (line.author == thread.lead or any(d.line.author == line.author for d in ordered))
        ):
            probe = Decision(line, line.text, "reversal")
            _reverse_latest(probe, ordered, same_author_or_lead=thread.lead)


def _proposal_tokens(d: Decision) -> frozenset[str]:
    return d.proposal.salient if d.proposal is not None else frozenset()


def _reverse_latest(
    later: Decision, ordered: list[Decision], same_author_or_lead: str | None = "*"
) -> None:
    tokens = later.line.salient
    candidates = [
        d
        for d in ordered
        if d.line.index < later.line.index
        and later.line.index - d.line.index <= REVERSAL_WINDOW
        and d.reversed_by is None
        and (
            same_author_or_lead == "*" or d.line.author in (later.line.author, same_author_or_lead)
        )
    ]
    for d in reversed(candidates):
        if tokens & (d.tokens | _proposal_tokens(d)):
            d.reversed_by = later.line
            return
