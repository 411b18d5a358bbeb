"""The follow-up vocabulary: what a line typed in a reply's thread asks for.

One vocabulary (``followups.toml``) and one parser, ``read``, for every place that
understands follow-ups: a draft's thread (save, another take, continue, pick an option,
or a revision), an image's thread (regenerate, variations, accept, show the prompt), and,
through ``FollowUp.instruction``, the engines: a revision the vocabulary knows reaches
them as the canonical "shorter" or "longer", anything else as the writer's own words.

Each table is compared the way the bot always compared it (see the file's header): a
draft's thread forgives punctuation and a trailing "please", an image's thread only
trailing ".!?", a revision only trailing "." or "!".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeVar

from generation.packdata import PackageDataError, load

Intent = Literal["save", "again", "continue", "revise"]
"""What a line in a draft's thread asks for; "revise" is anything not in the vocabulary."""

Revision = Literal["shorter", "longer"]
"""A revision every engine understands, whatever words the writer used for it."""

ImageAction = Literal["regenerate", "variations", "save", "prompt"]
"""What a line in an image's thread asks for."""

Words = tuple[str, ...]
T = TypeVar("T", bound=str)


@dataclass(frozen=True, slots=True)
class _Draft:
    save: Words
    again: Words
    continue_: Words
    polite: Words


@dataclass(frozen=True, slots=True)
class _Choose:
    verbs: Words
    option: str


@dataclass(frozen=True, slots=True)
class _Revise:
    shorter: Words
    longer: Words


@dataclass(frozen=True, slots=True)
class _Image:
    regenerate: Words
    variations: Words
    save: Words
    prompt: Words


@dataclass(frozen=True, slots=True)
class Vocabulary:
    draft: _Draft
    choose: _Choose
    revise: _Revise
    image: _Image


VOCABULARY: Vocabulary = load(Vocabulary, "generation", "followups.toml")


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A line from a reply's thread, read once.

    ``intent`` is what it asks of a draft; ``option`` the option it picks ("use 2"), for
    a thread that offers options; ``revision`` the canonical revision when ``intent`` is
    "revise" and the words are the vocabulary's; ``image`` what it asks of an image.
    """

    text: str
    intent: Intent
    option: int | None = None
    revision: Revision | None = None
    image: ImageAction | None = None

    @property
    def instruction(self) -> str:
        """What a revise task is told: "shorter", "longer", or the writer's words."""
        return self.revision or self.text


def _by_word(*groups: tuple[T, Words]) -> dict[str, T]:
    """Each word's meaning; a word with two meanings in one table is a bug in the file."""
    meaning: dict[str, T] = {}
    for name, words in groups:
        for word in words:
            if meaning.setdefault(word, name) != name:
                raise PackageDataError(f"followups.toml: {word!r} means two things")
    return meaning


_D, _I = VOCABULARY.draft, VOCABULARY.image
_DRAFT_WORDS: dict[str, Intent] = _by_word(
    ("save", _D.save), ("again", _D.again), ("continue", _D.continue_)
)
_IMAGE_WORDS: dict[str, ImageAction] = _by_word(
    ("regenerate", _I.regenerate),
    ("variations", _I.variations),
    ("save", _I.save),
    ("prompt", _I.prompt),
)
_POLITE = re.compile(r"\s+(" + "|".join(map(re.escape, VOCABULARY.draft.polite)) + r")$")
_VERBS = "|".join(map(re.escape, VOCABULARY.choose.verbs))
_OPTION = re.escape(VOCABULARY.choose.option)
_CHOOSE = re.compile(rf"(?:(?:{_VERBS})\s+(?:{_OPTION}\s+)?|{_OPTION}\s+)#?(\d{{1,2}})")


def _alone(words: Words) -> re.Pattern[str]:
    """One of the words, in any case, alone on the line but for a trailing "." or "!"."""
    return re.compile(r"^\s*(" + "|".join(map(re.escape, words)) + r")\s*[.!]*\s*$", re.I)


_REVISIONS: tuple[tuple[Revision, re.Pattern[str]], ...] = (
    ("shorter", _alone(VOCABULARY.revise.shorter)),
    ("longer", _alone(VOCABULARY.revise.longer)),
)


def read(text: str) -> FollowUp:
    """Everything the vocabulary says about one line of a thread."""
    what = _intent(text)
    return FollowUp(
        text,
        what,
        option=_chosen_option(text),
        revision=_revision(text) if what == "revise" else None,
        image=_image_action(text),
    )


def _intent(text: str) -> Intent:
    """What a line asks of a draft. Anything not recognised is a revision instruction."""
    words = re.sub(r"[^\w\s]", "", text.lower()).strip()
    return _DRAFT_WORDS.get(_POLITE.sub("", words), "revise")


def _chosen_option(text: str) -> int | None:
    """The option a line picks ("use 2", "pick option 3", "option 1"), or None."""
    m = _CHOOSE.fullmatch(re.sub(r"[^\w\s#]", "", text.lower()).strip())
    return int(m[1]) if m else None


def _revision(text: str) -> Revision | None:
    """The revision an instruction names ("Tighter.", "cut it down"), or None."""
    return next((name for name, pattern in _REVISIONS if pattern.match(text)), None)


_PARTS = re.compile(r"\s*(?:[,;]|\band then\b|\bthen\b|\band\b|\balso\b|\bplus\b)\s*", re.I)


def split_revision(text: str) -> tuple[Revision | None, str]:
    """A revision the vocabulary knows among other instructions, and the rest:
    "shorter, and make Mara angrier" -> ("shorter", "make Mara angrier"). (None, text)
    when no part of it is one the vocabulary knows."""
    parts = [p for p in _PARTS.split(text.strip()) if p.strip()]
    found: Revision | None = None
    rest: list[str] = []
    for part in parts:
        known = _revision(part)
        if known is not None and found is None:
            found = known
        elif known is None:
            rest.append(part.strip())
    if found is None:
        return None, text
    return found, ", ".join(rest)


def _image_action(text: str) -> ImageAction | None:
    """What a line asks of an image ("again", "more like this", "show the prompt")."""
    words = " ".join(text.lower().strip(" .!?").split())
    return _IMAGE_WORDS.get(words)


__all__ = ["VOCABULARY", "FollowUp", "ImageAction", "Intent", "Revision", "read", "split_revision"]
