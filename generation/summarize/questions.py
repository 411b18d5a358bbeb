"""Questions, and whether the thread answered them.

A question is a sentence ending in "?", one opened with "q:" or "question:", or one that
starts like a question ("where is everyone now"). Requests ("can you draft…?") are work,
not questions. An answer is, from strongest to weakest:
- explicit: "answer:", "re:", "that's your answer", a quote of the question, the person
  the question was put to replying on its subject, a later decision on its subject;
- near: one of the next few messages from someone else that shares a word with it or opens
  like a reply ("yes", "no", "fine"), and is not a new question, a vote or a change of
  subject ("speaking of…");
- tentative: the very next message, when the asker then acknowledges it ("cool", "noted").
A pitch put as a question ("what if…", "could it be…") and a prompt ("ideas?") are no
questions. Work given to someone right after ("who's writing the tow scene?" "Cass, can
you take it?") answers a question about it. "Don't know", "park it", "TBD", "let's come
back to it", "depends" after the near answers undoes them, and no near answer counts after
it: the question stays open unless something explicit answers it later. A
question asked again later ("back to X", "re my question") continues the same question.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field

from generation.summarize import cues
from generation.summarize.text import content_set, trim_words
from generation.summarize.thread import FRAME_WORDS, Line, Sentence, Thread, strip_fillers
from generation.textkit import fold

NEAR = 3
QUESTION_WORDS = 30
ASKED_AGAIN = 20
OVERLAP_WINDOW = 8
DECISION_WINDOW = 400


@dataclass
class Question:
    line: Line
    text: str
    tokens: frozenset[str]
    addressee: str | None
    answered_by: Line | None = None
    parked: bool = False
    work: frozenset[str] = frozenset()
    """When it asks who does something, the stems of that work ("tow" of "who's writing
    the tow scene?", not the names in it): work given to someone that shares one answers
    it."""
    chain: list[Line] = field(default_factory=list)


def question_sentence(line: Line) -> str:
    """The first question the message asks (the whole message when none is marked)."""
    return next((s.text for s in line.sentences if s.is_question), line.text)


def question_text(line: Line) -> str:
    """The question as it reads alone: the asking sentences (a very short one with the
    sentence before it, a plain one after it when short), at most QUESTION_WORDS words."""
    sents = line.sentences
    asked = [k for k, s in enumerate(sents) if s.is_question]
    if not asked:
        return trim_words(line.text, QUESTION_WORDS)
    first = asked[0]
    keep = [k for k in asked[:2]]
    if len(sents[first].text.split()) < 5 and first > 0:
        keep.insert(0, first - 1)
    after = keep[-1] + 1
    short = len(sents[keep[-1]].text.split()) < 8
    if short and after < len(sents) and not sents[after].is_question:
        keep.append(after)
    return trim_words(" ".join(sents[k].text for k in sorted(set(keep))), QUESTION_WORDS)


def _work_asked(asked: list[Sentence]) -> frozenset[str]:
    """The work a "who's doing X?" question is about: its lower-case content words."""
    out: set[str] = set()
    for sent in asked:
        if cues.WHO.search(sent.folded):
            plain = " ".join(w for w in sent.text.split() if not w[:1].isupper())
            out |= content_set(plain) - FRAME_WORDS
    return frozenset(out)


def _not_asking(sent: Sentence) -> bool:
    """A pitch put as a question ("what if she never yells?") or a prompt for ideas
    ("ideas?", "where are we"): the discussion after it is the answer."""
    return bool(cues.PITCH.match(sent.folded)) or (
        len(sent.text.split()) <= 4 and bool(cues.PROMPT.search(sent.folded))
    )


def _is_request(line: Line, thread: Thread, folded: str) -> bool:
    start = strip_fillers(folded)
    named = thread.people.resolve_prefix(start)
    rest = fold(named[1]) if named else start
    return bool(cues.REQUEST.match(rest) or cues.YOURS.search(rest))


class QuestionFinder:
    def __init__(
        self,
        thread: Thread,
        decision_lines: set[int],
        assigned: Mapping[int, frozenset[str]] | None = None,
    ) -> None:
        self.thread = thread
        self.decisions = decision_lines
        self.assigned = assigned or {}
        self.questions: list[Question] = []
        self._asked_by: dict[str, list[Question]] = {}
        self.answers: list[tuple[Line, Line]] = []
        self._explicit_lines = sorted(
            decision_lines
            | {ln.index for ln in thread.lines if ln.quotes or cues.ANSWER.search(ln.folded)}
        )
        self._by_author: dict[str, list[int]] = {}
        for ln in thread.lines:
            self._by_author.setdefault(ln.author, []).append(ln.index)

    def run(self) -> list[Question]:
        for line in self.thread.lines:
            asked = [
                s
                for s in line.sentences
                if s.is_question
                and not _not_asking(s)
                and not _is_request(line, self.thread, s.folded)
            ]
            if not asked:
                continue
            tokens = frozenset().union(*(s.tokens for s in asked))
            if len(tokens - FRAME_WORDS) < 3:  # "saturday?": the message says what about
                tokens |= line.salient
            earlier = self._asked_before(line, tokens)
            if earlier is not None:
                earlier.chain.append(line)
                if earlier.answered_by is None:
                    earlier.tokens = earlier.tokens | tokens
                    self._scan(earlier, line)
                continue
            named = self.thread.people.resolve_prefix(strip_fillers(asked[0].text))
            q = Question(line, question_text(line), tokens, named[0] if named else None)
            q.parked = bool(cues.DEFER.search(asked[0].folded)) or "for later" in line.folded
            q.work = _work_asked(asked)
            self.questions.append(q)
            self._asked_by.setdefault(line.author, []).append(q)
            self._scan(q, line)
        return self.questions

    def _asked_before(self, line: Line, tokens: frozenset[str]) -> Question | None:
        """The same open question asked again: same person, same subject, among their last
        ``ASKED_AGAIN`` questions."""
        salient = tokens - FRAME_WORDS
        for q in reversed(self._asked_by.get(line.author, [])[-ASKED_AGAIN:]):
            if q.answered_by is not None:
                continue
            shared = len((q.tokens - FRAME_WORDS) & salient)
            if shared >= 2 or (shared >= 1 and cues.REASK.search(line.folded)):
                return q
        return None

    def _scan(self, q: Question, anchor: Line) -> None:
        lines = self.thread.lines
        near: list[Line] = []
        tentative: Line | None = None
        other_question = False  # once someone asks something else, a bare "dunno" is theirs
        deferred = False  # after "not sure yet", only an explicit answer closes it
        end = min(len(lines), anchor.index + 1 + OVERLAP_WINDOW)
        for later in lines[anchor.index + 1 : end]:
            dist = later.index - anchor.index
            shared = len(q.tokens & later.salient)
            task = self.assigned.get(later.index)
            if task is not None and q.work and not deferred and dist <= NEAR + 1 and q.work & task:
                self._answer(q, later)  # "who's writing the tow scene?" — given to someone
                return
            if later.defers and (shared >= 1 or (dist <= NEAR + 1 and not other_question)):
                near.clear()
                tentative = None
                q.parked = deferred = True
                continue
            if later.index in self.decisions and shared >= 2:
                self._answer(q, later)
                return
            if later.author == q.line.author:
                if tentative is not None and dist <= NEAR + 1 and cues.ACK.search(later.folded):
                    near.append(tentative)
                    tentative = None
                continue
            if self._explicit(q, later, shared):
                self._answer(q, later)
                return
            if later.shifts_topic:
                end = later.index + 1
                break
            if later.asks:
                other_question = True
                continue
            if later.is_reaction or self._vote(later) or deferred:
                continue
            if (
                (dist <= NEAR and (shared >= 1 or cues.PARTICLE.match(later.first)))
                or shared >= 2
                or (later.index in self.decisions and shared >= 1)
            ):
                near.append(later)
            elif dist == 1 and len(later.tokens) >= 2:
                tentative = later
        if near:
            self._answer(q, near[0])
            return
        for index in self._explicit_after(q, end):
            later = lines[index]
            if (later.author != q.line.author or index in self.decisions) and self._explicit(
                q, later, len(q.tokens & later.salient)
            ):
                self._answer(q, later)
                return

    def _explicit_after(self, q: Question, start: int) -> list[int]:
        """Lines past the near window that could still answer explicitly."""
        stop = start + DECISION_WINDOW
        pools = [self._explicit_lines]
        if q.addressee is not None:
            pools.append(self._by_author.get(q.addressee, []))
        picked: set[int] = set()
        for pool in pools:
            picked.update(pool[bisect_left(pool, start) : bisect_left(pool, stop)])
        return sorted(picked)

    def _explicit(self, q: Question, later: Line, shared: int) -> bool:
        if cues.ANSWER.search(later.folded) and (
            shared >= 1 or q.line.author in self.thread.people.names_in(later.text)
        ):
            return True
        if any(fold(quote) in q.line.folded for quote in later.quotes if len(quote) > 8):
            return True
        if q.addressee == later.author and not later.defers and q.tokens & later.tokens:
            return True
        return later.index in self.decisions and shared >= 2

    def _vote(self, line: Line) -> bool:
        return bool(cues.VOTE.match(line.first)) and len(line.text.split()) <= 8

    def _answer(self, q: Question, line: Line) -> None:
        q.answered_by = line
        q.parked = False
        self.answers.append((q.line, line))
        for again in q.chain:
            self.answers.append((again, line))


def detect_questions(
    thread: Thread,
    decision_lines: set[int],
    assigned: Mapping[int, frozenset[str]] | None = None,
) -> tuple[list[Question], list[tuple[Line, Line]]]:
    """Every question with its answer (or none), and the (question, answer) pairs.
    ``assigned``: the stems of the work given or taken at a line, by line index; a
    question about who does something is answered where that work is given."""
    finder = QuestionFinder(thread, decision_lines, assigned)
    questions = finder.run()
    return questions, finder.answers
