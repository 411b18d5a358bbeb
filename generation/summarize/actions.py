"""Action items: work asked of a named person, or taken on by the speaker.

- "Priya, can you draft the cold open by Thursday?" and "<@U123> can you update the doc?"
  -> owner is the person named (first name, handle or mention, resolved to the display
  name used in the thread); so is "@theo please update…" and "chapter 32 is yours".
- "I'll take the one-pager", "I can do portraits", "let me redo the map" -> the speaker.
  "I'll do it" right after being asked is the same item accepted, not a new one; "I'll fix
  it" elsewhere carries what "it" was about from the sentence or message before.
- "Theo will update the doc" -> Theo.
- Due phrases: "by Thursday", "before Friday", "due Sunday the 19th", "Thursday night
  latest"; a due date in the owner's reply ("yep, Monday") fills a missing one.
Work must start with a verb that names a deliverable (cues.TASK_VERBS); "I'll take it" and
"let me think" are not work.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from generation.summarize import cues
from generation.summarize.model import ActionItem
from generation.summarize.text import content_set
from generation.summarize.thread import GENERIC_WORDS, Line, Sentence, Thread, strip_fillers
from generation.textkit import STOPWORDS, fold

_TRAILING_NAME = re.compile(r",\s*@?([^\W\d][\w'’\-]*(?:\s[^\W\d][\w'’\-]*)?)\s*[?.!]*\s*$")
_CLAUSE_END = re.compile(r"\s(?:so that|so we|so i|because|but)\s|[;—]\s")
_CONTINUES = re.compile(r"^(?:and|then|also|plus|ideally|before|after|once)\b")
_ANYONE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|also|and)[,.]?\s+)*(?:can|could|would|will) (?:someone|somebody|anyone"
    r"|anybody|one of you)\s+(?:please\s+)?|^(?:(?:ok(?:ay)?|so|also|and)[,.]?\s+)*who(?:'s| is"
    r"| wants to| can| will)\s+"
)
ACCEPT_WINDOW = 4


@dataclass
class _Item:
    owner: str
    parts: list[str]
    due: str | None
    line: Line
    asked_by: str | None
    tokens: set[str] = field(default_factory=set)

    def add(self, part: str, due: str | None) -> None:
        if part not in self.parts:
            self.parts.append(part)
            self.tokens |= content_set(part) - GENERIC_WORDS
        self.due = self.due or due


def find_due(text: str) -> str | None:
    match = cues.DUE.search(fold(text))
    if not match:
        return None
    start, end = match.span()
    due = text[start:end] if len(fold(text)) == len(text) else match.group()
    due = re.sub(r"^due\s+", "", due.strip(), flags=re.I)
    due = re.sub(r"^on\s+(?=(?:tomorrow|tonight|today)\b)", "", due, flags=re.I)
    return re.sub(r"['’]s$", "", due)


def _clean_task(text: str) -> str:
    return text.strip().rstrip("?!.,;: ").strip()


@dataclass
class ActionFinder:
    thread: Thread
    items: list[_Item] = field(default_factory=list)
    requests_by: Counter[str] = field(default_factory=Counter)
    request_sentences: set[str] = field(default_factory=set)
    items_found: list[ActionItem] = field(default_factory=list)

    def run(self) -> list[ActionItem]:
        for line in self.thread.lines:
            self._taken(line)
            found = self._requests(line) + self._self_assignments(line)
            for item in found:
                self._keep(item)
        return [self._finish(i) for i in self.items]

    # -- work asked of someone -------------------------------------------------
    def _requests(self, line: Line) -> list[_Item]:
        out: list[_Item] = []
        sents = line.sentences
        for k, sent in enumerate(sents):
            owner_task = self._addressed(sent)
            if owner_task is None:
                continue
            owner, task = owner_task
            if owner == line.author:
                continue
            extra = self._continuation(sents[k + 1 :])
            task = _clean_task(" ".join([_clean_task(task), *extra]))
            due = find_due(task)
            item = _Item(owner, [], due, line, line.author)
            item.add(task, due)
            out.append(item)
            self.requests_by[line.author] += 1
            self.request_sentences.add(sent.text)
        return out

    def _addressed(self, sent: Sentence) -> tuple[str, str] | None:
        people = self.thread.people
        start = strip_fillers(sent.text)
        named = people.resolve_prefix(start)
        if named is not None:
            owner, rest = named
            rest_f = fold(rest)
            if cues.YOURS.search(rest_f) and not cues.YOURS_IDIOM.search(rest_f):
                return owner, rest.lstrip(" ,:;-—")
            third = cues.THIRD_PERSON.match(rest_f)
            if third and third.group(1) in cues.TASK_VERBS and not rest.startswith(","):
                return owner, rest[third.start(1) :]
            req = cues.REQUEST.match(rest_f)
            body = rest[req.end() :] if req else rest.lstrip(" ,:;-—")
            body = strip_fillers(body)
            if self._is_work(body, asked=req is not None):
                return owner, body
            return None
        request = cues.REQUEST.match(fold(start))
        trailing = _TRAILING_NAME.search(start) if request else None
        if request and trailing:
            named_owner = people.resolve(trailing.group(1))
            body = start[request.end() : trailing.start()].strip()
            if named_owner is not None and self._is_work(body, asked=True):
                return named_owner, body
        return None

    def _is_work(self, body: str, *, asked: bool) -> bool:
        """Starts with a verb of work; after "can you"/"please", any verb will do."""
        first = fold(body).split(" ", 1)[0].strip(",.!?") if body else ""
        if not first or cues.NOT_WORK.match(fold(body)):
            return False
        if first in cues.TASK_VERBS:
            return True
        return asked and first not in STOPWORDS and self.thread.people.resolve(first) is None

    def _continuation(self, rest: list[Sentence]) -> list[str]:
        """The sentence after a request when it still describes it: its deadline ("before
        Friday") or more of the same work ("and get them to me by Monday")."""
        if not rest:
            return []
        sent = rest[0]
        if sent.text.startswith("(") or self.thread.people.names_in(sent.text):
            return []
        if cues.SELF.search(sent.folded) or len(sent.text.split()) > 12:
            return []
        if cues.DUE.match(sent.folded) or _CONTINUES.match(sent.folded):
            return [sent.text]
        return []

    # -- work taken on ---------------------------------------------------------
    def _self_assignments(self, line: Line) -> list[_Item]:
        out: list[_Item] = []
        for k, sent in enumerate(line.sentences):
            for match in cues.SELF.finditer(sent.folded):
                verb = match.group(1)
                body = sent.text[match.start(1) :]
                body = _CLAUSE_END.split(body, maxsplit=1)[0]
                nxt = cues.SELF.search(fold(body), 1)
                if nxt:
                    body = body[: nxt.start()]
                body = _clean_task(body)
                if verb not in cues.TASK_VERBS:
                    continue
                if cues.PRONOUN_OBJECT.match(fold(body)):
                    accepted = self._accepts_earlier(line)
                    if accepted is not None:
                        # "yes! and I'll write it with Lorraine quiet until the last line"
                        if len(content_set(body) - GENERIC_WORDS) >= 3:
                            accepted.add(body, find_due(sent.text))
                        continue
                    asked = self._open_request(line)
                    if asked is not None:
                        body = asked  # "can someone punch up the tag?" "I'll take it"
                    elif len(content_set(body) - GENERIC_WORDS) < 2:
                        continue  # "I'll try it": nothing says what "it" is
                if cues.NOT_WORK.match(fold(body)):
                    continue
                out.append(self._own(line, body, find_due(sent.text)))
            promised = self._promise(line, k)
            if promised:
                out.append(self._own(line, promised, find_due(promised)))
        return out

    def _promise(self, line: Line, k: int) -> str | None:
        """ "Updated map posted by Friday. Promise." -> the speaker's own item."""
        sent = line.sentences[k]
        if not cues.DUE.search(sent.folded) or cues.SELF.search(sent.folded):
            return None
        near = line.sentences[max(0, k - 1) : k + 2]
        if (
            any(cues.PROMISE.search(s.folded) for s in near)
            and len(sent.tokens) >= 2
            and self.thread.people.resolve_prefix(strip_fillers(sent.text)) is None
        ):
            return _clean_task(sent.text)
        return None

    def _own(self, line: Line, task: str, due: str | None) -> _Item:
        item = _Item(line.author, [], due, line, None)
        item.add(task, due)
        return item

    def _accepts_earlier(self, line: Line) -> _Item | None:
        """ "I'll do it" just after being asked: the earlier item, accepted."""
        for item in reversed(self.items):
            if line.index - item.line.index > ACCEPT_WINDOW:
                break
            if item.owner == line.author and item.asked_by is not None:
                return item
        return None

    def _open_request(self, line: Line) -> str | None:
        """The work someone just asked of nobody in particular ("can someone punch up the
        tag?", "who's writing the tow scene?"), which this message takes on."""
        for prev in reversed(self.thread.lines[max(0, line.index - ACCEPT_WINDOW) : line.index]):
            if prev.author == line.author:
                continue
            for sent in prev.sentences:
                match = _ANYONE.match(sent.folded)
                if match:
                    body = _clean_task(sent.text[match.end() :])
                    if len(content_set(body)) >= 2:
                        return body
        return None

    def _taken(self, line: Line) -> None:
        """The owner's "yep, Monday" fills a missing due date."""
        if not cues.TAKEN.match(line.folded):
            return
        for item in reversed(self.items):
            if line.index - item.line.index > ACCEPT_WINDOW:
                break
            if item.owner == line.author and item.due is None:
                item.due = find_due(line.text) or _bare_day(line.text)
                return

    # -- one item per piece of work ----------------------------------------------
    def _keep(self, new: _Item) -> None:
        """Merge work that is the same work: same owner, and the same message, two shared
        words, a follow-up about "it" sharing one, or the speaker's own note moments later."""
        pronoun = any(cues.PRONOUN_OBJECT.match(fold(p)) for p in new.parts)
        for item in self.items:
            if item.owner != new.owner or len(item.parts) >= 4:
                continue
            shared = len(item.tokens & new.tokens)
            soon = new.asked_by is None and new.line.index - item.line.index <= 3
            if item.line is new.line or shared >= 2 or (pronoun and shared >= 1) or soon:
                for part in new.parts:
                    item.add(part, new.due)
                return
        self.items.append(new)

    def assigned(self) -> dict[int, frozenset[str]]:
        """The stems of the work given or taken at each line, by line index."""
        out: dict[int, frozenset[str]] = {}
        for item in self.items:
            out[item.line.index] = out.get(item.line.index, frozenset()) | item.tokens
        return out

    def _finish(self, item: _Item) -> ActionItem:
        return ActionItem(item.owner, "; ".join(item.parts), item.due, item.line.point())


_DAY_ONLY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b(?:\s+night)?", re.I)


def _bare_day(text: str) -> str | None:
    match = _DAY_ONLY.search(text)
    return match.group() if match else None


def detect_actions(thread: Thread) -> ActionFinder:
    """Find the action items; the finder also keeps who asked for work, and where."""
    finder = ActionFinder(thread)
    finder.items_found = finder.run()
    return finder
