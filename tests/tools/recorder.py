"""A Responder that records what a command sends, in the order it was sent."""

from __future__ import annotations

from datetime import datetime

from core.types import ChatMessage, HistoryThread, MessageHandle, Place, Reply, Shown


class Recorder:
    def __init__(self, place: Place) -> None:
        self.place = place
        self.replies: list[Reply] = []
        self.handles: list[MessageHandle] = []

    async def post(self, reply: Reply) -> MessageHandle:
        self.replies.append(reply)
        n = len(self.replies)
        thread = self.place.thread or f"t{n}"
        handle = MessageHandle(str(n), self.place.in_thread(thread), thread)
        self.handles.append(handle)
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        self.replies.append(reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        return None

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        return []

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        return None

    def finals(self) -> list[Reply]:
        return [r for r in self.replies if not r.partial]
