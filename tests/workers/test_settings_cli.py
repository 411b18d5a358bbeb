"""The worker's settings and command line."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import build_parser, main, with_shards
from bot.settings import load_settings
from core.errors import ConfigError

PG = {"WRITERSROOM_DB": "postgresql://u:p@127.0.0.1/db"}


def test_the_queue_is_on_for_diffusers_on_postgresql_unless_set() -> None:
    assert load_settings(
        {**PG, "WRITERSROOM_IMAGE_BACKEND": "diffusers"}, dotenv=None
    ).uses_image_queue
    assert not load_settings(PG, dotenv=None).uses_image_queue  # offline cards stay here
    assert not load_settings(
        {"WRITERSROOM_IMAGE_BACKEND": "diffusers"}, dotenv=None
    ).uses_image_queue
    off = {**PG, "WRITERSROOM_IMAGE_BACKEND": "diffusers", "WRITERSROOM_IMAGE_QUEUE": "off"}
    assert not load_settings(off, dotenv=None).uses_image_queue
    assert load_settings({**PG, "WRITERSROOM_IMAGE_QUEUE": "on"}, dotenv=None).uses_image_queue


@pytest.mark.parametrize(
    "env, named",
    [
        ({"WRITERSROOM_IMAGE_QUEUE": "on"}, "needs PostgreSQL"),
        ({"WRITERSROOM_IMAGE_QUEUE": "maybe"}, "WRITERSROOM_IMAGE_QUEUE"),
        ({"WRITERSROOM_WORKER_DEVICES": "cuda:0,cuda:0"}, "WRITERSROOM_WORKER_DEVICES"),
        ({"WRITERSROOM_WORKER_TIMEOUT": "-1"}, "WRITERSROOM_WORKER_TIMEOUT"),
    ],
)
def test_bad_worker_settings_fail_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env, dotenv=None)


def test_worker_devices_are_read_as_a_list() -> None:
    settings = load_settings({"WRITERSROOM_WORKER_DEVICES": " cuda:0, cuda:1 "}, dotenv=None)
    assert settings.worker_devices == ("cuda:0", "cuda:1")


def test_the_worker_needs_postgresql(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("WRITERSROOM_DB", raising=False)
    monkeypatch.chdir(str(tmp_path))
    assert main(["worker"]) == 2
    assert "needs PostgreSQL" in capsys.readouterr().err


def test_shard_options_on_the_command_line_override_the_environment() -> None:
    args = build_parser().parse_args(["discord", "--shards", "4", "--shard-ids", "2,3"])
    settings = with_shards(load_settings({"DISCORD_SHARDS": "2"}, dotenv=None), args)
    assert (settings.discord_shards, settings.discord_shard_ids) == (4, (2, 3))
    with pytest.raises(ConfigError, match="--shard-ids"):
        with_shards(
            load_settings({}, dotenv=None),
            argparse.Namespace(shards=2, shard_ids=(0, 2)),
        )


def test_a_bot_without_the_queue_loads_neither_the_queue_engine_nor_torch() -> None:
    """On SQLite (or with the queue off) nothing of procrastinate is needed: a bot
    installed without the postgres extra starts."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, commands, bot.app, bot.dispatch, bot.recovery;"
        "print('procrastinate' in sys.modules, 'torch' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
