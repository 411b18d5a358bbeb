from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def run(
    args: list[str], env_extra: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "SLACK_", "DISCORD_", "WRITERSROOM_"))
    }
    env.update({"WRITERSROOM_DATA_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "env", "missing"),
    [
        (["slack"], {}, "SLACK_BOT_TOKEN, SLACK_APP_TOKEN"),
        (["slack", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (["discord"], {}, "DISCORD_TOKEN"),
        (["serve"], {}, "SLACK_BOT_TOKEN or DISCORD_TOKEN"),
    ],
)
def test_an_adapter_without_credentials_fails_at_start_naming_the_key(
    args: list[str], env: dict[str, str], missing: str, tmp_path: Path
) -> None:
    proc = run(args, env, tmp_path)
    assert proc.returncode == 2
    assert f"Missing setting: {missing}" in proc.stderr
    assert "xoxb-1" not in proc.stderr


def test_bad_setting_fails_by_name(tmp_path: Path) -> None:
    proc = run(["shell"], {"WRITERSROOM_IMAGE_BACKEND": "crayons"}, tmp_path)
    assert proc.returncode == 2 and "WRITERSROOM_IMAGE_BACKEND" in proc.stderr


def test_shell_on_empty_input_exits_zero(tmp_path: Path) -> None:
    proc = run(["shell"], {}, tmp_path)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("loop", ["asyncio", "uvloop", "auto"])
def test_shell_runs_on_the_chosen_event_loop(loop: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "shell"],
        input="/story new A lighthouse keeper hears a voice\n/synopsis logline\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "WRITERSROOM_DATA_DIR": str(tmp_path), "WRITERSROOM_EVENT_LOOP": loop},
    )
    assert proc.returncode == 0, proc.stderr
    assert "== Synopsis · A lighthouse keeper hears a voice ==" in proc.stdout


def test_an_unknown_event_loop_fails_by_name(tmp_path: Path) -> None:
    proc = run(["shell"], {"WRITERSROOM_EVENT_LOOP": "trio"}, tmp_path)
    assert proc.returncode == 2
    assert "WRITERSROOM_EVENT_LOOP must be one of auto, uvloop, asyncio" in proc.stderr


def test_a_database_that_cannot_be_opened_stops_the_start_with_one_line(
    tmp_path: Path,
) -> None:
    """A PostgreSQL server that is down (nothing listens on port 1): one line naming the
    setting and the reason, exit status 2, no traceback, never the password."""
    proc = run(["shell"], {"WRITERSROOM_DB": "postgresql://bot:hunter2@127.0.0.1:1/wr"}, tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("writersroom: WRITERSROOM_DB:")
    assert "Connection refused" in lines[0] or "connect" in lines[0]
    assert "hunter2" not in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def test_slack_http_starts_on_oauth_settings_without_a_bot_token(tmp_path: Path) -> None:
    """Installs by OAuth: the client id and secret and the signing secret are enough."""
    import signal
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "SLACK_", "DISCORD_", "WRITERSROOM_"))
    }
    env.update(
        WRITERSROOM_DATA_DIR=str(tmp_path),
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret-x",
        SLACK_SIGNING_SECRET="signing-secret-x",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "slack", "--http", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1]
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert "Missing setting" not in err and "client-secret-x" not in err
