"""The SQLite driver of ``storage.api.Store``.

``SQLiteStore`` is the front door; each group of operations lives in its own module:

- ``storage.db``                 connections, pragmas, the write lock and transactions
- ``storage.migrations``         the schema, versioned by PRAGMA user_version
- ``storage.rows``               dataclasses to and from rows
- ``storage.sqlite_stories``     stories and the whole bible
- ``storage.sqlite_characters``  characters, by name or alias
- ``storage.sqlite_outline``     locations, beats, scenes, notes
- ``storage.sqlite_revisions``   revisions, history, undo
- ``storage.sqlite_threads``     conversations and their messages
- ``storage.sqlite_jobs``        jobs and usage
- ``storage.sqlite_images``      generated images and reference portraits
- ``storage.sqlite_forget``      forgetting a channel, pruning old conversations, usage totals
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from storage import (
    sqlite_characters,
    sqlite_forget,
    sqlite_jobs,
    sqlite_outline,
    sqlite_revisions,
    sqlite_stories,
    sqlite_threads,
)
from storage.api import Forgotten, Store, ThreadKey
from storage.db import Database
from storage.rows import BEATS, LOCATIONS, NOTES, SCENES
from storage.sqlite_images import SQLiteImages


async def open_store(path: Path, *, clock: Callable[[], float] = time.time) -> SQLiteStore:
    """Open the database file (creating it and its folders), migrated to the current schema.

    Raises ``storage.migrations.SchemaTooNew`` for a file from a newer writersroom.
    """
    return SQLiteStore(await Database.open(Path(path), clock))


class SQLiteStore(SQLiteImages):
    """The story bible, conversations, jobs and usage in one SQLite file.

    Safe to share between coroutines: writes take turns inside ``BEGIN IMMEDIATE``
    transactions, reads use their own connection and see only committed data.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def database(self) -> Database:
        """The connections underneath, for maintenance and driver tests; commands use the
        methods below."""
        return self._db

    async def close(self) -> None:
        await self._db.close()

    # --- stories ---------------------------------------------------------------------
    async def active_story(self, key: StoryKey) -> Story | None:
        return await sqlite_stories.active_story(self._db, key)

    async def ensure_story(self, key: StoryKey, actor: Author) -> Story:
        return await sqlite_stories.ensure_story(self._db, key, actor)

    async def new_story(
        self, key: StoryKey, actor: Author, title: str = "Untitled"
    ) -> tuple[Story, Story | None]:
        return await sqlite_stories.new_story(self._db, key, actor, title)

    async def update_story(
        self, story_id: int, change: Callable[[Story], Story], actor: Author, summary: str
    ) -> Story:
        """As the Protocol says; a change that changes nothing writes nothing."""
        return await sqlite_stories.update_story(self._db, story_id, change, actor, summary)

    async def stories(self, key: StoryKey) -> list[Story]:
        return await sqlite_stories.stories(self._db, key)

    async def stories_in_workspace(self, platform: str, workspace: str) -> list[Story]:
        return await sqlite_stories.stories_in_workspace(self._db, platform, workspace)

    async def bible(self, story_id: int) -> Bible:
        return await sqlite_stories.bible(self._db, story_id)

    # --- characters ------------------------------------------------------------------
    async def characters(self, story_id: int) -> list[Character]:
        return await sqlite_characters.characters(self._db, story_id)

    async def find_character(self, story_id: int, name: str) -> Character | None:
        return await sqlite_characters.find_character(self._db, story_id, name)

    async def add_character(self, story_id: int, character: Character, actor: Author) -> Character:
        return await sqlite_characters.add_character(self._db, story_id, character, actor)

    async def update_character(
        self,
        story_id: int,
        name: str,
        change: Callable[[Character], Character],
        actor: Author,
        summary: str,
    ) -> Character:
        """As the Protocol says; a change that changes nothing writes nothing."""
        return await sqlite_characters.update_character(
            self._db, story_id, name, change, actor, summary
        )

    async def remove_character(self, story_id: int, name: str, actor: Author) -> Character:
        return await sqlite_characters.remove_character(self._db, story_id, name, actor)

    # --- locations, beats, scenes, notes ---------------------------------------------
    async def add_location(self, story_id: int, location: Location, actor: Author) -> Location:
        return await sqlite_outline.add_location(self._db, story_id, location, actor)

    async def locations(self, story_id: int) -> list[Location]:
        return await sqlite_outline.listing(self._db, LOCATIONS, story_id)

    async def replace_beats(
        self, story_id: int, beats: Sequence[tuple[int, str]], actor: Author
    ) -> list[Beat]:
        return await sqlite_outline.replace_beats(self._db, story_id, beats, actor)

    async def beats(self, story_id: int) -> list[Beat]:
        return await sqlite_outline.listing(self._db, BEATS, story_id)

    async def add_scene(self, story_id: int, scene: Scene, actor: Author) -> Scene:
        return await sqlite_outline.add_scene(self._db, story_id, scene, actor)

    async def scenes(self, story_id: int) -> list[Scene]:
        return await sqlite_outline.listing(self._db, SCENES, story_id)

    async def add_note(self, story_id: int, text: str, actor: Author) -> Note:
        return await sqlite_outline.add_note(self._db, story_id, text, actor)

    async def notes(self, story_id: int) -> list[Note]:
        return await sqlite_outline.listing(self._db, NOTES, story_id)

    # --- revisions -------------------------------------------------------------------
    async def history(
        self,
        story_id: int,
        limit: int = 20,
        entity: str | None = None,
        entity_id: int | None = None,
    ) -> list[Revision]:
        return await sqlite_revisions.history(self._db, story_id, limit, entity, entity_id)

    async def undo(self, story_id: int, actor: Author) -> Revision | None:
        """As the Protocol says. A story's creation and archiving are passed over."""
        return await sqlite_revisions.undo(self._db, story_id, actor)

    # --- conversations (reply threads) -----------------------------------------------
    async def create_conversation(
        self,
        thread: ThreadKey,
        story_id: int,
        kind: str,
        artifact: str,
        params: dict[str, Any],
        seed: int,
    ) -> Conversation:
        return await sqlite_threads.create_conversation(
            self._db, thread, story_id, kind, artifact, params, seed
        )

    async def conversation_at(self, thread: ThreadKey) -> Conversation | None:
        return await sqlite_threads.conversation_at(self._db, thread)

    async def conversation(self, conversation_id: int) -> Conversation | None:
        return await sqlite_threads.conversation(self._db, conversation_id)

    async def latest_conversation(self, key: StoryKey) -> Conversation | None:
        return await sqlite_threads.latest_conversation(self._db, key)

    async def update_conversation(
        self, conversation_id: int, artifact: str, params: dict[str, Any], seed: int
    ) -> Conversation:
        return await sqlite_threads.update_conversation(
            self._db, conversation_id, artifact, params, seed
        )

    async def add_message(
        self, conversation_id: int, role: str, author: str, text: str
    ) -> ConversationMessage:
        return await sqlite_threads.add_message(self._db, conversation_id, role, author, text)

    async def messages(self, conversation_id: int, limit: int = 20) -> list[ConversationMessage]:
        return await sqlite_threads.messages(self._db, conversation_id, limit)

    # --- jobs and usage --------------------------------------------------------------
    async def save_job(self, job: JobRecord) -> None:
        await sqlite_jobs.save_job(self._db, job)

    async def set_job_state(self, job_id: str, state: JobState, error: str | None = None) -> None:
        await sqlite_jobs.set_job_state(self._db, job_id, state, error)

    async def jobs(self, states: Sequence[JobState]) -> list[JobRecord]:
        return await sqlite_jobs.jobs(self._db, states)

    async def record_usage(self, key: StoryKey, user_id: str, usage: Usage) -> None:
        await sqlite_jobs.record_usage(self._db, key, user_id, usage)

    async def usage_totals(self, key: StoryKey) -> dict[str, int]:
        return await sqlite_jobs.usage_totals(self._db, key)

    async def workspace_tokens_since(self, platform: str, workspace: str, since: float) -> int:
        return await sqlite_forget.workspace_tokens_since(self._db, platform, workspace, since)

    # --- forgetting ------------------------------------------------------------------
    async def forget_channel(self, key: StoryKey, keep_job: str | None = None) -> Forgotten:
        return await sqlite_forget.forget_channel(self._db, key, keep_job)

    async def prune_conversations(self, before: float) -> int:
        return await sqlite_forget.prune_conversations(self._db, before)


if TYPE_CHECKING:
    _conforms: type[Store] = SQLiteStore  # mypy proves SQLiteStore implements every method
