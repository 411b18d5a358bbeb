"""Decisions: the sentences that settled something, each with the message it comes from.

A message decides when
- anyone says so outright: "decided", "we're going with", "locked", "final:", "X it is",
  "calling it" (cues.DECISION, cues.IT_IS), or states a ruling: "house rule from now on",
  "retcon accepted" (cues.RULING);
- the lead (see people.lead_of) settles a state ("Low Tide stays", "the read moves to
  Friday", "the motel scene is cut": cues.SETTLE), says yes and then states the call
  ("yes. the cold open is…", "that's the version. Dez doesn't boot…"), bolds a statement,
  restates the pitch just made by someone else as a plain statement, or states something
  the room then accepts ("works for me");
- the lead answers an open question (``add_lead_answers``).

What is quoted is the deciding sentence (and the sentences right after it that settle
more), never the whole message: no greeting, no reason, no question, no request, no offer
to do the work, at most ``MAX_WORDS`` words. A sentence that hedges ("what if", "maybe"),
reports someone else's note ("they want a new title"), jokes or reacts ("so funny",
"lol"), opens an agenda item ("note 2.", "first, the date") or signs off ("that's a wrap
for today") decides nothing. Reversals are worked out afterwards (generation.summarize.
reversals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generation.summarize import cues
from generation.summarize.story import BEAT_WORDS
from generation.summarize.text import content_set, trim_words
from generation.summarize.thread import FRAME_WORDS, Line, Sentence, Thread, strip_fillers
from generation.textkit import fold, stem

PROPOSAL_WINDOW = 8
ACCEPT_WINDOW = 3
MAX_WORDS = 30
SHORT = 6
PITCH_WORDS = 25
WEIGHT = {
    "marker": 3.0,
    "settled": 3.0,
    "bold": 3.0,
    "reversal": 3.0,
    "confirmed": 2.0,
    "accepted": 2.0,
    "restated": 1.5,
    "answer": 1.5,
}
"""How surely each way of finding a decision finds one: what a short digest keeps first."""
"""A deciding sentence under this many words takes the next plain sentence with it."""
_OPTIONS = re.compile(r"\(\s*[a-d1-9]\s*\)|\boptions?\b")
_PREPOSITION = re.compile(
    r"\s(?:in|at|on|for|to|with|of|from|by|as|into|until|because|but|and|so|then)\b.*$"
)
_ANAPHOR = re.compile(
    r"\b(?:with (?:it|that|this)|that one|this one|it is|that idea|this idea|the pitch|that pitch"
    r"|as pitched|as proposed|what \w+ said|that'?s the version)\b"
)
_ASIDE = re.compile(
    r"^(?:it'?s|it is|that'?s|this is|because|since|so|which|cause|cuz|he'?s|she'?s|they'?re"
    r"|i'?m|we'?re|you'?re|honestly|also|and|but|though|plus|if|when)\b"
)
_LEADING_AFFIRM = re.compile(
    r"^(?:(?:ok(?:ay)?|yes|yep|yeah|great|perfect|agreed|amazing|ooh+|oh|then|so|right"
    r"|alright|cool|love it|i'?m sold)[,.:!]?\s+)+"
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
        "version",
        "exactly",
        "amazing",
        "ooh",
    ]
)


@dataclass
class Decision:
    line: Line
    text: str
    how: str
    proposal: Line | None = None
    reversed_by: Line | None = None
    question: Line | None = None
    """The question this decision answers, when it says little without it."""

    @property
    def tokens(self) -> frozenset[str]:
        return content_set(self.text) - FRAME_WORDS


@lru_cache(maxsize=1 << 14)
def negated_terms(text: str, *, strong: bool = False) -> frozenset[str]:
    """Stems of what ``text`` rules out: "no flash-forward" -> {flash, forward}.
    ``strong``: only outright rulings ("no X", "X is dead", "drop X"), not the contrast
    of "not X"."""
    found: set[str] = set()
    folded = fold(text)
    for pattern in cues.NEGATED:
        if strong and pattern is cues.CONTRASTED:
            continue
        for match in pattern.finditer(folded):
            phrase = _PREPOSITION.sub("", " " + match.group(1)).strip()
            found |= content_set(phrase)
    return frozenset(found - FRAME_WORDS)


def is_filler(sent: Sentence, thread: Thread) -> bool:
    """ "love it.", "your call.", "nyx that means you": no content of its own."""
    names = {stem(fold(w)) for n in thread.people.names_in(sent.text) for w in n.split()}
    rest = {t for t in sent.tokens if t not in _AFFIRM_STEMS and t not in names}
    return len(rest) < 2


def decisive(sent: Sentence) -> bool:
    """The sentence says it decides, whoever says it."""
    f = sent.folded
    return bool(cues.DECISION.search(f) or cues.IT_IS.search(f) or cues.OK_COLON.match(f)) or bool(
        cues.RULING.search(f)
    )


def settles(sent: Sentence) -> bool:
    """The sentence states a settled state ("X stays", "moves to"): decisive from the lead."""
    return decisive(sent) or bool(cues.SETTLE.search(sent.folded))


def never_decides(sent: Sentence) -> bool:
    """Sign-offs, jokes and reactions, agenda lines, hedges and reported notes."""
    f = sent.folded
    if cues.SIGN_OFF.search(f) or cues.JOKE.search(f):
        return True
    if decisive(sent):
        return False
    return bool(cues.HEDGE.search(f) or cues.REPORTED.search(f) or cues.AGENDA.match(f))


def pitches(line: Line) -> bool:
    """The message proposes something: "what if…", "could it be…", "my vote is…", or a
    pitch long enough to tell a story."""
    if len(line.text.split()) >= PITCH_WORDS:
        return True
    return any(cues.PITCH.match(s.folded) or cues.PROPOSE.search(s.folded) for s in line.sentences)


def _adds_story(sent: Sentence) -> bool:
    """A plain statement that settles more of the story: it names someone or a beat
    ("Pell Thornbury joins in ch 33", "flashbacks are fair game") and is no reason or
    aside ("it's the whole metaphor", "she's been waiting eleven years")."""
    if _ASIDE.match(sent.folded):
        return False
    words = sent.text.split()
    named = any(w[:1].isupper() for w in words[1:]) or (
        len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()
    )
    return named or bool(sent.tokens & BEAT_WORDS)


def _bare(text: str) -> str:
    """Without a leading "ok,", "yes.", "perfect." (the affirmation is not the decision)."""
    cut = _LEADING_AFFIRM.match(fold(text))
    return text[cut.end() :] if cut and cut.end() < len(text) else text


class DecisionText:
    """Which sentences of a message are its decision."""

    def __init__(self, thread: Thread, skip: set[str]) -> None:
        self.thread = thread
        self.skip = skip

    def usable(self, sent: Sentence) -> bool:
        """A sentence that could be (part of) a decision."""
        if sent.is_question or sent.text in self.skip or never_decides(sent):
            return False
        if cues.CLOSER.match(sent.folded):
            return False
        if is_filler(sent, self.thread) and not negated_terms(sent.text) and not decisive(sent):
            return False
        if cues.SELF.search(sent.folded) and not decisive(sent):
            return False
        return not (cues.DEFER.search(sent.folded) and not decisive(sent))

    def of(self, line: Line, *, lead: bool) -> str:
        """The deciding sentence (a settling one first) and what follows it that settles
        more; "" when the message has none."""
        sents = line.sentences
        marks = settles if lead else decisive
        usable = [self.usable(s) for s in sents]
        first = next((k for k, ok in enumerate(usable) if ok), None)
        if first is None:
            return ""
        closed = {k - 1 for k, s in enumerate(sents) if k and cues.CLOSER.match(s.folded)}
        said = next((k for k, s in enumerate(sents) if usable[k] and decisive(s)), None)
        marked = next(
            (k for k, s in enumerate(sents) if usable[k] and (marks(s) or k in closed)), first
        )
        # A call said outright starts there ("ok, radio play ep 2. we're going with…"); the
        # sentence right before a settled state states the call with it ("the cold open is
        # X. the vending machine stays a button"); anything earlier is a preamble.
        start = said if said is not None else first if marked - first <= 1 else marked
        # "that's the version. Dez doesn't boot the Buick…": the yes is not the decision.
        if (
            start + 1 < len(sents)
            and usable[start + 1]
            and not (sents[start].tokens - _AFFIRM_STEMS)
        ):
            start += 1
        picked = [_bare(sents[start].text)]
        words = len(picked[0].split())
        for k in range(start + 1, len(sents)):
            if not usable[k]:
                break
            more = marks(sents[k]) or negated_terms(sents[k].text) or _adds_story(sents[k])
            if not (more or words < SHORT):
                break
            picked.append(sents[k].text)
            words += len(sents[k].text.split())
            if words >= MAX_WORDS:
                break
        return trim_words(" ".join(picked), MAX_WORDS)


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
        self.texts = DecisionText(thread, request_sentences)
        self.found: list[Decision] = []

    def run(self) -> list[Decision]:
        lead = self.thread.lead
        for line in self.thread.lines:
            if any(cues.SIGN_OFF.search(s.folded) for s in line.sentences[:1]):
                continue
            by_lead = line.author == lead
            marked = any(decisive(s) for s in line.sentences if not s.is_question)
            if not (by_lead or marked or cues.REVERSAL.search(line.folded)):
                continue  # only the lead decides without saying so
            text = self.texts.of(line, lead=by_lead)
            if len(content_set(text)) < 2:
                if marked and self._answers_question(line, text):
                    continue  # "councilman it is": a short call, with the question it answers
                text = ""
            if text and marked:
                self._add(line, text, "marker")
            elif not by_lead:
                if text and cues.REVERSAL.search(line.folded) and self._may_reverse(line):
                    self._add(line, text, "reversal")
            elif self._bold(line):
                self._add(line, text or " ".join(line.emphasis), "bold")
            elif text and any(
                settles(s) or cues.CLOSER.match(s.folded)
                for s in line.sentences
                if not s.is_question
            ):
                self._add(line, text, "settled")
            elif _affirms(line, self.thread):
                proposal = self._proposal(line, text)
                if text:
                    self._add(line, text, "confirmed", proposal)
                elif proposal is not None and not cues.SELF.search(proposal.folded):
                    pitched = self.texts.of(proposal, lead=False)
                    if len(content_set(pitched)) >= 3:
                        self._add(proposal, pitched, "confirmed", proposal)
            elif text and self._restates(line, text):
                self._add(line, text, "restated")
            elif len(content_set(text)) >= 5 and self._accepted(line):
                self._add(line, text, "accepted")
            elif text and cues.REVERSAL.search(line.folded):
                # "scratch that — the finale moves to the subway": the new final state.
                self._add(line, text, "reversal")
        return self.found

    def _answers_question(self, line: Line, text: str) -> bool:
        """A short marked call ("great, councilman it is then") decides the question just
        asked on its subject: kept with that question."""
        if not text:
            return False
        tokens = content_set(text)
        for prev in reversed(self.thread.lines[max(0, line.index - ACCEPT_WINDOW) : line.index]):
            asked = [s for s in prev.sentences if s.is_question]
            if asked and any(s.tokens & tokens for s in asked):
                d = Decision(line, text, "marker", question=prev)
                self.found.append(d)
                return True
        return False

    def _add(self, line: Line, text: str, how: str, proposal: Line | None = None) -> None:
        if any(d.line is line for d in self.found):
            return
        if proposal is None and (how != "marker" or _ANAPHOR.search(line.folded)):
            proposal = self._proposal(line, text)
        if how == "accepted":
            proposal = None
        self.found.append(Decision(line, text, how, proposal))

    def _may_reverse(self, line: Line) -> bool:
        """Whoever made a recent decision may reverse it."""
        return any(d.line.author == line.author for d in self.found[-6:])

    def _bold(self, line: Line) -> bool:
        if _OPTIONS.search(line.folded):
            return False
        return any(len(content_set(e)) >= 3 and "?" not in e for e in line.emphasis)

    def _restates(self, line: Line, text: str) -> bool:
        """The lead says as a plain statement what someone else pitched just before."""
        if line.asks or len(content_set(text)) < 3:
            return False
        tokens = content_set(text) - FRAME_WORDS
        lines = self.thread.lines
        for prev in lines[max(0, line.index - PROPOSAL_WINDOW) : line.index]:
            if prev.author != line.author and len(prev.salient & tokens) >= 2 and pitches(prev):
                return True
        return False

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
        """The next thing someone else says is "works for me" (reactions skipped)."""
        for nxt in self.thread.lines[line.index + 1 : line.index + 1 + ACCEPT_WINDOW]:
            if nxt.author == line.author:
                return False
            if nxt.is_reaction:
                continue
            first = nxt.sentences[0].folded if nxt.sentences else ""
            return bool(cues.ACCEPT.match(first)) and len(nxt.text.split()) <= 12
        return False


def add_lead_answers(
    thread: Thread,
    decisions: list[Decision],
    answers: list[tuple[Line, Line]],
    request_sentences: set[str],
) -> None:
    """The lead's direct answer to a question decides it: "soft cap of 2-4k words"; an
    answer that says little alone ("Sal's. obviously") keeps its question with it."""
    taken = {d.line.index for d in decisions}
    texts = DecisionText(thread, request_sentences)
    for question, answer in answers:
        if answer.author != thread.lead or answer.index in taken:
            continue
        if answer.index - question.index > 2 or answer.defers:
            continue
        if any(sent.text in request_sentences for sent in answer.sentences):
            continue  # "who's writing it?" "Cass, can you take it?": work given, not a call
        text = _short_answer(answer) or texts.of(answer, lead=True)
        if not text:
            continue
        d = Decision(answer, text, "answer")
        if len(content_set(text)) < 3:
            d.question = question
        decisions.append(d)
        taken.add(answer.index)
    decisions.sort(key=lambda d: d.line.index)


def _short_answer(line: Line) -> str:
    """ "Sal's. obviously", "Benji, if you're up for it": a few words that answer."""
    if len(line.text.split()) > 8 or not line.tokens or line.asks:
        return ""
    if any(never_decides(s) and not cues.HEDGE.search(s.folded) for s in line.sentences):
        return ""
    return line.text


def decision_text(line: Line, thread: Thread, *, skip: set[str] | None = None) -> str:
    """The deciding sentences of ``line`` as the lead would mean them."""
    return DecisionText(thread, skip or set()).of(line, lead=line.author == thread.lead)
