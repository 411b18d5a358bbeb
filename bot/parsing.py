"""Turning what a writer types into a command and typed arguments, once.

``/dialogue Mara Jonah: the airlock argument`` -> ``Parsed(<dialogue>,
DialogueArgs(characters=("Mara", "Jonah"), situation="the airlock argument"))``.

Words are split on spaces; "double quotes" (straight or curly) group words; apostrophes
are ordinary letters, so "can't" never breaks a line. ``name:value`` or ``name=value``
sets a parameter by name. A ``text`` parameter takes the rest of the line as typed.
Platforms that deliver typed options (Discord) go through ``bind`` instead, with the same
checks into the same dataclass; ``parse_options`` does that for a command known by name
(a shortcut, a job record read back after a restart).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.params import params_of
from bot.registry import CommandSpec, Param, Registry, Resolved, closest
from core.errors import UsageError
from core.text import check_length, clean_name, clean_text
from core.types import Args

_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
_KEYWORD = re.compile(r"^([a-z_]+)[:=](.*)$", re.DOTALL)
MAX_STRING = 200


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # offset of the token in the line
    end: int
    quoted: bool = False


def tokenize(line: str) -> list[Token]:
    """Split on whitespace; quoted phrases are one token. An unclosed quote runs to the end."""
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        start = i
        closing = _QUOTES.get(line[i])
        if closing:
            j = line.find(closing, i + 1)
            j = n if j == -1 else j
            tokens.append(Token(line[i + 1 : j], start, min(j + 1, n), quoted=True))
            i = j + 1
            continue
        while i < n and not line[i].isspace():
            i += 1
        tokens.append(Token(line[start:i], start, i))
    return tokens


@dataclass(frozen=True, slots=True)
class Parsed:
    """A command line read once: the leaf it names and that leaf's typed arguments.

    It travels on to the dispatcher, which runs ``resolved.leaf`` without looking it up
    again; adapters ask it what they need to know first (``destructive``, ``needs_thread``).
    """

    resolved: Resolved
    args: Args

    @property
    def destructive(self) -> bool:
        return self.resolved.leaf.destructive

    @property
    def needs_thread(self) -> bool:
        """The command reads the thread it is asked in: it needs one and was given nothing."""
        leaf = self.resolved.leaf
        return leaf.needs_thread and self.args == leaf.args_type()


def parse(registry: Registry, line: str, limit: int = 8000) -> Parsed:
    """Parse one typed command line (with or without the leading slash)."""
    check_length(line, limit, "That message")
    text = clean_text(line)
    if text.startswith("/"):
        text = text[1:]
    tokens = tokenize(text)
    if not tokens:
        raise UsageError("Type a command, for example /help.")
    name = tokens[0].text.lower()
    spec = registry.get(name)
    rest = tokens[1:]
    sub = None
    given: dict[str, Any] = {}
    if spec is not None and spec.is_group:
        named = bool(rest) and not rest[0].quoted
        if named and (spec.default is None or spec.sub(rest[0].text.lower()) is not None):
            sub = rest[0].text
            rest = rest[1:]
        elif spec.default is not None:
            sub, given, rest = _subject_first(spec, rest)
    resolved = registry.resolve(name, sub)
    line_rest = text[rest[0].start :] if rest else ""
    offset = rest[0].start if rest else len(text)
    return Parsed(resolved, _assign(resolved, rest, line_rest, offset, given))


def parse_options(
    registry: Registry, command: str, subcommand: str | None, options: Mapping[str, Any]
) -> Parsed:
    """A command named by code, with options as a platform or a stored job gives them."""
    resolved = registry.resolve(command, subcommand)
    return Parsed(resolved, bind(resolved, options))


def _subject_first(
    group: CommandSpec[Any], tokens: list[Token]
) -> tuple[str, dict[str, Any], list[Token]]:
    """A group's default leaf takes the words, unless the word after its first argument
    names another subcommand: ``/portrait Mara pose leaning`` -> ("pose", {"name": "Mara"},
    ["leaning"]). The subject is read as the default leaf reads it ("Mara Quell"). A group
    whose leaves share no subject (``hands_subject``) gives every word to its default."""
    default = group.default or ""
    leaf = group.sub(default)
    assert leaf is not None  # the registry checked it
    if not tokens or (not tokens[0].quoted and _KEYWORD.match(tokens[0].text)):
        return default, {}, tokens
    if not group.hands_subject:
        return default, {}, tokens
    pending = [p for p in leaf.params if not p.keyword_only]
    subject, j = _take_string(pending[0], pending, tokens, 0)
    if j < len(tokens) and not tokens[j].quoted:
        other = group.sub(tokens[j].text.lower())
        if other is not None and other is not leaf:
            return other.name, {pending[0].name: subject}, tokens[j + 1 :]
    return default, {}, tokens


def _assign(
    resolved: Resolved, tokens: list[Token], raw: str, offset: int, given: dict[str, Any]
) -> Args:
    params = resolved.leaf.params
    by_name = {p.name: p for p in params}
    positional: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        m = None if tok.quoted else _KEYWORD.match(tok.text)
        if m and m.group(1) in by_name:
            param = by_name[m.group(1)]
            value = m.group(2)
            if param.type == "text":  # a named text parameter takes the rest of the line
                value = raw[tok.start - offset + len(m.group(1)) + 1 :]
                i = len(tokens)
            elif not value and i + 1 < len(tokens):
                value = tokens[i + 1].text
                i += 1
            given[param.name] = _strip_quotes(value)
            i += 1
            continue
        positional.append(tok)
        i += 1

    pending = [p for p in params if p.name not in given and not p.keyword_only]
    j = 0
    for param in pending:
        if j >= len(positional):
            break
        if param.type == "text":
            given[param.name] = raw[positional[j].start - offset :]
            # a text parameter swallows the rest, keyword tokens after it included
            j = len(positional)
            break
        if param.type == "names":
            names, j = _take_names(positional, j, raw, offset)
            given[param.name] = names
            continue
        given[param.name], j = _take_string(param, pending, positional, j)
    if j < len(positional):
        extra = " ".join(t.text for t in positional[j:])
        raise UsageError(f"I don't know what to do with '{_short(extra)}'.", resolved.usage())
    return bind(resolved, given)


_ARTICLES = frozenset({"a", "an", "the", "my", "our", "her", "his", "their", "she", "he", "they"})


_POSSESSIVE = re.compile(r"['’]s?$")


def _take_string(
    param: Param, pending: list[Param], tokens: list[Token], j: int
) -> tuple[str, int]:
    """One token; for a name followed only by free text, its capitalised words ("Mara
    Quell"); for a name followed by a choice, the words before the first choice ("/location
    edit Lamp Room look …"); for a name and nothing else, all its words ("lamp room")."""
    first = tokens[j]
    after = pending[pending.index(param) + 1 :]
    if not first.quoted and param.name == "name" and after and after[0].type == "choice":
        return _name_before_choice(after[0], tokens, j)
    if not first.quoted and param.name == "name" and not after:  # the name is all there is
        return " ".join(t.text for t in tokens[j:]), len(tokens)
    if first.quoted or param.name != "name" or any(p.type != "text" for p in after):
        return first.text, j + 1
    words = [first.text]
    j += 1
    while j < len(tokens) and len(words) < 4:
        tok, prev = tokens[j], tokens[j - 1]
        if (
            tok.quoted
            or not tok.text[:1].isupper()
            or _KEYWORD.match(tok.text)
            or tok.text.lower() in _ARTICLES
            or tok.start > prev.end + 1  # an option:value stood between them
            or _POSSESSIVE.search(tok.text)
        ):  # "Mara's brother" starts a brief
            break
        words.append(tok.text)
        j += 1
    return " ".join(words), j


_MAX_NAME_WORDS = 6


def _name_before_choice(choice: Param, tokens: list[Token], j: int) -> tuple[str, int]:
    """The words from ``j`` up to the first that is one of ``choice``'s values; just the
    first word when none is near."""
    for k in range(j + 1, min(len(tokens), j + _MAX_NAME_WORDS + 1)):
        if tokens[k].quoted or _KEYWORD.match(tokens[k].text):
            break
        if tokens[k].text.lower() in choice.choices:
            return " ".join(t.text for t in tokens[j:k]), k
    return tokens[j].text, j + 1


def _take_names(tokens: list[Token], j: int, raw: str, offset: int) -> tuple[list[str], int]:
    """Names up to a colon ("Mara, Old Tom: the airlock"), else leading capitalised words."""
    for k in range(j, len(tokens)):
        if tokens[k].text.endswith(":") and not tokens[k].quoted:
            segment = raw[tokens[j].start - offset : tokens[k].end - offset - 1]
            parts = re.split(r",|\band\b|&", segment) if "," in segment else segment.split()
            return [p for p in (x.strip() for x in parts) if p], k + 1
    names: list[str] = []
    while j < len(tokens):
        tok = tokens[j]
        word = tok.text.rstrip(",")
        if tok.quoted or (word[:1].isupper() and word.lower() not in ("and", "the", "a")):
            names.append(word)
            j += 1
        elif word.lower() in ("and", "&") and names:
            j += 1
        else:
            break
    if not names and j < len(tokens):
        names.append(tokens[j].text)
        j += 1
    return names, j


def bind(resolved: Resolved, given: Mapping[str, Any]) -> Args:
    """Check and convert arguments (typed by a platform, parsed from text, or stored) into
    the leaf's arguments dataclass; what is not given takes the field's default."""
    usage = resolved.usage()
    params = params_of(resolved.leaf.args_type)
    unknown = set(given) - {p.name for p in params}
    if unknown:
        raise UsageError(f"Unknown option {', '.join(sorted(unknown))}.", usage)
    given = _names_as_typed(params, given, usage)
    values: dict[str, Any] = {}
    for p in params:
        value = given.get(p.name)
        if value is None or value == "" or value == [] or value == ():
            if p.required:
                raise UsageError(f"Missing {p.name}: {p.help[0].lower()}{p.help[1:]}", usage)
            continue
        values[p.name] = _convert(p, value, usage)
    return resolved.leaf.args_type(**values)


def _names_as_typed(
    params: tuple[Param, ...], given: Mapping[str, Any], usage: str
) -> Mapping[str, Any]:
    """Names typed into one text option (Discord's) read the way the same words typed on a
    command line are: "Mara Quell: the airlock" is the names before the colon, and the
    rest goes to the text parameter after them (before what that option holds). Without a
    colon every word is a name. Words of one name typed apart ("Mara", "Quell") are put
    back together by the command, which knows the story's names."""
    out = dict(given)
    for i, p in enumerate(params):
        value = out.get(p.name)
        if p.type != "names" or not isinstance(value, str) or not value.strip():
            continue
        tokens = tokenize(clean_text(value))
        if not tokens:
            continue
        raw = clean_text(value)
        if any(t.text.endswith(":") and not t.quoted for t in tokens):
            names, j = _take_names(tokens, 0, raw, 0)
        else:  # the option holds names only, in any case: "mara, old tom"
            names = [t.text.rstrip(",") for t in tokens if t.text.lower() not in ("and", "&", ",")]
            j = len(tokens)
        out[p.name] = [n for n in names if n]
        rest = raw[tokens[j].start :].strip() if j < len(tokens) else ""
        if not rest:
            continue
        text = next((q for q in params[i + 1 :] if q.type == "text"), None)
        if text is None:
            raise UsageError(f"I don't know what to do with '{_short(rest)}'.", usage)
        out[text.name] = " ".join(x for x in (rest, str(out.get(text.name) or "")) if x)
    return out


def as_options(args: Args) -> dict[str, Any]:
    """Typed arguments as plain options (what ``bind`` reads back): for job records."""
    return {f.name: _plain(getattr(args, f.name)) for f in dataclasses.fields(args)}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _convert(p: Param, value: Any, usage: str) -> Any:
    if p.type == "integer":
        try:
            number = int(str(value).strip())
        except ValueError:
            given = _short(str(value))
            raise UsageError(f"{p.name} must be a whole number, not '{given}'.", usage) from None
        if (p.min_value is not None and number < p.min_value) or (
            p.max_value is not None and number > p.max_value
        ):
            raise UsageError(f"{p.name} must be between {p.min_value} and {p.max_value}.", usage)
        return number
    if p.type == "choice":
        choice = clean_name(str(value)).lower().replace(" ", "_").replace("-", "_")
        if choice not in p.choices:
            hint = closest(choice, list(p.choices))
            raise UsageError(
                f"{p.name} must be one of: {', '.join(p.choices)}."
                + (f" Did you mean {hint}?" if hint else ""),
                usage,
            )
        return choice
    if p.type == "names":
        items = value if isinstance(value, list | tuple) else re.split(r",|\s+", str(value))
        names = [clean_name(str(v)) for v in items]
        names = [n for n in names if n]
        if not names:
            raise UsageError(f"Missing {p.name}.", usage)
        for n in names:
            if len(n) > 80:
                raise UsageError(f"The name '{_short(n)}' is too long (80 characters at most).")
        return tuple(names)
    if p.type == "text":
        text = clean_text(str(value))
        if p.max_length and len(text) > p.max_length:
            raise UsageError(f"{p.name} is too long ({p.max_length:,} characters at most).")
        return text
    text = clean_name(str(value)) if p.autocomplete else clean_text(str(value))
    limit = p.max_length or MAX_STRING
    if len(text) > limit:
        raise UsageError(f"{p.name} is too long ({limit} characters at most).", usage)
    if not text and p.required:
        raise UsageError(f"Missing {p.name}.", usage)
    return text


def _strip_quotes(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == _QUOTES[value[0]]:
        return value[1:-1]
    return value


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
