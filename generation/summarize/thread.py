"""A thread read once for the detectors: clean text, sentences, word stems per message.

Every detector works on the same ``Thread``: lines in order, the directory of participants,
and who leads the room once it is known. Nothing here decides anything about meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from generation.summarize import cues
from generation.summarize.markup import clean_markup
from generation.summarize.model import Point, ThreadMessage
from generation.summarize.people import Directory
from generation.summarize.text import content_set
from generation.textkit import STOPWORDS, fold, sentences, stem, words

GENERIC_WORDS = frozenset(
    stem(w)
    for w in [
        "thing",
        "stuff",
        "people",
        "everyone",
        "group",
        "part",
        "bit",
        "time",
        "way",
        "make",
        "go",
        "get",
        "take",
        "have",
        "do",
        "want",
        "think",
        "know",
        "say",
        "see",
        "come",
        "give",
        "put",
        "use",
        "work",
        "feel",
        "look",
        "keep",
        "let",
        "love",
        "good",
        "great",
        "sure",
        "fine",
        "okay",
        "hear",
        "talk",
        "first",
        "last",
        "next",
        "new",
        "whole",
        "lot",
    ]
)
"""Stems of words too common in any chat to say what a point is about (stemmed here, so
they compare with ``content_set``'s stems whatever the stemmer does to "people")."""
FRAME_WORDS = GENERIC_WORDS | frozenset(
    stem(w)
    for w in [
        "act",
        "arc",
        "chapter",
        "episode",
        "pilot",
        "scene",
        "season",
        "beat",
        "story",
        "show",
        "character",
        "idea",
        "version",
        "doc",
        "plan",
        "call",
        "week",
        "today",
        "tomorrow",
        "write",
        "line",
    ]
)
"""Generic stems plus the shape of a story: say where a point is, not what it is about."""


@dataclass
class Sentence:
    text: str
    folded: str
    tokens: frozenset[str]

    @cached_property
    def is_question(self) -> bool:
        return bool(
            cues.QUESTION_MARK.search(self.text)
            or cues.QUESTION_PREFIX.match(self.folded)
            or (
                self.text[-1:] not in ".!"
                and len(self.text.split()) >= 3
                and cues.INTERROGATIVE.match(self.folded)
            )
        )


@dataclass
class Line:
    """One message as the detectors read it."""

    index: int
    message: ThreadMessage
    text: str
    sentences: list[Sentence]
    tokens: frozenset[str]
    emphasis: tuple[str, ...]
    quotes: tuple[str, ...]
    mentions: tuple[str, ...]

    @property
    def author(self) -> str:
        return self.message.author

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def salient(self) -> frozenset[str]:
        return self.tokens - FRAME_WORDS

    @cached_property
    def first(self) -> str:
        """The first sentence, folded: where replies say "yes", "works for me"."""
        return self.sentences[0].folded if self.sentences else ""

    @cached_property
    def defers(self) -> bool:
        return bool(cues.DEFER.search(self.folded))

    @cached_property
    def shifts_topic(self) -> bool:
        return bool(cues.TOPIC_SHIFT.match(self.folded))

    @cached_property
    def asks(self) -> bool:
        return any(s.is_question for s in self.sentences)

    @cached_property
    def is_reaction(self) -> bool:
        """Emoji, "lol", "+1": nothing to summarize or answer with."""
        return len(self.tokens) == 0

    def point(self, text: str | None = None) -> Point:
        m = self.message
        return Point(text if text is not None else self.text, m.author, m.ts, m.link)


@dataclass
class Thread:
    lines: list[Line]
    people: Directory
    lead: str | None = None
    notes: dict[str, object] = field(default_factory=dict)


def read_thread(messages: Sequence[ThreadMessage]) -> Thread:
    """Clean every message's markup and split it into sentences and stems."""
    people = Directory.from_messages(messages)
    lines: list[Line] = []
    for i, m in enumerate(messages):
        cleaned = clean_markup(m.text, people.names_by_id)
        sents = [Sentence(s, fold(s), content_set(s)) for s in sentences(cleaned.text)]
        tokens = frozenset().union(*(s.tokens for s in sents)) if sents else frozenset()
        lines.append(
            Line(
                i,
                m,
                cleaned.text,
                sents,
                tokens,
                cleaned.emphasis,
                cleaned.quotes,
                cleaned.mentions,
            )
        )
    return Thread(lines, people)


NOT_ENGLISH_SHARE = 0.12
"""Below this share of English function words among a thread's words, it is not English."""
_MIN_WORDS = 12
_SAMPLE_WORDS = 2000


def thread_notes(thread: Thread) -> list[str]:
    """What the reader should know about the thread before its points."""
    lines = thread.lines
    if not lines:
        return ["No messages to summarize."]
    if all(line.is_reaction for line in lines):
        return ["The thread holds only emoji and reactions: nothing was said to summarize."]
    notes: list[str] = []
    if len(lines) == 1:
        notes.append("Only one message so far: nothing has been discussed yet.")
    if not looks_english(line.text for line in lines):
        notes.append(
            "This thread does not read as English: the offline summarizer listens for "
            "English phrasing, so it may miss decisions and tasks (a model reads other "
            "languages)."
        )
    return notes


def looks_english(texts: Iterable[str]) -> bool:
    """Enough English function words ("the", "we", "is") among the first ``_SAMPLE_WORDS``
    words, or too few words to tell."""
    total = english = 0
    for text in texts:
        found = words(text)
        total += len(found)
        english += sum(w in STOPWORDS for w in found)
        if total >= _SAMPLE_WORDS:
            break
    return total < _MIN_WORDS or english / total >= NOT_ENGLISH_SHARE


def strip_fillers(text: str) -> str:
    """Drop a leading "ok", "and", "so" or "hey" before a name or a verb."""
    stripped = text.lstrip(" ,.;:-—(")
    while True:
        low = fold(stripped[:8])
        for filler in ("ok ", "ok,", "okay ", "okay,", "and ", "also ", "so ", "hey ", "then "):
            if low.startswith(filler):
                stripped = stripped[len(filler) :].lstrip(" ,.;:-—")
                break
        else:
            return stripped
