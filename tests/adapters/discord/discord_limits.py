"""The limits Discord's API holds a bot's payloads to, for the fake Discord.

One check for each kind of payload a bot sends refuses what Discord's API refuses, as it
does (400 Invalid Form Body, code 50035): ``check_message`` (content, embeds, buttons and
select menus), ``check_modal``, ``check_thread`` (a new thread or forum post),
``check_commands`` (a command tree's sync) and ``check_autocomplete`` (an autocomplete's
choices).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from tests.adapters.discord.payloads import discord_error

# --- Discord's limits, as its API enforces them ------------------------------------------
#
# Each check refuses what Discord's API refuses, as it does: 400 Invalid Form Body (code
# 50035), naming the problems. The limits are those of Discord's API reference
# (github.com/discord/discord-api-docs: interactions/application-commands.mdx and
# receiving-and-responding.mdx, components/reference.mdx, resources/message.mdx and
# channel.mdx), as of August 2026.

CHAT_INPUT, USER_MENU, MESSAGE_MENU = 1, 2, 3  # application command types
SUBCOMMAND, GROUP, STRING, INTEGER, NUMBER = 1, 2, 3, 4, 10  # option types
SELECTS = (3, 5, 6, 7, 8)  # string, user, role, mentionable and channel select menus
COMMANDS_MAX = {CHAT_INPUT: 100, USER_MENU: 15, MESSAGE_MENU: 15}  # per scope
COMMAND_CHARS = 8000  # a slash command's names, descriptions and choices (4,000 until 2024)
EXACT = 2**53  # integer and number options hold a double's exact integers
ARCHIVE_MINUTES = (60, 1440, 4320, 10080)
# Devanagari and Thai (their vowel signs are marks, not letters), as blocks
_DEVA_THAI = ((0x0900, 0x097F), (0x0E00, 0x0E7F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise discord_error(400, 50035, "Invalid Form Body: " + "; ".join(problems))


def _fits(value: Any, low: int, high: int) -> bool:
    """A string of ``low`` to ``high`` characters."""
    return isinstance(value, str) and low <= len(value) <= high


def slash_name(name: Any) -> bool:
    """A slash command's or option's name as Discord takes it:
    ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where a letter has a
    lowercase form."""
    if not _fits(name, 1, 32) or name.lower() != name:
        return False
    return all(
        ch in "-_'"
        or unicodedata.category(ch)[0] in "LN"
        or any(low <= ord(ch) <= high for low, high in _DEVA_THAI)
        for ch in name
    )


def check_message(p: dict[str, Any]) -> None:
    """Refuse a message Discord refuses: content over 2,000 characters, embeds over their
    limits, components other than up to five action rows of up to five buttons or one
    select menu each (with their ids, labels and options within limits)."""
    problems = []
    if len(p.get("content") or "") > 2000:
        problems.append("content longer than 2000")
    problems += _embed_problems(p.get("embeds") or [])
    problems += _component_problems(p.get("components") or [])
    _refuse(problems)


def _embed_problems(embeds: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for e in embeds:
        title, desc = e.get("title", ""), e.get("description", "")
        fields = e.get("fields", [])
        footer = (e.get("footer") or {}).get("text", "")
        author = (e.get("author") or {}).get("name", "")
        if len(title) > 256 or len(desc) > 4096 or len(fields) > 25 or len(footer) > 2048:
            problems.append("embed over a limit")
        if len(author) > 256:
            problems.append("embed author name longer than 256")
        for f in fields:
            if not f["name"] or not f["value"] or len(f["name"]) > 256 or len(f["value"]) > 1024:
                problems.append("bad embed field")
        total += len(title) + len(desc) + len(footer) + len(author)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        problems.append("embeds over 6000 characters")
    return problems


def _component_problems(rows: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(rows) > 5:
        problems.append("too many components: more than 5 action rows")
    ids = []
    for row in rows:
        children = row.get("components") or []
        if row.get("type", 1) != 1 or not children:
            problems.append("a row is an action row of components")
        if len(children) > 5:
            problems.append("too many components: more than 5 in a row")
        if len(children) > 1 and any(c.get("type") in SELECTS for c in children):
            problems.append("a select menu fills its row alone")
        for c in children:
            problems += _button_problems(c) if c.get("type") == 2 else _select_problems(c)
            if c.get("custom_id"):
                ids.append(c["custom_id"])
    if len(ids) != len(set(ids)):
        problems.append("custom_id used twice in one message")
    return problems


def _button_problems(c: dict[str, Any]) -> list[str]:
    problems = []
    if len(c.get("label") or "") > 80:
        problems.append("button label longer than 80")
    if c.get("style") == 5:  # a link: a url, no custom_id
        if not _fits(c.get("url"), 1, 512) or "custom_id" in c:
            problems.append("link button")
    elif c.get("style") != 6 and not _fits(c.get("custom_id"), 1, 100):  # 6: premium
        problems.append("button custom_id not 1-100 characters")
    return problems


def _select_problems(c: dict[str, Any]) -> list[str]:
    if c.get("type") not in SELECTS:
        return [f"component type {c.get('type')} in an action row"]
    problems = []
    if not _fits(c.get("custom_id"), 1, 100):
        problems.append("select custom_id not 1-100 characters")
    if len(c.get("placeholder") or "") > 150:
        problems.append("select placeholder longer than 150")
    low, high = c.get("min_values", 1), c.get("max_values", 1)
    if not 0 <= low <= 25 or not 1 <= high <= 25 or low > high:
        problems.append("select min_values/max_values")
    if c["type"] == 3:  # a string select: its own options
        options = c.get("options") or []
        if not 1 <= len(options) <= 25 or high > len(options):
            problems.append("select holds 1-25 options, at least max_values")
        for o in options:
            if not _fits(o.get("label"), 1, 100) or not _fits(o.get("value"), 1, 100):
                problems.append("select option label/value not 1-100 characters")
            if len(o.get("description") or "") > 100:
                problems.append("select option description longer than 100")
        if len({o.get("value") for o in options}) != len(options):
            problems.append("select option values repeat")
    return problems


def check_modal(data: dict[str, Any]) -> None:
    """Refuse a modal Discord refuses: a title over 45 characters, more than five inputs
    (in action rows, or Labels), an id over 100 (or one used twice), a label over 45, a
    placeholder over 100, a length limit outside 0-4,000, a value longer than its input
    allows (a labelled select menu: as in a message)."""
    problems = []
    if not 1 <= len(data.get("title") or "") <= 45:
        problems.append("title")
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        problems.append("custom_id")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append("between 1 and 5 components")
    ids = []
    for row in rows:
        if row.get("type") == 18:  # a Label around one input
            inputs, label = [row.get("component") or {}], row.get("label")
            if len(row.get("description") or "") > 100:
                problems.append("label description")
        else:
            inputs, label = row.get("components") or [], None
            if len(inputs) != 1:
                problems.append("one input an action row")
        for c in inputs:
            ids.append(c.get("custom_id"))
            labelled_select = row.get("type") == 18 and c.get("type") in SELECTS
            problems += _select_problems(c) if labelled_select else _input_problems(c, label)
    if len(ids) != len(set(ids)):
        problems.append("input custom_id used twice")
    _refuse(problems)


def _input_problems(c: dict[str, Any], label: str | None) -> list[str]:
    """A text input (``label``: its Label's, when in one)."""
    problems = []
    if c.get("type") != 4 or not 1 <= len(label or c.get("label") or "") <= 45:
        problems.append("input label")
    if c.get("style", 1) not in (1, 2):
        problems.append("input style")
    if not 1 <= len(c.get("custom_id") or "") <= 100:
        problems.append("input custom_id")
    low, high = c.get("min_length"), c.get("max_length")
    if low is not None and not 0 <= low <= 4000:
        problems.append("input min_length")
    if high is not None and not 1 <= high <= 4000:
        problems.append("input max_length")
    if low is not None and high is not None and low > high:
        problems.append("input min_length over max_length")
    if len(c.get("value") or "") > min(int(high or 4000), 4000):
        problems.append("input value")
    if len(c.get("placeholder") or "") > 100:
        problems.append("placeholder")
    return problems


def check_thread(p: dict[str, Any]) -> None:
    """Refuse a new thread (or forum post) Discord refuses: a name not 1-100 characters, an
    archive time other than 1 hour, 1, 3 or 7 days, a slowmode outside 0-21,600 seconds,
    more than 5 tags."""
    problems = []
    if not _fits(p.get("name"), 1, 100) or not p["name"].strip():
        problems.append("name not 1-100 characters")
    if p.get("auto_archive_duration", 1440) not in ARCHIVE_MINUTES:
        problems.append("auto_archive_duration")
    if not 0 <= (p.get("rate_limit_per_user") or 0) <= 21600:
        problems.append("rate_limit_per_user")
    if len(p.get("applied_tags") or []) > 5:
        problems.append("applied_tags: more than 5")
    _refuse(problems)


def check_commands(commands: list[dict[str, Any]]) -> None:
    """Refuse a bulk overwrite of an application's commands (``PUT .../commands``, globally
    or in a guild: what ``CommandTree.sync`` sends) that Discord refuses: in one scope at
    most 100 slash commands and 15 message and 15 user menus, names unique per type; each
    slash command within its limits (``_node_problems``) and 8,000 characters in all; a
    menu's name 1-32 characters (any case, spaces allowed)."""
    problems = []
    for kind, most in COMMANDS_MAX.items():
        names = [c.get("name") for c in commands if c.get("type", CHAT_INPUT) == kind]
        if len(names) > most:
            problems.append(f"more than {most} commands of type {kind}")
        if len(set(names)) != len(names):
            problems.append(f"commands of type {kind} share a name")
    for i, command in enumerate(commands):
        where = f"{i} ({command.get('name')})"
        kind = command.get("type", CHAT_INPUT)
        if kind == CHAT_INPUT:
            problems += _node_problems(command, where, "command")
            if _chars(command) > COMMAND_CHARS:
                problems.append(f"{where}: more than {COMMAND_CHARS} characters")
        elif kind in (USER_MENU, MESSAGE_MENU):
            if not _fits(command.get("name"), 1, 32):
                problems.append(f"{where}.name not 1-32 characters")
        else:
            problems.append(f"{where}.type {kind}")
    _refuse(problems)


def _node_problems(node: dict[str, Any], where: str, level: str) -> list[str]:
    """A slash command, subcommand group or subcommand: a name and a 1-100 character
    description; at most 25 options with unique names; subcommands only in a command (and
    then no other options), groups only at its top, one level deep; required options
    before optional ones."""
    problems = []
    if not slash_name(node.get("name")):
        problems.append(f"{where}.name")
    if not _fits(node.get("description"), 1, 100):
        problems.append(f"{where}.description not 1-100 characters")
    options = node.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: more than 25 options")
    if len({o.get("name") for o in options}) != len(options):
        problems.append(f"{where}: options share a name")
    nested = [o for o in options if o.get("type") in (SUBCOMMAND, GROUP)]
    if nested and len(nested) != len(options):
        problems.append(f"{where}: subcommands mixed with options")
    allowed = {"command": (SUBCOMMAND, GROUP), "group": (SUBCOMMAND,)}.get(level, ())
    seen_optional = False
    for j, o in enumerate(options):
        at = f"{where}.options[{j}] ({o.get('name')})"
        kind = o.get("type")
        if kind in (SUBCOMMAND, GROUP):
            if kind not in allowed:
                problems.append(f"{at}: nested deeper than Discord allows")
            else:
                problems += _node_problems(o, at, "group" if kind == GROUP else "subcommand")
            continue
        if level == "group":
            problems.append(f"{at}: a group holds only subcommands")
        problems += _option_problems(o, at)
        if o.get("required") and seen_optional:
            problems.append(f"{at}: required after an optional option")
        seen_optional = seen_optional or not o.get("required")
    return problems


def _option_problems(o: dict[str, Any], at: str) -> list[str]:
    """One option: a name and a 1-100 character description; up to 25 choices (strings,
    integers, numbers), never with autocomplete; lengths 0-6,000, values within 2**53."""
    problems = []
    kind = o.get("type")
    if not slash_name(o.get("name")):
        problems.append(f"{at}.name")
    if not _fits(o.get("description"), 1, 100):
        problems.append(f"{at}.description not 1-100 characters")
    choices = o.get("choices") or []
    if choices and kind not in (STRING, INTEGER, NUMBER):
        problems.append(f"{at}: choices on an option of type {kind}")
    if len(choices) > 25:
        problems.append(f"{at}: more than 25 choices")
    for k, choice in enumerate(choices):
        problems += _choice_problems(choice, kind, f"{at}.choices[{k}]")
    if o.get("autocomplete") and (choices or kind not in (STRING, INTEGER, NUMBER)):
        problems.append(f"{at}: autocomplete with choices, or on type {kind}")
    low, high = o.get("min_length"), o.get("max_length")
    if (low, high) != (None, None) and kind != STRING:
        problems.append(f"{at}: min_length/max_length on type {kind}")
    if (low is not None and not 0 <= low <= 6000) or (high is not None and not 1 <= high <= 6000):
        problems.append(f"{at}: min_length/max_length outside 0-6000")
    if low is not None and high is not None and low > high:
        problems.append(f"{at}: min_length over max_length")
    least, most = o.get("min_value"), o.get("max_value")
    if (least, most) != (None, None) and kind not in (INTEGER, NUMBER):
        problems.append(f"{at}: min_value/max_value on type {kind}")
    if any(v is not None and not -EXACT <= v <= EXACT for v in (least, most)):
        problems.append(f"{at}: min_value/max_value outside 2**53")
    if least is not None and most is not None and least > most:
        problems.append(f"{at}: min_value over max_value")
    return problems


def _choice_problems(choice: dict[str, Any], kind: Any, at: str) -> list[str]:
    """A choice (of an option, or an autocomplete result): a 1-100 character name and a
    value of the option's type, a string one of at most 100 characters."""
    problems = []
    if not _fits(choice.get("name"), 1, 100):
        problems.append(f"{at}.name not 1-100 characters")
    value = choice.get("value")
    if kind == STRING and not _fits(value, 0, 100):
        problems.append(f"{at}.value not a string of at most 100 characters")
    if kind == INTEGER and (type(value) is not int or not -EXACT <= value <= EXACT):
        problems.append(f"{at}.value not an integer")
    if kind == NUMBER and (type(value) not in (int, float) or not -EXACT <= value <= EXACT):
        problems.append(f"{at}.value not a number")
    return problems


def _chars(node: dict[str, Any]) -> int:
    """What counts toward a slash command's 8,000 characters: every name, description and
    choice name and value in it (of a localized field, its longest form)."""

    def longest(item: dict[str, Any], key: str) -> int:
        forms = [str(item.get(key) or ""), *(item.get(f"{key}_localizations") or {}).values()]
        return max(len(f) for f in forms)

    total = longest(node, "name") + longest(node, "description")
    for choice in node.get("choices") or []:
        total += longest(choice, "name") + len(str(choice.get("value", "")))
    return total + sum(_chars(o) for o in node.get("options") or [])


def check_autocomplete(data: dict[str, Any], kind: int = STRING) -> None:
    """Refuse an autocomplete result (interaction callback type 8) Discord refuses: more
    than 25 choices, a name not 1-100 characters, a value not of the focused option's
    ``kind`` (a string one at most 100 characters)."""
    choices = data.get("choices")
    if not isinstance(choices, list):
        _refuse(["choices missing"])
        return
    problems = [] if len(choices) <= 25 else ["more than 25 choices"]
    for i, choice in enumerate(choices):
        problems += _choice_problems(choice, kind, f"choices[{i}]")
    _refuse(problems)
