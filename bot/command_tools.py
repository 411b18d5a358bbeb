"""The command registry as a model's tool list, and a model's call back into a command.

One tool per command and subcommand a sentence may reach, parameters and descriptions
taken from the ``CommandSpec``, so the tools never drift from the commands. The model's
call is bound through ``bind``, exactly like a platform's typed options: an unknown name,
a bad value or a destructive command is refused the same way, and ``/story forget`` is
never offered nor accepted.
"""

from __future__ import annotations

from typing import Any

from bot.params import Param
from bot.parsing import Parsed, as_options, parse_options
from bot.registry import Registry, Resolved
from core.errors import CommandError, UsageError
from generation.tools import Tool, ToolCall

NEVER = frozenset({"story forget"})
"""Commands no sentence may reach: typed only, with their own confirmation."""


def tool_name(resolved: Resolved) -> str:
    return resolved.path.replace(" ", "_")


def _schema(p: Param) -> dict[str, Any]:
    if p.type == "integer":
        schema: dict[str, Any] = {"type": "integer"}
        if p.min_value is not None:
            schema["minimum"] = p.min_value
        if p.max_value is not None:
            schema["maximum"] = p.max_value
    elif p.type == "choice":
        schema = {"type": "string", "enum": list(p.choices)}
    elif p.type == "names":
        schema = {"type": "array", "items": {"type": "string"}}
    else:
        schema = {"type": "string"}
        if p.max_length:
            schema["maxLength"] = p.max_length
    schema["description"] = p.help
    return schema


def tools(registry: Registry) -> list[Tool]:
    """One tool per leaf a sentence may reach, from the registry itself."""
    found = []
    for resolved in registry.leaves():
        if resolved.path in NEVER or resolved.leaf.destructive:
            continue
        params = resolved.leaf.params
        examples = "; ".join(resolved.leaf.examples[:2])
        found.append(
            Tool(
                tool_name(resolved),
                resolved.leaf.help + (f" Examples: {examples}" if examples else ""),
                {
                    "type": "object",
                    "properties": {p.name: _schema(p) for p in params},
                    "required": [p.name for p in params if p.required],
                    "additionalProperties": False,
                },
            )
        )
    return found


def from_call(registry: Registry, call: ToolCall) -> Parsed:
    """The command a model's tool call names, bound and checked like typed options.

    Raises ``CommandError`` with a sentence for the writer when the call is not one the
    bot can run: an unknown tool, junk arguments, bad values, or a destructive command."""
    leaves = {tool_name(r): r for r in registry.leaves()}
    resolved = leaves.get(call.name)
    if resolved is None:
        raise UsageError(f"I can't do '{call.name}'. Type /help to see what I can do.")
    if resolved.path in NEVER or resolved.leaf.destructive:
        raise CommandError(
            f"/{resolved.path} is never run from a sentence; type it yourself to see what "
            "it would do first."
        )
    if call.arguments is None:
        raise UsageError("I could not read what the model asked for; say it another way.")
    return parse_options(registry, resolved.group.name, resolved.subcommand, call.arguments)


def as_line(parsed: Parsed) -> str:
    """A parsed command written back as the line that parses to it."""
    words = [f"/{parsed.resolved.path}"]
    options = as_options(parsed.args)
    for p in parsed.resolved.leaf.params:
        value = options.get(p.name)
        if value in (None, "", [], ()):
            continue
        if p.type == "names":
            words.append(f"{p.name}:{', '.join(str(v) for v in value)}".replace(" ", "\u00a0"))
        elif p.type == "text":
            words.append(f"{p.name}:{value}")
            break  # a text option takes the rest of the line
        else:
            text = str(value)
            words.append(f'{p.name}:"{text}"' if " " in text else f"{p.name}:{text}")
    return " ".join(words).replace("\u00a0", " ")
