"""The SQLite schema, as an ordered list of migration steps, versioned by ``PRAGMA user_version``.

Step ``n`` (0-based) takes a database from version ``n`` to ``n + 1``; each runs in one
transaction together with the version bump, so a crash leaves the file at a whole version.
Steps are never edited once released: a new column or table is a new step at the end.
A file written by a newer writersroom (a version we do not know) is refused, not guessed at.
"""

from __future__ import annotations

import sqlite3

from storage.sql import SchemaTooNew

Migration = tuple[str, ...]

_V1_BIBLE: Migration = (
    """
    CREATE TABLE stories (
        id          INTEGER PRIMARY KEY,
        platform    TEXT NOT NULL,
        workspace   TEXT NOT NULL,
        channel     TEXT NOT NULL,
        title       TEXT NOT NULL DEFAULT 'Untitled',
        logline     TEXT NOT NULL DEFAULT '',
        genre       TEXT NOT NULL DEFAULT '',
        tone        TEXT NOT NULL DEFAULT '',
        setting     TEXT NOT NULL DEFAULT '',
        style       TEXT NOT NULL DEFAULT '',
        synopsis    TEXT NOT NULL DEFAULT '',
        status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
        created_by  TEXT NOT NULL DEFAULT '',
        created_at  REAL NOT NULL
    )
    """,
    # The one-active-story-per-channel rule, kept by the database itself.
    """
    CREATE UNIQUE INDEX stories_one_active_per_channel
        ON stories (platform, workspace, channel) WHERE status = 'active'
    """,
    # Serves a channel's stories and, by its prefix, a workspace's.
    "CREATE INDEX stories_by_channel ON stories (platform, workspace, channel, created_at)",
    """
    CREATE TABLE characters (
        id              INTEGER PRIMARY KEY,
        story_id        INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        name_key        TEXT NOT NULL,
        alias_keys      TEXT NOT NULL DEFAULT '',
        pronouns        TEXT NOT NULL DEFAULT '',
        age             TEXT NOT NULL DEFAULT '',
        role            TEXT NOT NULL DEFAULT '',
        one_line        TEXT NOT NULL DEFAULT '',
        appearance      TEXT NOT NULL DEFAULT '',
        personality     TEXT NOT NULL DEFAULT '',
        want            TEXT NOT NULL DEFAULT '',
        need            TEXT NOT NULL DEFAULT '',
        flaw            TEXT NOT NULL DEFAULT '',
        backstory       TEXT NOT NULL DEFAULT '',
        arc             TEXT NOT NULL DEFAULT '',
        voice           TEXT NOT NULL DEFAULT '',
        sample_line     TEXT NOT NULL DEFAULT '',
        relationships   TEXT NOT NULL DEFAULT '',
        aliases         TEXT NOT NULL DEFAULT '',
        image_seed      INTEGER,
        reference_image TEXT,
        UNIQUE (story_id, name_key)
    )
    """,
    """
    CREATE TABLE locations (
        id          INTEGER PRIMARY KEY,
        story_id    INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX locations_by_story ON locations (story_id)",
    """
    CREATE TABLE beats (
        id       INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        act      INTEGER NOT NULL,
        position INTEGER NOT NULL,
        text     TEXT NOT NULL
    )
    """,
    "CREATE INDEX beats_by_story ON beats (story_id, act, position)",
    """
    CREATE TABLE scenes (
        id         INTEGER PRIMARY KEY,
        story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        title      TEXT NOT NULL,
        text       TEXT NOT NULL,
        kind       TEXT NOT NULL DEFAULT 'dialogue',
        created_at REAL NOT NULL
    )
    """,
    "CREATE INDEX scenes_by_story ON scenes (story_id, created_at)",
    """
    CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        text       TEXT NOT NULL,
        created_at REAL NOT NULL
    )
    """,
    "CREATE INDEX notes_by_story ON notes (story_id, created_at)",
    """
    CREATE TABLE revisions (
        id         INTEGER PRIMARY KEY,
        story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        entity     TEXT NOT NULL
                   CHECK (entity IN ('story', 'character', 'location', 'beat', 'scene', 'note')),
        entity_id  INTEGER NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'undo')),
        actor_id   TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        at         REAL NOT NULL,
        summary    TEXT NOT NULL,
        before     TEXT,
        after      TEXT,
        undoes     INTEGER REFERENCES revisions (id)
    )
    """,
    "CREATE INDEX revisions_by_story ON revisions (story_id, id)",
    "CREATE INDEX revisions_by_entity ON revisions (story_id, entity, entity_id, id)",
    # A revision is undone at most once; whether it is undone is read from this column.
    "CREATE UNIQUE INDEX revisions_undone_once ON revisions (undoes) WHERE undoes IS NOT NULL",
    """
    CREATE TRIGGER revisions_are_append_only BEFORE UPDATE ON revisions
    BEGIN
        SELECT RAISE(ABORT, 'revisions are append-only');
    END
    """,
)

_V2_THREADS_JOBS_USAGE: Migration = (
    """
    CREATE TABLE conversations (
        id         INTEGER PRIMARY KEY,
        platform   TEXT NOT NULL,
        workspace  TEXT NOT NULL,
        channel    TEXT NOT NULL,
        thread     TEXT NOT NULL,
        story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        artifact   TEXT NOT NULL DEFAULT '',
        params     TEXT NOT NULL DEFAULT '{}',
        seed       INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        UNIQUE (platform, workspace, channel, thread)
    )
    """,
    """
    CREATE INDEX conversations_by_channel
        ON conversations (platform, workspace, channel, updated_at)
    """,
    """
    CREATE TABLE conversation_messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role            TEXT NOT NULL CHECK (role IN ('user', 'bot')),
        author          TEXT NOT NULL,
        text            TEXT NOT NULL,
        at              REAL NOT NULL
    )
    """,
    "CREATE INDEX messages_by_conversation ON conversation_messages (conversation_id, id)",
    """
    CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        command     TEXT NOT NULL,
        platform    TEXT NOT NULL,
        workspace   TEXT NOT NULL,
        channel     TEXT NOT NULL,
        thread      TEXT,
        author_id   TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN
                    ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        created_at  REAL NOT NULL,
        started_at  REAL,
        finished_at REAL,
        error       TEXT
    )
    """,
    "CREATE INDEX jobs_by_state ON jobs (state, created_at)",
    """
    CREATE TABLE usage (
        id                INTEGER PRIMARY KEY,
        platform          TEXT NOT NULL,
        workspace         TEXT NOT NULL,
        channel           TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        engine            TEXT NOT NULL,
        prompt_tokens     INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        at                REAL NOT NULL
    )
    """,
    "CREATE INDEX usage_by_channel ON usage (platform, workspace, channel, at)",
)

_V3_IMAGES: Migration = (
    # character_id is no foreign key: removing a character and undoing it brings the same
    # id back, and its images with it. The story owns the rows.
    """
    CREATE TABLE images (
        id              INTEGER PRIMARY KEY,
        story_id        INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        character_id    INTEGER NOT NULL,
        character       TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('portrait', 'expressions', 'pose')),
        prompt          TEXT NOT NULL,
        negative_prompt TEXT NOT NULL DEFAULT '',
        seed            INTEGER NOT NULL,
        backend         TEXT NOT NULL,
        model           TEXT NOT NULL DEFAULT '',
        width           INTEGER NOT NULL,
        height          INTEGER NOT NULL,
        steps           INTEGER NOT NULL DEFAULT 0,
        seconds         REAL NOT NULL DEFAULT 0,
        path            TEXT NOT NULL,
        thread          TEXT,
        params          TEXT NOT NULL DEFAULT '{}',
        accepted        INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)),
        created_by      TEXT NOT NULL DEFAULT '',
        created_at      REAL NOT NULL
    )
    """,
    "CREATE INDEX images_by_character ON images (story_id, character_id, id)",
    "CREATE INDEX images_by_thread ON images (story_id, thread, id)",
    # Seconds per step of earlier runs make the CPU time estimate.
    "CREATE INDEX images_by_model ON images (backend, model, width, height, id)",
)

_V4_MESSAGE_TOUCH: Migration = (
    # A message is activity: its conversation becomes the channel's latest. Done by the
    # database so adding a message is one statement (one short hold of the write lock).
    """
    CREATE TRIGGER message_touches_conversation AFTER INSERT ON conversation_messages
    BEGIN
        UPDATE conversations SET updated_at = NEW.at WHERE id = NEW.conversation_id;
    END
    """,
)

_V5_JOB_PAYLOAD: Migration = (
    # The invocation a job runs (JSON), so a restart can run a queued job or retry an
    # interrupted one (bot/recovery.py). NULL for jobs written before this version.
    "ALTER TABLE jobs ADD COLUMN payload TEXT",
)

_V6_PROCESSES: Migration = (
    # Bot processes on this database, each with a lease it renews; a job records its owner,
    # and only a dead owner's jobs are taken over (bot/leases.py).
    """
    CREATE TABLE processes (
        id          TEXT PRIMARY KEY,
        host        TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        platforms   TEXT NOT NULL DEFAULT '',
        started_at  REAL NOT NULL,
        lease_until REAL NOT NULL
    )
    """,
    "ALTER TABLE jobs ADD COLUMN owner TEXT",
    "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX jobs_by_owner ON jobs (owner, state)",
    "CREATE INDEX jobs_by_author ON jobs (platform, workspace, author_id, kind, state)",
    # Events seen (Slack retries reaching any process are dropped), by key, for a while.
    "CREATE TABLE seen_events (key TEXT PRIMARY KEY, at REAL NOT NULL)",
    "CREATE INDEX seen_events_by_time ON seen_events (at)",
    # Token buckets every process draws from (per-person rates, per-workspace edit budgets).
    "CREATE TABLE buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)",
    # Once-only work (the retention sweep): one holder at a time, until its lease ends.
    "CREATE TABLE task_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until REAL NOT NULL)",
)

_V7_JOB_REPLY: Migration = (
    # The message a job posted first (its draft or progress), as JSON: a survivor that
    # takes the job over after a crash edits that message instead of leaving it "Writing…".
    "ALTER TABLE jobs ADD COLUMN reply TEXT",
)

_V8_BOARD: Migration = (
    # The room's board: a location's look and sound, the place a beat happens (no foreign
    # key: removing a location and undoing it brings the same id back), the beat a saved
    # scene was written for, its place among that beat's scenes, and who wrote it last
    # ("room" or "draft": /draft only writes over its own).
    "ALTER TABLE locations ADD COLUMN look TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE locations ADD COLUMN sound TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE beats ADD COLUMN location_id INTEGER",
    "ALTER TABLE scenes ADD COLUMN beat_id INTEGER",
    "ALTER TABLE scenes ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
    """
    ALTER TABLE scenes ADD COLUMN source TEXT NOT NULL DEFAULT 'room'
        CHECK (source IN ('room', 'draft'))
    """,
    "CREATE INDEX scenes_by_beat ON scenes (story_id, beat_id)",
    # A change made of several rows (a beat moved, its act renumbered) is undone whole:
    # every revision of it but the first names the first one here.
    "ALTER TABLE revisions ADD COLUMN batch INTEGER REFERENCES revisions (id)",
    "CREATE INDEX revisions_by_batch ON revisions (batch) WHERE batch IS NOT NULL",
)

_V9_IMAGE_QUEUE: Migration = (
    # Image jobs on GPU workers (storage/queue/): the request, where the room's
    # placeholder is, the worker's progress and its result, one row per bot job. The queue
    # itself is PostgreSQL only; SQLite keeps the table so a schema version means the same
    # on both engines. The story owns the row (forget and cascades take it).
    """
    CREATE TABLE image_jobs (
        job_id      TEXT PRIMARY KEY,
        queue_id    INTEGER,
        story_id    INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        state       TEXT NOT NULL DEFAULT 'queued' CHECK (
            state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'posted')
        ),
        request     TEXT NOT NULL,
        reply       TEXT NOT NULL DEFAULT '{}',
        worker      TEXT NOT NULL DEFAULT '',
        step        INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL DEFAULT 0,
        eta         REAL,
        preview     TEXT,
        result      TEXT,
        error       TEXT,
        lost        INTEGER NOT NULL DEFAULT 0,
        enqueued_at REAL NOT NULL,
        started_at  REAL,
        finished_at REAL,
        updated_at  REAL NOT NULL
    )
    """,
    "CREATE INDEX image_jobs_by_state ON image_jobs (state, enqueued_at)",
    "CREATE INDEX image_jobs_by_story ON image_jobs (story_id)",
)

_V10_INSTALLS_FEEDBACK: Migration = (
    # A chat app installed in many workspaces (Slack OAuth): each workspace's bot token and
    # each installer's record, as the platform gave them (JSON), by kind ("bot" or
    # "installation"); uninstalling deletes the workspace's rows.
    """
    CREATE TABLE installations (
        platform     TEXT NOT NULL,
        enterprise   TEXT NOT NULL DEFAULT '',
        workspace    TEXT NOT NULL DEFAULT '',
        kind         TEXT NOT NULL,
        user_id      TEXT NOT NULL DEFAULT '',
        data         TEXT NOT NULL,
        installed_at REAL NOT NULL,
        PRIMARY KEY (platform, enterprise, workspace, kind, user_id)
    )
    """,
    # OAuth states handed out by /slack/install: each consumed once, before it expires.
    "CREATE TABLE oauth_states (state TEXT PRIMARY KEY, expires_at REAL NOT NULL)",
    "CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at)",
    # Good / not good on generated replies, with what made them; one vote per person per
    # message (a second press changes it). Deleted with the story.
    """
    CREATE TABLE feedback (
        id        INTEGER PRIMARY KEY,
        story_id  INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        platform  TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel   TEXT NOT NULL,
        message   TEXT NOT NULL,
        user_id   TEXT NOT NULL,
        command   TEXT NOT NULL,
        engine    TEXT NOT NULL,
        model     TEXT NOT NULL DEFAULT '',
        good      INTEGER NOT NULL,
        at        REAL NOT NULL,
        UNIQUE (platform, workspace, channel, message, user_id)
    )
    """,
    "CREATE INDEX feedback_by_channel ON feedback (platform, workspace, channel)",
)

_V11_BOARD_LINKS: Migration = (
    # The web board's links (storage/links.py): each channel's link generation, raised by
    # /outline board revoke so that every older link of the channel stops working, and
    # the key links are signed with when no setting gives one, made once for every process.
    """
    CREATE TABLE link_generations (
        platform    TEXT NOT NULL,
        workspace   TEXT NOT NULL,
        channel     TEXT NOT NULL,
        generation  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (platform, workspace, channel)
    )
    """,
    "CREATE TABLE kept_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

_V12_SEEN_CLAIMANT: Migration = (
    # Which accepted request claimed an event key, so that request, run again by a
    # survivor, is not dropped as a repeat of itself (storage/coordination.py).
    "ALTER TABLE seen_events ADD COLUMN claimant TEXT",
)

MIGRATIONS: tuple[Migration, ...] = (
    _V1_BIBLE,
    _V2_THREADS_JOBS_USAGE,
    _V3_IMAGES,
    _V4_MESSAGE_TOUCH,
    _V5_JOB_PAYLOAD,
    _V6_PROCESSES,
    _V7_JOB_REPLY,
    _V8_BOARD,
    _V9_IMAGE_QUEUE,
    _V10_INSTALLS_FEEDBACK,
    _V11_BOARD_LINKS,
    _V12_SEEN_CLAIMANT,
)
"""Applied in order; the database's user_version is how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)

REQUEST_MIGRATIONS: tuple[Migration, ...] = (
    (
        # Requests a process acknowledged, written before the acknowledgment and deleted
        # once handled (storage/coordination.py). On SQLite they live in a file of their
        # own beside the main one (``requests_path``), with their own writer, so keeping a
        # request never waits behind the main file's transactions: Slack waits for that.
        """
        CREATE TABLE accepted_requests (
            key          TEXT PRIMARY KEY,
            platform     TEXT NOT NULL,
            owner        TEXT NOT NULL,
            body         TEXT NOT NULL,
            content_type TEXT NOT NULL,
            received_at  REAL NOT NULL
        )
        """,
        "CREATE INDEX accepted_requests_by_owner ON accepted_requests (owner)",
    ),
)
"""The accepted-requests file's schema, versioned apart from the main file's."""

__all__ = ["MIGRATIONS", "REQUEST_MIGRATIONS", "SCHEMA_VERSION", "SchemaTooNew", "migrate"]


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to ``len(migrations)``; returns how many steps ran.

    Runs on the writer's thread. Opening an up-to-date database runs nothing and writes
    nothing. Each step re-reads the version under the write lock, so two processes opening
    one old file migrate it once.
    """
    known = len(migrations)
    if (found := user_version(conn)) > known:
        raise SchemaTooNew(found, known)
    applied = 0
    while user_version(conn) < known:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)
            if version > known:
                raise SchemaTooNew(version, known)
            if version < known:
                for statement in migrations[version]:
                    conn.execute(statement)
                # PRAGMA takes no parameters; version is an int we computed.
                conn.execute(f"PRAGMA user_version = {version + 1}")
                applied += 1
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied
