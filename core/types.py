"""The types every layer speaks: where a request came from, what was asked, what goes back.

Adapters turn a platform event into an ``Invocation`` and a ``Reply`` into API calls.
Commands never see the platform: they read the ``Invocation`` and talk back through a
``Responder``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, Protocol, get_args

from typing_extensions import TypeVar

StoryKey = tuple[str, str, str]
"""(platform, workspace, channel): the key of a channel's story."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message lives. A thread belongs to its channel's story."""

    platform: str  # "slack" | "discord" | "terminal"
    workspace: str  # Slack team, Discord guild, or "local"
    channel: str
    thread: str | None = None

    @property
    def story_key(self) -> StoryKey:
        return (self.platform, self.workspace, self.channel)

    def in_thread(self, thread: str | None) -> Place:
        return Place(self.platform, self.workspace, self.channel, thread)


@dataclass(frozen=True, slots=True)
class Author:
    """Who asked. ``manager``: may run destructive commands on any story of the channel
    (Slack workspace admin or owner, Discord Manage Channels, the local terminal user)."""

    id: str
    name: str
    manager: bool = False


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message of a platform thread, as read for summaries (with a link where one exists)."""

    author: str
    author_id: str
    ts: str
    text: str
    link: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryThread:
    """One thread of a channel as read for a recap (``Responder.channel_history``): its
    messages of the period, oldest first; ``loose``: the channel's messages posted
    outside any thread, together."""

    messages: tuple[ChatMessage, ...]
    loose: bool = False
    title: str | None = None
    """What the thread is called, when its first message is older than the period."""
    link: str | None = None
    """Where the thread is (its first message), where the platform has links."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the platform lets a reply do."""

    upload_files: bool = False
    edit_messages: bool = False
    make_threads: bool = False
    max_message_chars: int = 4000
    buttons: bool = False
    """Whether a reply's actions show as buttons (otherwise only typed words act)."""


@dataclass(frozen=True, slots=True)
class Args:
    """The typed arguments of one command: each command declares a frozen dataclass of
    its own, a subclass of this (bot/params.py derives its parameters from the fields).

    The core only knows the base, so a command's arguments travel through every layer
    without the core importing the commands."""


@dataclass(frozen=True, slots=True)
class NoArgs(Args):
    """The arguments of a command that takes none."""


ActionKind = Literal[
    "regenerate", "continue", "save", "variations", "cancel", "retry", "choose", "forget", "run"
]
"""What a button does. Adapters encode any kind with its ref into the button's id, so a
new kind needs no adapter change; "run" runs the command line its ref carries (an
ask-back's reading of a plain-language request, checked like a typed line); "choose" picks
one of several options (ref
"<conversation id>.<option number>"); "forget" confirms /story forget (ref: when the
warning was shown, in whole seconds)."""


@dataclass(frozen=True, slots=True)
class FollowUpArgs(Args):
    """A plain message in a reply's thread (command ``FOLLOW_UP``)."""

    text: str


@dataclass(frozen=True, slots=True)
class ActionArgs(Args):
    """A button press (command ``ACTION``): what the button does, and to what."""

    action: ActionKind
    ref: str

    @classmethod
    def of(cls, action: str, ref: str) -> ActionArgs:
        """From a kind read back from a platform's button id; an unknown kind is a ValueError."""
        for kind in ACTION_KINDS:
            if kind == action:
                return cls(kind, ref)
        raise ValueError(f"unknown button kind {action!r}")


ACTION_KINDS: tuple[ActionKind, ...] = get_args(ActionKind)

A_co = TypeVar("A_co", bound=Args, covariant=True, default=Args)


@dataclass(frozen=True, slots=True)
class Invocation(Generic[A_co]):
    """One request from a writer: a command with typed arguments, or a thread follow-up.

    ``command`` is the top-level name ("character"), ``subcommand`` the verb ("new") or
    None; ``args`` are the command's own typed arguments, checked at the edge (the parser
    or a platform's typed options). A plain message in a bot thread arrives with
    ``command == FOLLOW_UP`` and ``FollowUpArgs``, a button press with ``ACTION`` and
    ``ActionArgs``. ``answer_at``: where its replies go when not ``place`` (asked in
    Slack's assistant panel about a channel: it works on the channel's story and answers
    in the panel's thread); a job keeps it, so a job resumed after a restart answers there.
    """

    command: str
    subcommand: str | None
    args: A_co
    raw: str
    place: Place
    author: Author
    capabilities: Capabilities = Capabilities()
    answer_at: Place | None = None

    @property
    def path(self) -> str:
        return f"{self.command} {self.subcommand}" if self.subcommand else self.command


FOLLOW_UP = "__follow_up__"
"""Command name of a plain message that continues a reply's thread (args: FollowUpArgs)."""

ACTION = "__action__"
"""Command name of a button press (args: ActionArgs)."""


@dataclass(frozen=True, slots=True)
class ReplyField:
    label: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Action:
    """A button under a reply. ``ref`` identifies what it acts on (a conversation or job id)."""

    kind: ActionKind
    label: str
    ref: str


@dataclass(frozen=True, slots=True)
class ImageRef:
    path: str
    alt: str
    filename: str


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file a reply carries (an export): uploaded where the platform allows.

    The content travels in memory, so nothing of the room's story is left on disk by
    Slack or Discord; a platform that cannot upload gets the file's path in the body
    instead (the command writes it under the data directory)."""

    filename: str
    content: bytes
    title: str = ""
    mime: str = "text/plain"


BodyFormat = Literal["markup", "fountain"]
"""What a reply's body is: the neutral markup, or a Fountain screenplay scene."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What a command sends back, in a small neutral markup or as a screenplay.

    With ``format="markup"``, ``body`` uses **bold**, _italic_, `code`, fenced code blocks,
    ``> quotes`` and ``- lists``; with ``format="fountain"`` it is a Fountain scene
    (core.fountain), laid out as a screenplay. The command that writes the body says which;
    each adapter renders by it (never by guessing) and splits at the platform's limits.
    """

    body: str = ""
    title: str | None = None
    fields: tuple[ReplyField, ...] = ()
    images: tuple[ImageRef, ...] = ()
    actions: tuple[Action, ...] = ()
    footer: str | None = None
    tone: Literal["result", "info", "error"] = "result"
    private: bool = False
    partial: bool = False
    """A streaming or progress state; adapters may coalesce it with newer ones (the newest
    wins), never the final one."""
    files: tuple[FileRef, ...] = ()
    """Files to upload with a final reply (adapters ignore them on partial states)."""
    format: BodyFormat = "markup"
    """What ``body`` is: the neutral markup, or a Fountain scene."""
    job: str | None = None
    """The job whose reply this is. A platform that can tag a message (Slack's message
    metadata) tags it with the job and whether the state is final, so a process taking
    the job over after a crash can tell what it had shown (``Responder.shown``)."""

    @classmethod
    def info(cls, body: str, title: str | None = None) -> Reply:
        return cls(body=body, title=title, tone="info")

    @classmethod
    def error(cls, body: str) -> Reply:
        return cls(body=body, tone="error")


@dataclass(frozen=True, slots=True)
class MessageHandle:
    """A sent message. ``thread`` is the thread the message lives in or has started."""

    id: str
    place: Place
    thread: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Shown:
    """What a job had shown on its platform: its message, and whether it was final."""

    handle: MessageHandle
    final: bool


class Responder(Protocol):
    """How a command talks back on one platform, within that platform's limits."""

    async def post(self, reply: Reply) -> MessageHandle:
        """Send a reply. A reply to a command starts a thread; in a thread it stays there."""
        ...

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        """Replace a sent message (streaming, progress). Adapters throttle edits."""
        ...

    async def progress(self, text: str, fraction: float | None = None) -> None:
        """Tell the writer how a long job is going."""
        ...

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        """Every message of the thread the invocation came from, oldest first (all pages).

        Platforms without readable history return []."""
        ...

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        """The channel's threads and loose messages posted from ``since`` on (a thread
        started earlier counts when it has replies since), at most ``limit`` messages in
        all, the newest kept. Raises CommandError where the platform cannot read them
        (no access to the channel, or not available on this platform yet)."""
        ...

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        """The newest message job ``job`` (made at ``since``, a Unix time) showed here,
        read back from the platform: in ``handle``'s thread when its first message is
        known, else where its replies go. None when there is none, or the platform cannot
        tell (then the caller knows only what the database says)."""
        ...
