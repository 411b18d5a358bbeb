"""The narrow async interface of storage, by role.

Commands depend on these Protocols, not on an engine. ``Store`` is every role together;
a part of the bot that needs one role can ask for just that one (``CastStore``...). The
one implementation (storage/store.py) runs on SQLite or PostgreSQL and passes the same
contract tests on both (tests/storage/test_contract_*.py).

Rules every driver keeps:
- every read-modify-write is one transaction; concurrent edits to one story lose nothing;
- every change to the bible appends a Revision (who, when, what, before, after); revisions
  are never updated, and undo appends a revision of its own;
- one active story per channel key; starting a new one archives the old;
- errors the writer should read are ``core.errors.NotFound`` / ``core.errors.Conflict``.
- story-scoped read-modify-writes lock the story's row, so they take turns on every engine.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any, Protocol, TypeVar

from core.board import BeatTarget, SceneTarget
from core.images import ImageRecord
from core.models import (
    Beat,
    Bible,
    Character,
    Conversation,
    ConversationMessage,
    JobRecord,
    JobState,
    Location,
    Note,
    Revision,
    Scene,
    Story,
    StoryKey,
    Usage,
)
from core.types import Author
from storage.accepted import AcceptedRequest
from storage.conversations import ThreadKey
from storage.coordination import Allowance, Decide, ProcessRecord
from storage.feedback import FeedbackCount, Vote
from storage.forget import Forgotten
from storage.installations import InstallationRow, InstallKind
from storage.links import BoardMark

__all__ = [
    "BoardMark",
    "FeedbackCount",
    "Forgotten",
    "InstallKind",
    "InstallationRow",
    "Store",
    "ThreadKey",
    "Vote",
]

T = TypeVar("T")


class StoryStore(Protocol):
    async def active_story(self, key: StoryKey) -> Story | None:
        """The channel's active story, or None if it has none yet."""
        ...

    async def ensure_story(self, key: StoryKey, actor: Author) -> Story:
        """The channel's active story, created (Untitled) if it has none."""
        ...

    async def new_story(
        self,
        key: StoryKey,
        actor: Author,
        title: str = "Untitled",
    ) -> tuple[Story, Story | None]:
        """Start a new active story; the old one (returned second) is archived, not lost."""
        ...

    async def update_story(
        self,
        story_id: int,
        change: Callable[[Story], Story],
        actor: Author,
        summary: str,
    ) -> Story:
        """Read, apply ``change``, write and record a revision, in one transaction."""
        ...

    async def stories(self, key: StoryKey) -> list[Story]:
        """Every story of the channel, active first, then archived newest first."""
        ...

    async def stories_in_workspace(self, platform: str, workspace: str) -> list[Story]:
        """Every story of every channel of one workspace (a Slack team, a Discord guild),
        by channel, each channel's active story first, then archived newest first."""
        ...

    async def bible(self, story_id: int) -> Bible: ...

    async def history(
        self,
        story_id: int,
        limit: int = 20,
        entity: str | None = None,
        entity_id: int | None = None,
    ) -> list[Revision]:
        """Newest first."""
        ...

    async def undo(self, story_id: int, actor: Author) -> Revision | None:
        """Revert the newest change not yet undone; returns the revision undone, or None."""
        ...


class CastStore(Protocol):
    async def characters(self, story_id: int) -> list[Character]:
        """Sorted by name."""
        ...

    async def find_character(self, story_id: int, name: str) -> Character | None:
        """By name or alias, ignoring case, spacing and Unicode form."""
        ...

    async def add_character(self, story_id: int, character: Character, actor: Author) -> Character:
        """Raises Conflict when a character with that name (key) exists."""
        ...

    async def update_character(
        self,
        story_id: int,
        name: str,
        change: Callable[[Character], Character],
        actor: Author,
        summary: str,
    ) -> Character:
        """Raises NotFound; Conflict when a rename hits another character's name."""
        ...

    async def remove_character(self, story_id: int, name: str, actor: Author) -> Character:
        """Raises NotFound. Returns what was removed (undo brings it back)."""
        ...


class OutlineStore(Protocol):
    """Locations, the beat board, saved scenes and notes. Beats are named by their number
    on the board and scenes by their number in the script (core.board), read in the
    transaction that changes them; NotFound names what there is instead."""

    async def add_location(self, story_id: int, location: Location, actor: Author) -> Location:
        """Raises Conflict when a location of that name exists (case, "the" ignored)."""
        ...

    async def locations(self, story_id: int) -> list[Location]:
        """Sorted by name."""
        ...

    async def find_location(self, story_id: int, name: str) -> Location | None: ...

    async def update_location(
        self,
        story_id: int,
        name: str,
        change: Callable[[Location], Location],
        actor: Author,
        summary: str,
    ) -> Location:
        """Raises NotFound; Conflict when a rename hits another location's name."""
        ...

    async def remove_location(self, story_id: int, name: str, actor: Author) -> Location:
        """Raises NotFound. Beats there keep its id, so undo brings it back whole."""
        ...

    async def set_location_beats(
        self, story_id: int, name: str, numbers: Sequence[int], actor: Author
    ) -> list[Beat]:
        """These beats (board numbers) happen at the location and no others do; one batch.
        Returns the beats there, in board order."""
        ...

    async def replace_beats(
        self,
        story_id: int,
        beats: Sequence[tuple[int, str]],
        actor: Author,
    ) -> list[Beat]:
        """Replace the outline with (act, text) beats in order; one revision per beat change."""
        ...

    async def beats(self, story_id: int) -> list[Beat]:
        """In board order."""
        ...

    async def add_beat(
        self, story_id: int, act: int, text: str, actor: Author, location_id: int | None = None
    ) -> Beat:
        """A beat at the end of ``act``."""
        ...

    async def edit_beat(
        self, story_id: int, number: int, text: str, actor: Author, *, beat_id: int | None = None
    ) -> Beat:
        """Rewrite beat ``number``'s text; raises NotFound. ``beat_id`` (here and in
        move_beat, remove_beat): the beat the caller means; Conflict when beat ``number``
        is another one now (the web board names beats by id, and the board may have
        changed since it looked)."""
        ...

    async def move_beat(
        self,
        story_id: int,
        number: int,
        target: BeatTarget,
        actor: Author,
        *,
        beat_id: int | None = None,
    ) -> list[Beat]:
        """Move beat ``number`` (core.board.moved), renumbering the acts it leaves and
        joins, as one batch undo takes back whole. Returns the board after."""
        ...

    async def remove_beat(
        self, story_id: int, number: int, actor: Author, *, beat_id: int | None = None
    ) -> Beat:
        """Remove beat ``number`` and renumber its act, as one batch. Returns it."""
        ...

    async def add_scene(self, story_id: int, scene: Scene, actor: Author) -> Scene: ...

    async def scenes(self, story_id: int) -> list[Scene]:
        """Oldest first (core.board.script puts them in the board's order)."""
        ...

    async def update_scene(
        self,
        story_id: int,
        scene_id: int,
        change: Callable[[Scene], Scene],
        actor: Author,
        summary: str,
    ) -> Scene:
        """Raises NotFound when the scene is gone."""
        ...

    async def remove_scene(self, story_id: int, number: int, actor: Author) -> Scene:
        """Remove scene ``number`` of the script; raises NotFound."""
        ...

    async def move_scene(
        self, story_id: int, number: int, target: SceneTarget, actor: Author
    ) -> list[Scene]:
        """Move scene ``number`` (core.board.scene_moved) as one batch; the script after."""
        ...

    async def put_draft_scene(
        self, story_id: int, scene: Scene, actor: Author, *, over_room: bool = False
    ) -> Scene | None:
        """/draft's scene for ``scene.beat_id``: over that beat's earlier draft, or new;
        None (nothing written) when the room saved or edited that beat's scene, unless
        ``over_room``."""
        ...

    async def add_note(self, story_id: int, text: str, actor: Author) -> Note: ...

    async def notes(self, story_id: int) -> list[Note]: ...


class ConversationStore(Protocol):
    async def create_conversation(
        self,
        thread: ThreadKey,
        story_id: int,
        kind: str,
        artifact: str,
        params: dict[str, Any],
        seed: int,
    ) -> Conversation: ...

    async def conversation_at(self, thread: ThreadKey) -> Conversation | None: ...

    async def conversation(self, conversation_id: int) -> Conversation | None: ...

    async def latest_conversation(self, key: StoryKey) -> Conversation | None:
        """The channel's most recently updated conversation."""
        ...

    async def update_conversation(
        self,
        conversation_id: int,
        artifact: str,
        params: dict[str, Any],
        seed: int,
    ) -> Conversation: ...

    async def finish_draft(
        self,
        conversation_id: int,
        artifact: str,
        params: dict[str, Any],
        seed: int,
        usage: tuple[str, Usage] | None = None,
    ) -> Conversation:
        """The artifact, the bot's message and the usage of a finished draft, in one
        transaction."""
        ...

    async def add_message(
        self,
        conversation_id: int,
        role: str,
        author: str,
        text: str,
    ) -> ConversationMessage: ...

    async def messages(self, conversation_id: int, limit: int = 20) -> list[ConversationMessage]:
        """The newest ``limit`` messages, oldest first."""
        ...


class JobStore(Protocol):
    async def save_job(self, job: JobRecord) -> None: ...

    async def set_job_state(
        self,
        job_id: str,
        state: JobState,
        error: str | None = None,
    ) -> None: ...

    async def job(self, job_id: str) -> JobRecord | None: ...

    async def set_job_reply(self, job_id: str, reply: str) -> None:
        """Remember the first message the job posted (a handle as JSON)."""
        ...

    async def take_interrupted(self, job_id: str) -> bool:
        """Mark an interrupted job retried, once (True for the one caller that did)."""
        ...

    async def jobs(self, states: Sequence[JobState]) -> list[JobRecord]: ...

    async def jobs_since(
        self, key: tuple[str, str, str], author_id: str, since: float
    ) -> list[JobRecord]: ...


class UsageStore(Protocol):
    async def record_usage(self, key: StoryKey, user_id: str, usage: Usage) -> None: ...

    async def usage_totals(self, key: StoryKey) -> dict[str, int]:
        """{"prompt_tokens": n, "completion_tokens": n, "requests": n} for a channel."""
        ...

    async def workspace_tokens_since(self, platform: str, workspace: str, since: float) -> int:
        """Prompt plus completion tokens recorded in a workspace since ``since``."""
        ...


class ImageStore(Protocol):
    async def add_image(self, image: ImageRecord) -> ImageRecord:
        """Record a generated image file; returns it with its id."""
        ...

    async def image(self, image_id: int) -> ImageRecord | None: ...

    async def images_of(
        self, story_id: int, character_id: int, limit: int = 10
    ) -> list[ImageRecord]:
        """A character's images, newest first."""
        ...

    async def image_in_thread(self, story_id: int, thread: str) -> ImageRecord | None:
        """The newest image posted in a reply thread, or None."""
        ...

    async def accept_image(
        self, image_id: int, actor: Author
    ) -> tuple[ImageRecord, Character | None]:
        """Mark an image accepted by the room. The first accepted image of a character
        becomes its reference (``reference_image`` and ``image_seed`` set, as a revision);
        the character is returned second when that happened, else None. Raises NotFound."""
        ...

    async def seconds_per_step(
        self, backend: str, model: str, width: int, height: int, last: int = 5
    ) -> float | None:
        """Median seconds per step of the last images made this way (time estimates)."""
        ...


class ForgetStore(Protocol):
    async def forget_channel(self, key: StoryKey, keep_job: str | None = None) -> Forgotten:
        """Delete everything of a channel in one transaction: its stories (active and
        archived) with their bible, revisions, conversations, messages and image rows, and
        its jobs (but ``keep_job``) and usage. Deleted text must not stay readable in the
        database's files (SQLite: secure_delete and a WAL checkpoint)."""
        ...

    async def prune_conversations(self, before: float) -> int:
        """Delete conversations last active before ``before`` (a timestamp), with their
        messages; returns how many."""
        ...


class CoordinationStore(Protocol):
    """What several processes on one database agree on (storage/coordination.py)."""

    async def register_process(self, process: ProcessRecord) -> None: ...

    async def renew_process(
        self, process_id: str, until: float, platforms: Sequence[str] | None = None
    ) -> bool: ...

    async def end_process(self, process_id: str) -> None: ...

    async def expire_process(self, process_id: str) -> None: ...

    async def processes(self) -> list[ProcessRecord]: ...

    async def claim_orphans(
        self, owner: str, platforms: Sequence[str], now: float, unreported: str
    ) -> list[JobRecord]: ...

    async def release_jobs(self, job_ids: Sequence[str], owner: str) -> None: ...

    async def request_cancel(self, job_id: str) -> JobRecord | None: ...

    async def cancel_requests(self, owner: str) -> list[str]: ...

    def cancel_wakeups(self) -> AsyncGenerator[str, None] | None: ...

    async def first_seen(
        self, key: str, now: float, keep: float, claimant: str | None = None
    ) -> bool: ...

    async def accept_request(self, request: AcceptedRequest) -> None: ...

    async def accept_requests(self, requests: Sequence[AcceptedRequest]) -> None: ...

    async def finish_request(self, key: str) -> None: ...

    async def finish_requests(self, keys: Sequence[str]) -> None: ...

    async def claim_requests(
        self, owner: str, platform: str, now: float
    ) -> list[AcceptedRequest]: ...

    async def take(
        self, key: str, decide: Callable[[Allowance | None], tuple[Allowance | None, T]]
    ) -> T: ...

    async def admit(
        self,
        key: str,
        job: JobRecord,
        decide: Decide,
        *,
        states: Sequence[JobState] = ("queued", "running"),
    ) -> str | None: ...

    async def hold_task(self, name: str, holder: str, now: float, until: float) -> bool: ...


class InstallationStore(Protocol):
    """Workspaces the app is installed in, and the OAuth states of installs in progress
    (storage/installations.py)."""

    async def save_installation(self, row: InstallationRow) -> None:
        """Insert or replace the row of (platform, enterprise, workspace, kind, user)."""
        ...

    async def find_installation(
        self,
        platform: str,
        enterprise: str,
        workspace: str,
        kind: InstallKind,
        user_id: str | None = None,
    ) -> InstallationRow | None:
        """The row of that kind (and person, when given; otherwise the newest), or None."""
        ...

    async def delete_installations(
        self,
        platform: str,
        enterprise: str,
        workspace: str,
        *,
        kind: InstallKind | None = None,
        user_id: str | None = None,
    ) -> int:
        """Delete a workspace's rows (only that kind, that person, when given)."""
        ...

    async def issue_oauth_state(self, state: str, ttl: float) -> None:
        """Remember a state handed to an installer's browser for ``ttl`` seconds."""
        ...

    async def consume_oauth_state(self, state: str) -> bool:
        """True once for a state issued and not expired; it is gone afterwards."""
        ...


class FeedbackStore(Protocol):
    """Good / not good on generated replies (storage/feedback.py)."""

    async def record_feedback(self, vote: Vote) -> bool:
        """Record or change a person's vote on a message; True when it is their first.
        Raises NotFound when the channel has no active story."""
        ...

    async def feedback_counts(
        self, platform: str, workspace: str, channels: Sequence[str] | None = None
    ) -> list[FeedbackCount]:
        """Votes by command, engine and model in a workspace (only ``channels`` when
        given), the most voted first: what /story stats and App Home show."""


class LinkStore(Protocol):
    """The web board's links (storage/links.py): their key, and each channel's generation."""

    async def link_key(self) -> bytes:
        """The key board links are signed with when no setting gives one: made at random
        once and kept, the same for every process on the database."""
        ...

    async def link_generation(self, key: StoryKey) -> int:
        """The channel's link generation (0 until its links are first revoked)."""
        ...

    async def revoke_links(self, key: StoryKey) -> int:
        """End every link of the channel made so far; returns the new generation."""
        ...

    async def board_marks(self, keys: Sequence[StoryKey]) -> dict[StoryKey, BoardMark]:
        """For each channel, from one snapshot: its active story, that story's newest
        revision and its link generation (what an open board watches for changes)."""
        ...


class Store(
    StoryStore,
    CastStore,
    OutlineStore,
    ConversationStore,
    JobStore,
    UsageStore,
    ImageStore,
    ForgetStore,
    CoordinationStore,
    InstallationStore,
    FeedbackStore,
    LinkStore,
    Protocol,
):
    """Every role: what the app opens and passes down."""

    async def close(self) -> None: ...
