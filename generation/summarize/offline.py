"""The offline thread summarizer: extractive, deterministic, no model and no downloads.

Every point it reports is quoted from the thread and attributed; the digest says so
(``extractive=True``). The pipeline, each step a module of its own:

1. thread: clean Slack/Discord markup, split sentences, stem words;
2. actions: requests to named people and self-assignments (also tells who assigns work);
3. people.lead_of: who runs the room, from role tags, who opened the thread, who assigns;
4. decisions: explicit markers and the lead's confirmations;
5. questions: answered or open (a decision can be an answer);
6. decisions again: the lead's answers to questions; then reversals, so only the final
   state stands and what was reversed is reported as such;
7. story: characters named, story changes settled on;
8. textrank: a TL;DR of at most three sentences, leaning towards decisions and never
   quoting something that was reversed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from generation.summarize import cues
from generation.summarize.actions import detect_actions
from generation.summarize.characters import find_characters
from generation.summarize.decisions import (
    WEIGHT,
    Decision,
    DecisionFinder,
    add_lead_answers,
    negated_terms,
)
from generation.summarize.model import Answer, Digest, Point, Reversal, ThreadMessage
from generation.summarize.people import lead_of
from generation.summarize.questions import detect_questions, question_sentence
from generation.summarize.reversals import resolve_reversals
from generation.summarize.story import (
    group_by_line,
    mentions_story,
    story_sentences,
)
from generation.summarize.text import content_set, trim_words
from generation.summarize.textrank import summarize_sentences
from generation.summarize.thread import Line, Thread, read_thread, thread_notes

ENGINE = "offline extractive summarizer"
TLDR_SENTENCES = 3
DECISION_PRIOR = 5.0
STORY_PRIOR = 2.0


def summarize_offline(
    messages: Sequence[ThreadMessage], *, characters: Sequence[str] = ()
) -> Digest:
    """Summarize a thread without a model: rule-based detectors plus a TextRank TL;DR.

    ``characters``: the story bible's character names, when the channel has a story; a
    name the thread uses for one of them is listed as that character."""
    thread = read_thread(messages)
    actions = detect_actions(thread)
    decided_by: Counter[str] = Counter(
        line.author for line in thread.lines if cues.DECISION.search(line.folded)
    )
    thread.lead = lead_of(messages, actions.requests_by, decided_by)
    decisions = DecisionFinder(thread, actions.request_sentences).run()
    questions, answers = detect_questions(
        thread, {d.line.index for d in decisions}, actions.assigned()
    )
    add_lead_answers(thread, decisions, answers, actions.request_sentences)
    resolve_reversals(thread, decisions)
    final = [d for d in decisions if d.reversed_by is None]
    dropped = [d for d in decisions if d.reversed_by is not None]
    cast = find_characters(thread, characters)
    reversed_lines = _reversed_lines(final, dropped)
    story = _story_changes(final, cast)
    tldr_points = _tldr(thread, final, story, reversed_lines)
    reversing = {d.reversed_by.index for d in dropped if d.reversed_by is not None}
    points = {id(d): _decision_point(d, d.line.index in reversing) for d in decisions}
    return Digest(
        tldr=[p.text for p in tldr_points],
        decisions=[points[id(d)] for d in final],
        reversed=_reversed_points(dropped, final, cast),
        open_questions=[q.line.point(q.text) for q in questions if q.answered_by is None],
        action_items=actions.items_found,
        story_changes=story,
        characters=cast,
        extractive=True,
        engine=ENGINE,
        message_count=len(messages),
        tldr_sources=tldr_points,
        reversals=[_reversal(d, final, points) for d in dropped],
        answered=[
            Answer(q.line.point(q.text), q.answered_by.point())
            for q in questions
            if q.answered_by is not None
        ],
        notes=thread_notes(thread),
        thread_chars=sum(len(m.text) for m in messages),
        room=list(thread.people.order),
        last_ts=messages[-1].ts if messages else "",
    )


def _decision_point(d: Decision, reverses: bool) -> Point:
    """The decision as quoted; a call that reversed another is the last a short digest
    leaves out (the reversed call is shown with it)."""
    weight = max(WEIGHT.get(d.how, 1.0), WEIGHT["marker"] + 1 if reverses else 0.0)
    if d.question is None:
        return replace(d.line.point(d.text), weight=weight)
    text = f"{trim_words(question_sentence(d.question), 14)} → {d.text}"
    return replace(d.line.point(text), weight=weight - 0.5)


def _reversal(d: Decision, final: list[Decision], points: dict[int, Point]) -> Reversal:
    by = next((f for f in final if f.line is d.reversed_by), None)
    assert d.reversed_by is not None
    later = points[id(by)] if by is not None else d.reversed_by.point()
    return Reversal(points[id(d)], later)


def _reversed_lines(final: list[Decision], dropped: list[Decision]) -> set[int]:
    standing = {d.line.index for d in final} | {
        d.proposal.index for d in final if d.proposal is not None
    }
    out = {d.line.index for d in dropped}
    out |= {d.proposal.index for d in dropped if d.proposal is not None}
    return out - standing


def _reversed_points(
    dropped: list[Decision], final: list[Decision], characters: list[str]
) -> list[Point]:
    standing = {d.line.index for d in final} | {
        d.proposal.index for d in final if d.proposal is not None
    }
    pairs: list[tuple[Line, str]] = []
    for d in dropped:
        pairs.append((d.line, d.text))
        p = d.proposal
        if p is not None and p is not d.line and p.index not in standing:
            pairs.append((p, _focused(p, d.text, characters)))
    return group_by_line(pairs)


def _focused(line: Line, about: str, characters: list[str]) -> str:
    """At most two sentences of ``line``: those sharing the most words with ``about``."""
    if len(line.text.split()) <= 45:
        return line.text
    tokens = content_set(about)
    ranked = sorted(
        range(len(line.sentences)), key=lambda k: -len(line.sentences[k].tokens & tokens)
    )[:2]
    picked = " ".join(line.sentences[k].text for k in sorted(ranked))
    return picked or story_sentences(line, characters, limit=2)


def _story_changes(final: list[Decision], characters: list[str]) -> list[Point]:
    pairs: list[tuple[Line, str]] = []
    for d in final:
        pairs.append((d.line, d.text if mentions_story(d.text, characters) else ""))
        if d.proposal is not None and d.proposal is not d.line:
            # What the decision ruled out ("not killed") is no part of the change.
            ruled_out = negated_terms(d.text)
            pairs.append((d.proposal, story_sentences(d.proposal, characters, ruled_out)))
    return group_by_line(pairs)


def _tldr(
    thread: Thread, final: list[Decision], story: list[Point], reversed_lines: set[int]
) -> list[Point]:
    decided = {d.line.index: content_set(d.text) for d in final}
    story_lines = {p.ts for p in story}
    nodes: list[frozenset[str]] = []
    prior: list[float] = []
    sources: list[tuple[Line, str]] = []
    for line in thread.lines:
        if line.index in reversed_lines or line.defers:
            continue
        for sent in line.sentences:
            if sent.is_question or len(sent.tokens) < 4 or len(sent.text.split()) > 60:
                continue
            if cues.AGENDA.match(sent.folded) or cues.SIGN_OFF.search(sent.folded):
                continue
            weight = 1.0
            if sent.tokens <= decided.get(line.index, frozenset()):
                weight += DECISION_PRIOR
            elif line.message.ts in story_lines:
                weight += STORY_PRIOR
            nodes.append(sent.tokens)
            prior.append(weight)
            sources.append((line, sent.text))
    chosen = summarize_sentences(nodes, prior, TLDR_SENTENCES)
    return [sources[i][0].point(trim_words(sources[i][1], 40)) for i in chosen]
