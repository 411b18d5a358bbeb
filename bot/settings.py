"""Settings, read once from the environment and a .env file into a frozen object.

Nothing else in the code reads ``os.environ``. A missing key fails by name when the part
that needs it starts (``require``), not deep inside a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from bot.runtime import EVENT_LOOPS, EventLoopChoice
from core.errors import ConfigError

ImageBackend = Literal["offline", "diffusers", "openai"]
_IMAGE_BACKENDS = ("offline", "diffusers", "openai")
ImageQueueChoice = Literal["auto", "on", "off"]
_IMAGE_QUEUE = ("auto", "on", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path("data")
    db_path: Path = Path("data/writersroom.db")
    """The SQLite file (WRITERSROOM_DB as a path, or the default under the data dir)."""
    database_url: str | None = None
    """WRITERSROOM_DB as a postgresql:// URL: PostgreSQL instead of the SQLite file."""
    log_level: str = "INFO"
    max_input_chars: int = 8000
    text_concurrency: int = 256
    job_lease: float = 30.0
    """Seconds a process's lease lasts; a dead process's jobs are taken over within about
    twice that (bot/leases.py)."""
    event_loop: EventLoopChoice = "auto"
    """"auto": uvloop where installed, else asyncio's loop (bot/runtime.py)."""

    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_timeout: float = 60.0

    retention_days: int = 0
    """Reply-thread conversations idle longer than this are deleted; 0 keeps them."""
    redact_pii: bool = False
    """Replace e-mail addresses and phone numbers before text leaves for an external model."""
    user_rate: int = 0
    """Generating commands one person may start per minute (a token bucket); 0: no limit."""
    daily_tokens: int = 0
    """Model tokens a workspace may use per UTC day; 0: no budget."""
    image_jobs_per_user: int = 2
    """Image jobs one person may have queued or running at once; 0: no limit."""

    image_backend: ImageBackend = "offline"
    diffusers_model: Path | None = None
    image_model: str | None = None
    image_steps: int = 0
    image_queue: ImageQueueChoice = "auto"
    """Image jobs through the queue to ``python -m bot worker`` processes (PostgreSQL only):
    "on", "off" (made in the bot process), or "auto": on for the diffusers backend on
    PostgreSQL (``uses_image_queue``)."""
    worker_devices: tuple[str, ...] = ()
    """The devices a worker takes jobs on, one job at a time each (empty: the one found)."""
    worker_timeout: float = 30.0
    """Seconds without a heartbeat after which a worker is dead and its job goes back in
    line; a heartbeat goes every third of it."""

    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    """With the client id: installs in many workspaces by OAuth (HTTP mode)."""
    slack_redirect_uri: str | None = None
    """The OAuth redirect URL as registered (…/slack/oauth_redirect); optional."""

    discord_token: str | None = None
    discord_shards: int | Literal["auto"] | None = None
    """None: one gateway connection; "auto" or a shard count: AutoShardedClient."""
    discord_shard_ids: tuple[int, ...] | None = None
    """The shards this process runs (None: all of them)."""
    discord_api_url: str | None = None
    """Discord's REST API base URL (None: Discord's own): a REST proxy, or a test's fake.
    With it, the gateway's URL is the one that API's GET /gateway/bot gives."""

    public_url: str | None = None
    """Where people reach the bot's web board (https://host[:port][/prefix], no trailing
    slash); /outline board needs it."""
    web_secret: str | None = None
    """The key board links are signed with; None: a random key kept in the database."""
    web_link_hours: int = 24
    """How long a board link works."""

    @property
    def database(self) -> str | Path:
        """What the store opens: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def uses_image_queue(self) -> bool:
        """Whether image jobs go to workers through the queue (bot/worker.py)."""
        if self.image_queue == "auto":
            return self.database_url is not None and self.image_backend == "diffusers"
        return self.image_queue == "on"

    @property
    def slack_oauth(self) -> bool:
        """Installs by OAuth (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set), each workspace
        with its own token, rather than the one SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def model_configured(self) -> bool:
        """A model is used when an API key or a base URL is set."""
        return bool(self.openai_api_key or self.openai_base_url)

    def require(self, *names: str) -> None:
        """Fail with the environment variable's name when a needed setting is empty."""
        missing = [ENV_NAMES[n] for n in names if not getattr(self, n)]
        if missing:
            raise ConfigError(
                "Missing setting: "
                + ", ".join(missing)
                + ". Set it in the environment or in .env (see .env.example)."
            )

    def __repr__(self) -> str:  # never print secrets
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRETS and value:
                value = "***"
            shown.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(shown)})"


_SECRETS = {
    "database_url",
    "openai_api_key",
    "slack_bot_token",
    "slack_app_token",
    "slack_signing_secret",
    "slack_client_secret",
    "discord_token",
    "web_secret",
}

ENV_NAMES: dict[str, str] = {
    "data_dir": "WRITERSROOM_DATA_DIR",
    "db_path": "WRITERSROOM_DB",
    "database_url": "WRITERSROOM_DB",
    "log_level": "WRITERSROOM_LOG_LEVEL",
    "max_input_chars": "WRITERSROOM_MAX_INPUT_CHARS",
    "text_concurrency": "WRITERSROOM_TEXT_CONCURRENCY",
    "job_lease": "WRITERSROOM_JOB_LEASE",
    "event_loop": "WRITERSROOM_EVENT_LOOP",
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "openai_model": "OPENAI_MODEL",
    "openai_timeout": "OPENAI_TIMEOUT",
    "retention_days": "WRITERSROOM_RETENTION_DAYS",
    "redact_pii": "WRITERSROOM_REDACT_PII",
    "user_rate": "WRITERSROOM_USER_RATE",
    "daily_tokens": "WRITERSROOM_DAILY_TOKENS",
    "image_jobs_per_user": "WRITERSROOM_IMAGE_JOBS_PER_USER",
    "image_backend": "WRITERSROOM_IMAGE_BACKEND",
    "diffusers_model": "WRITERSROOM_DIFFUSERS_MODEL",
    "image_model": "WRITERSROOM_IMAGE_MODEL",
    "image_steps": "WRITERSROOM_IMAGE_STEPS",
    "image_queue": "WRITERSROOM_IMAGE_QUEUE",
    "worker_devices": "WRITERSROOM_WORKER_DEVICES",
    "worker_timeout": "WRITERSROOM_WORKER_TIMEOUT",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_api_url": "SLACK_API_URL",
    "slack_client_id": "SLACK_CLIENT_ID",
    "slack_client_secret": "SLACK_CLIENT_SECRET",
    "slack_redirect_uri": "SLACK_REDIRECT_URI",
    "discord_token": "DISCORD_TOKEN",
    "discord_shards": "DISCORD_SHARDS",
    "discord_shard_ids": "DISCORD_SHARD_IDS",
    "discord_api_url": "DISCORD_API_URL",
    "public_url": "WRITERSROOM_PUBLIC_URL",
    "web_secret": "WRITERSROOM_WEB_SECRET",
    "web_link_hours": "WRITERSROOM_WEB_LINK_HOURS",
}


def _int(env: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{key} must be between {low} and {high}, got {value}")
    return value


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{key} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{key} must be positive, got {value}")
    return value


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _bool(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = env.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{key} must be true or false, got {raw!r}")


def _shards(env: Mapping[str, str]) -> tuple[int | Literal["auto"] | None, tuple[int, ...] | None]:
    raw = env.get("DISCORD_SHARDS", "").strip().lower()
    count: int | Literal["auto"] | None = None
    if raw == "auto":
        count = "auto"
    elif raw:
        count = _int(env, "DISCORD_SHARDS", 1, 1, 100_000)
    ids_raw = env.get("DISCORD_SHARD_IDS", "").strip()
    if not ids_raw:
        return count, None
    if not isinstance(count, int):
        raise ConfigError("DISCORD_SHARD_IDS needs DISCORD_SHARDS set to the total shard count")
    try:
        ids = tuple(int(part) for part in ids_raw.split(","))
    except ValueError:
        raise ConfigError(
            f"DISCORD_SHARD_IDS must be numbers like 0,1,2; got {ids_raw!r}"
        ) from None
    if any(not 0 <= i < count for i in ids):
        raise ConfigError(f"DISCORD_SHARD_IDS must be between 0 and {count - 1}; got {ids_raw!r}")
    return count, ids


def _public_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not raw.startswith(("https://", "http://")) or len(raw.split("/")[2]) == 0:
        raise ConfigError(
            f"WRITERSROOM_PUBLIC_URL must be an http(s) URL like https://bot.example.com; "
            f"got {raw!r}"
        )
    return raw.rstrip("/")


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Build settings from a .env file (if present) overlaid by the environment."""
    env: dict[str, str] = {}
    if dotenv is not None and dotenv.is_file():
        from dotenv import dotenv_values

        env.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    env.update(os.environ if environ is None else environ)

    def get(key: str) -> str | None:
        value = env.get(key, "").strip()
        return value or None

    data_dir = Path(get("WRITERSROOM_DATA_DIR") or "data")
    db_raw = get("WRITERSROOM_DB")
    database_url = (
        db_raw if db_raw and db_raw.startswith(("postgresql://", "postgres://")) else None
    )
    db_path = Path(db_raw) if db_raw and not database_url else data_dir / "writersroom.db"

    backend = (get("WRITERSROOM_IMAGE_BACKEND") or "offline").lower()
    if backend not in _IMAGE_BACKENDS:
        raise ConfigError(
            f"WRITERSROOM_IMAGE_BACKEND must be one of {', '.join(_IMAGE_BACKENDS)}; "
            f"got {backend!r}"
        )
    diffusers_raw = get("WRITERSROOM_DIFFUSERS_MODEL")
    image_queue = (get("WRITERSROOM_IMAGE_QUEUE") or "auto").lower()
    if image_queue not in _IMAGE_QUEUE:
        raise ConfigError(
            f"WRITERSROOM_IMAGE_QUEUE must be one of {', '.join(_IMAGE_QUEUE)}; got {image_queue!r}"
        )
    if image_queue == "on" and database_url is None:
        raise ConfigError(
            "WRITERSROOM_IMAGE_QUEUE=on needs PostgreSQL (WRITERSROOM_DB=postgresql://...): "
            "the queue lives there. On SQLite images are made in the bot process."
        )
    devices = tuple(d.strip() for d in (get("WRITERSROOM_WORKER_DEVICES") or "").split(","))
    devices = tuple(d for d in devices if d)
    if len(set(devices)) != len(devices):
        raise ConfigError(f"WRITERSROOM_WORKER_DEVICES names a device twice: {','.join(devices)}")
    discord_shards, discord_shard_ids = _shards(env)
    event_loop = (get("WRITERSROOM_EVENT_LOOP") or "auto").lower()
    if event_loop not in EVENT_LOOPS:
        raise ConfigError(
            f"WRITERSROOM_EVENT_LOOP must be one of {', '.join(EVENT_LOOPS)}; got {event_loop!r}"
        )
    log_level = (get("WRITERSROOM_LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("WRITERSROOM_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")

    return Settings(
        data_dir=data_dir,
        db_path=db_path,
        database_url=database_url,
        log_level=log_level,
        max_input_chars=_int(env, "WRITERSROOM_MAX_INPUT_CHARS", 8000, 100, 200_000),
        text_concurrency=_int(env, "WRITERSROOM_TEXT_CONCURRENCY", 256, 1, 1024),
        job_lease=float(_int(env, "WRITERSROOM_JOB_LEASE", 30, 2, 3600)),
        event_loop=event_loop,
        openai_api_key=get("OPENAI_API_KEY"),
        openai_base_url=get("OPENAI_BASE_URL"),
        openai_model=get("OPENAI_MODEL"),
        openai_timeout=_float(env, "OPENAI_TIMEOUT", 60.0),
        retention_days=_int(env, "WRITERSROOM_RETENTION_DAYS", 0, 0, 36_500),
        redact_pii=_bool(env, "WRITERSROOM_REDACT_PII", False),
        user_rate=_int(env, "WRITERSROOM_USER_RATE", 0, 0, 10_000),
        daily_tokens=_int(env, "WRITERSROOM_DAILY_TOKENS", 0, 0, 10**12),
        image_jobs_per_user=_int(env, "WRITERSROOM_IMAGE_JOBS_PER_USER", 2, 0, 100),
        image_backend=backend,  # type: ignore[arg-type]
        diffusers_model=Path(diffusers_raw) if diffusers_raw else None,
        image_model=get("WRITERSROOM_IMAGE_MODEL"),
        image_steps=_int(env, "WRITERSROOM_IMAGE_STEPS", 0, 0, 200),
        image_queue=image_queue,  # type: ignore[arg-type]
        worker_devices=devices,
        worker_timeout=_float(env, "WRITERSROOM_WORKER_TIMEOUT", 30.0),
        slack_bot_token=get("SLACK_BOT_TOKEN"),
        slack_app_token=get("SLACK_APP_TOKEN"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_api_url=get("SLACK_API_URL"),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_redirect_uri=get("SLACK_REDIRECT_URI"),
        discord_token=get("DISCORD_TOKEN"),
        discord_shards=discord_shards,
        discord_shard_ids=discord_shard_ids,
        discord_api_url=get("DISCORD_API_URL"),
        public_url=_public_url(get("WRITERSROOM_PUBLIC_URL")),
        web_secret=get("WRITERSROOM_WEB_SECRET"),
        web_link_hours=_int(env, "WRITERSROOM_WEB_LINK_HOURS", 24, 1, 24 * 365),
    )
