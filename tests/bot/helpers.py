"""Drive the terminal adapter with injected streams."""

from __future__ import annotations

import io

from bot.adapters.terminal import Terminal
from bot.app import App


class Session:
    """A terminal session on an app: ``await s.say('/help')`` returns what was printed."""

    def __init__(self, app: App, channel: str = "general", user: str = "dana") -> None:
        self.out = io.StringIO()
        self.term = Terminal(
            app, channel=channel, user=user, stdin=io.StringIO(), stdout=self.out, interactive=False
        )

    async def say(self, line: str) -> str:
        start = self.out.tell()
        await self.term.handle_line(line)
        self.out.seek(start)
        text = self.out.read()
        return text
