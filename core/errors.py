"""Every exception the bot raises on purpose.

The tree, in the way httpx draws its own::

    WritersroomError            root: anything the bot raises deliberately
    ├── ConfigError             bad or missing settings; fails at start, names the key
    ├── MissingExtra            an optional dependency is not installed; names the extra
    └── CommandError            an expected failure the user should read
        ├── UsageError          the command was typed wrong; carries the usage line
        ├── NotFound            a character, story or thread that does not exist
        ├── Conflict            the change clashes with the bible (a duplicate name)
        ├── InputTooLong        input over the size limit
        └── GenerationError     the text or image engine failed in a way we can explain

Two tiers, handled in one place (bot/dispatch.py): a ``CommandError`` is shown to the
user as it is; anything else is logged with its traceback and answered with a short
apology carrying an error id.
"""

from __future__ import annotations


class WritersroomError(Exception):
    """Root of every exception the bot raises deliberately."""


class ConfigError(WritersroomError):
    """A setting is missing or malformed. The message names the key."""


class MissingExtra(WritersroomError):
    """An optional dependency is not installed."""

    def __init__(self, extra: str, package: str, purpose: str) -> None:
        self.extra = extra
        self.package = package
        super().__init__(
            f"{purpose} needs the '{package}' package. "
            f"Install it with: pip install 'writersroom[{extra}]'"
        )


class CommandError(WritersroomError):
    """An expected failure with a message meant for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class UsageError(CommandError):
    """The command was typed wrong. ``usage`` is the line that shows how to type it."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        self.usage = usage
        full = f"{message}\nUsage: {usage}" if usage else message
        super().__init__(full)


class NotFound(CommandError):
    """Something the user named does not exist in this channel's story."""


class InputTooLong(CommandError):
    """Input longer than the bot accepts."""


class GenerationError(CommandError):
    """The text or image engine failed; the message says what to do about it."""


class Conflict(CommandError):
    """The change clashes with what the bible already holds (a duplicate name)."""
