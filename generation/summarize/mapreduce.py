"""Long threads through a model: split, summarize the parts at once, merge (map-reduce).

1. chunk: messages in order, in ceil(thread tokens / ``budget``) chunks of about equal
   size (a message longer than the budget alone is cut, never dropped);
2. map: each chunk is one model call, at most ``concurrency`` in flight; a chunk that
   fails is tried again once (``ATTEMPTS``), then reported in ``Digest.gaps`` with the
   messages it covered, and the summary goes on without it;
3. reduce: one more call merges the chunks' findings (later parts win: reversals,
   questions answered later), skipped when there is a single chunk. If the merge fails,
   the chunks' own lists are kept and the digest says so.

So a thread of T tokens costs ceil(T / budget) + 1 calls at most, when nothing fails.
Attribution is by reference: every item cites a message number, and its author and link
are read from that message. An item citing a number outside its chunk, or saying what the
message it cites (and the few before it) does not say, is dropped and counted in
``Digest.untraced``, which the digest reports (generation/summarize/trace.py); so are
TL;DR sentences the thread does not bear out and characters it never names.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.errors import CommandError
from core.models import Usage
from generation.context import estimate_tokens
from generation.prompts import Message
from generation.sheets import find_json_object
from generation.summarize.markup import clean_markup
from generation.summarize.model import ActionItem, Digest, Point, ThreadMessage
from generation.summarize.people import Directory
from generation.summarize.prompts import (
    MAP_SCHEMA,
    REDUCE_SCHEMA,
    map_messages,
    reduce_messages,
)
from generation.summarize.text import content_set, trim_words
from generation.summarize.trace import Tracer
from generation.textkit import fold

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 3000
CONCURRENCY = 4
ATTEMPTS = 2
POINT_WORDS = 30
"""Words of a point the model wrote that the digest keeps (a short clause is asked for)."""
REDUCE_WORDS = 14
"""Words of each decision, dropped idea or question the merge call sees (half that for
answers and tasks): enough to tell what it is about, so the merge stays small."""

Progress = Callable[[str, float | None], Awaitable[None]]


class ChatModel(Protocol):
    """An engine that takes free-form chat prompts (generation.openai_engine.OpenAIEngine)."""

    name: str

    async def complete(
        self,
        messages: list[Message],
        call: Any,
        *,
        json_schema: tuple[str, dict[str, Any]] | None = None,
        temperature: float = ...,
    ) -> Any: ...


def message_tokens(m: ThreadMessage) -> int:
    return estimate_tokens(f"{m.author}: {m.text}\n")


def thread_tokens(messages: Sequence[ThreadMessage]) -> int:
    """The thread's size as "Name: message" lines, the yardstick for prompt sizes."""
    return sum(message_tokens(m) for m in messages)


def chunk_sizes(sizes: Sequence[int], budget: int) -> list[list[int]]:
    """Indices grouped in order into ceil(total / budget) chunks of about equal size.

    Balanced rather than greedy: greedy packing wastes the tail of every chunk and can need
    one call more. A chunk may pass ``budget`` by at most part of one message."""
    total = sum(sizes)
    if not sizes:
        return []
    n = max(1, math.ceil(total / budget))
    share = total / n
    chunks: list[list[int]] = [[] for _ in range(n)]
    seen = 0
    for i, size in enumerate(sizes):
        chunks[min(n - 1, int((seen + size / 2) / share))].append(i)
        seen += size
    return [c for c in chunks if c]


def _fit(line: str, budget: int) -> str:
    if estimate_tokens(line) < budget:
        return line
    return line[: max(16, budget * 3)] + " […]"


@dataclass
class ChunkResult:
    first: int
    last: int
    data: dict[str, Any] | None = None
    error: str | None = None
    attempts: int = 0
    usage: list[Usage] = field(default_factory=list)


@dataclass
class MapReduce:
    model: ChatModel
    messages: list[ThreadMessage]
    budget: int = DEFAULT_BUDGET
    concurrency: int = CONCURRENCY
    progress: Progress | None = None
    calls: int = 0
    usage: list[Usage] = field(default_factory=list)

    cast: Sequence[str] = ()
    untraced: int = 0

    def __post_init__(self) -> None:
        self.people = Directory.from_messages(self.messages)
        texts = [clean_markup(m.text, self.people.names_by_id).text for m in self.messages]
        self.tracer = Tracer(texts, self.people)
        self.lines = [
            _fit(f"{i + 1} {m.author}: {text}", self.budget)
            for i, (m, text) in enumerate(zip(self.messages, texts, strict=True))
        ]

    async def run(self) -> Digest:
        sizes = [min(message_tokens(m), self.budget) for m in self.messages]
        chunks = chunk_sizes(sizes, self.budget)
        gate = asyncio.Semaphore(max(1, self.concurrency))
        done = 0

        async def one(k: int, members: list[int]) -> ChunkResult:
            nonlocal done
            async with gate:
                result = await self._map(k, len(chunks), members)
            done += 1
            if self.progress is not None:
                await self.progress(f"Summarized part {done} of {len(chunks)}", done / len(chunks))
            return result

        results = await asyncio.gather(*(one(k, c) for k, c in enumerate(chunks)))
        good = [r for r in results if r.data is not None]
        gaps = [self._gap(r) for r in results if r.data is None]
        if not good:
            reason = results[0].error if results else "no messages"
            raise CommandError(f"The model could not summarize this thread: {reason}")
        digest = await self._reduce(good) if len(chunks) > 1 else self._single(good[0])
        digest.gaps = gaps + digest.gaps
        digest.usage = self.usage
        digest.tldr = [t for t in digest.tldr if self._traced_tldr(t)]
        digest.characters = self._characters(digest.characters)
        digest.untraced = self.untraced
        digest.thread_chars = sum(len(m.text) for m in self.messages)
        digest.last_ts = self.messages[-1].ts
        digest.room = list(self.people.order)
        if len(self.messages) == 1:
            digest.notes.append("Only one message so far: nothing has been discussed yet.")
        return digest

    def _traced_tldr(self, sentence: str) -> bool:
        if self.tracer.traced_anywhere(sentence):
            return True
        self.untraced += 1
        return False

    def _characters(self, named: list[str]) -> list[str]:
        """The model's characters that the thread names and that are nobody in the room,
        with the bible's names for those the bible has."""
        out: list[str] = []
        for name in named:
            if not self.tracer.character(name):
                if not self.people.resolve(name):
                    self.untraced += 1
                continue
            full = next((c for c in self.cast if fold(name) in fold(c).split()), name)
            if full not in out:
                out.append(full)
        return out

    # --- map ------------------------------------------------------------------------
    async def _map(self, k: int, parts: int, members: list[int]) -> ChunkResult:
        from generation.openai_chat import ModelCall

        result = ChunkResult(members[0], members[-1])
        prompt = map_messages([self.lines[i] for i in members], k + 1, parts)
        for attempt in range(1, ATTEMPTS + 1):
            result.attempts = attempt
            try:
                answer = await self._ask(
                    prompt, ModelCall("summary-chunk", seed=k), ("thread_part", MAP_SCHEMA)
                )
                data = find_json_object(answer.text)
                if data is None:
                    raise ValueError("the answer was not JSON")
                result.data, result.error = data, None
                return result
            except (CommandError, ValueError) as exc:
                result.error = exc.message if isinstance(exc, CommandError) else str(exc)
                # Only the kind of failure: a CommandError's message may quote the model
                # server's own words, and those may quote the thread (the model call
                # already logged its status).
                log.warning(
                    "summary chunk %d failed (attempt %d): %s", k, attempt, type(exc).__name__
                )
        return result

    async def _ask(
        self, prompt: list[Message], call: Any, schema: tuple[str, dict[str, Any]]
    ) -> Any:
        self.calls += 1
        answer = await self.model.complete(prompt, call, json_schema=schema)
        if getattr(answer, "usage", None) is not None:
            self.usage.append(answer.usage)
        return answer

    def _gap(self, r: ChunkResult) -> str:
        a, b = self.messages[r.first], self.messages[r.last]
        return (
            f"Messages {r.first + 1}–{r.last + 1} ({a.author} … {b.author}) could not be "
            f"summarized after {r.attempts} tries: {r.error}"
        )

    # --- turning answers into points ----------------------------------------------
    def _point(self, item: Any, lo: int, hi: int) -> tuple[int, Point] | None:
        """The item as a point of the message it cites, or None (counted in
        ``untraced``) when it cites none of this part or says what that message does not."""
        if not isinstance(item, dict):
            return None
        ref, text = item.get("ref"), str(item.get("text") or item.get("task") or "").strip()
        if not text:
            return None
        if not isinstance(ref, int) or not lo <= ref - 1 <= hi or not self.tracer.traced(text, ref):
            self.untraced += 1
            return None
        m = self.messages[ref - 1]
        return ref, Point(trim_words(text, POINT_WORDS), m.author, m.ts, m.link)

    def _items(self, r: ChunkResult, key: str) -> list[tuple[int, Point]]:
        assert r.data is not None
        raw = r.data.get(key) or []
        found = [self._point(item, r.first, r.last) for item in raw if isinstance(raw, list)]
        return [f for f in found if f is not None]

    def _actions(self, r: ChunkResult) -> list[tuple[int, ActionItem]]:
        assert r.data is not None
        out = []
        for item in r.data.get("action_items") or []:
            found = self._point(item, r.first, r.last)
            if found is None or not isinstance(item, dict):
                continue
            owner_said = str(item.get("owner") or "").strip()
            resolved = self.people.resolve(owner_said) if owner_said else found[1].author
            if resolved is None and not self.tracer.traced(owner_said, found[0]):
                self.untraced += 1  # an owner who is nobody in the thread, nor named there
                continue
            owner = resolved or owner_said
            due = str(item.get("due") or "").strip() or None
            out.append((found[0], ActionItem(owner, found[1].text, due, found[1])))
        return out

    def _single(self, r: ChunkResult) -> Digest:
        assert r.data is not None
        return Digest(
            tldr=[str(s) for s in (r.data.get("tldr") or [])][:3],
            decisions=[p for _, p in self._items(r, "decisions")],
            reversed=[p for _, p in self._items(r, "dropped")],
            open_questions=[p for _, p in self._items(r, "questions")],
            action_items=[a for _, a in self._actions(r)],
            story_changes=[p for _, p in self._items(r, "story_changes")],
            characters=_names(r.data),
            extractive=False,
            engine=self.model.name,
            message_count=len(self.messages),
        )

    # --- reduce ---------------------------------------------------------------------
    async def _reduce(self, results: list[ChunkResult]) -> Digest:
        found: dict[str, dict[int, Any]] = {k: {} for k in "DXQATS"}
        characters: list[str] = []
        for r in results:
            for kind, key in (
                ("D", "decisions"),
                ("X", "dropped"),
                ("Q", "questions"),
                ("A", "answers"),
                ("S", "story_changes"),
            ):
                for ref, p in self._items(r, key):
                    found[kind].setdefault(ref, p)
            for ref, a in self._actions(r):
                found["T"].setdefault(ref, a)
            characters += [c for c in _names(r.data or {}) if c not in characters]
        lines = []
        for kind, items in found.items():
            if kind == "S":
                continue  # story changes follow their decisions; the merge need not read them
            words = REDUCE_WORDS if kind in "DXQ" else REDUCE_WORDS // 2
            for ref, item in items.items():
                text = item.task if isinstance(item, ActionItem) else item.text
                who = f" owner={item.owner}" if isinstance(item, ActionItem) else ""
                lines.append((ref, f"{kind} {ref}{who}: {trim_words(text, words)}"))
        lines.sort()
        from generation.openai_chat import ModelCall

        merged: dict[str, Any] | None = None
        error = ""
        for _ in range(ATTEMPTS):
            try:
                answer = await self._ask(
                    reduce_messages([t for _, t in lines]),
                    ModelCall("summary-merge"),
                    ("thread_merge", REDUCE_SCHEMA),
                )
                merged = find_json_object(answer.text)
                if merged is not None:
                    break
                error = "the answer was not JSON"
            except CommandError as exc:
                error = exc.message
        gaps: list[str] = []
        if merged is None:
            merged = {
                "tldr": [],
                "decisions": list(found["D"]),
                "reversed": list(found["X"]),
                "open_questions": list(found["Q"]),
                "action_items": list(found["T"]),
                "story_changes": list(found["S"]),
            }
            gaps.append(
                f"The final merge failed ({error}): the lists are each part's own, "
                "so a later part may have reversed or answered an earlier one."
            )

        def pick(key: str, *pools: str) -> list[Any]:
            refs = [r for r in merged.get(key) or [] if isinstance(r, int)]
            out = []
            for ref in dict.fromkeys(refs):
                for pool in pools:
                    if ref in found[pool]:
                        out.append(found[pool][ref])
                        break
            return out

        undone = {r for r in merged.get("reversed") or [] if isinstance(r, int)}
        digest = Digest(
            tldr=[str(s) for s in merged.get("tldr") or []][:3],
            decisions=pick("decisions", "D"),
            reversed=pick("reversed", "D", "X"),
            open_questions=pick("open_questions", "Q"),
            action_items=pick("action_items", "T"),
            story_changes=[p for ref, p in found["S"].items() if ref not in undone],
            characters=characters,
            extractive=False,
            engine=self.model.name,
            message_count=len(self.messages),
        )
        digest.gaps = gaps
        return digest


def _names(data: dict[str, Any]) -> list[str]:
    raw = data.get("characters") or []
    if not isinstance(raw, list):
        return []
    return [c.strip() for c in raw if isinstance(c, str) and c.strip()]


async def summarize_with_model(
    messages: list[ThreadMessage],
    model: Any,
    *,
    progress: Progress | None = None,
    budget: int | None = None,
    concurrency: int = CONCURRENCY,
    characters: Sequence[str] = (),
) -> Digest:
    """Map-reduce ``messages`` through ``model`` (see the module docstring).
    ``characters``: the bible's character names, which the digest uses for the
    characters the model names."""
    name = str(getattr(model, "name", "model"))
    if not messages:
        digest = Digest.empty(name, extractive=False)
        digest.notes.append("No messages to summarize.")
        return digest
    if all(not content_set(clean_markup(m.text).text) for m in messages):
        digest = Digest.empty(name, extractive=False)
        digest.message_count = len(messages)
        digest.notes.append(
            "The thread holds only emoji and reactions: nothing was said to summarize."
        )
        return digest
    chunk_budget = budget or int(getattr(model, "context_budget", DEFAULT_BUDGET))
    job = MapReduce(model, messages, chunk_budget, concurrency, progress, cast=characters)
    return await job.run()


def expected_calls(messages: Sequence[ThreadMessage], budget: int) -> int:
    """The most calls a thread may take when nothing fails: ceil(tokens / budget) + 1."""
    return math.ceil(thread_tokens(messages) / budget) + 1
