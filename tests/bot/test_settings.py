from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings
from core.errors import ConfigError


def test_defaults_use_offline_engines_and_data_dir() -> None:
    s = load_settings({}, dotenv=None)
    assert s.db_path == Path("data/writersroom.db")
    assert s.image_backend == "offline"
    assert not s.model_configured


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("OPENAI_MODEL=from-file\nWRITERSROOM_DATA_DIR=/srv/wr\n")
    s = load_settings({"OPENAI_MODEL": "from-env"}, dotenv=env_file)
    assert s.openai_model == "from-env"
    assert s.db_path == Path("/srv/wr/writersroom.db")


def test_a_base_url_alone_turns_the_model_on() -> None:
    assert load_settings(
        {"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}, dotenv=None
    ).model_configured


def test_bad_values_fail_by_name() -> None:
    with pytest.raises(ConfigError, match="WRITERSROOM_IMAGE_BACKEND"):
        load_settings({"WRITERSROOM_IMAGE_BACKEND": "magic"}, dotenv=None)
    with pytest.raises(ConfigError, match="OPENAI_TIMEOUT"):
        load_settings({"OPENAI_TIMEOUT": "soon"}, dotenv=None)


def test_require_names_the_missing_key() -> None:
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}, dotenv=None)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN") as err:
        s.require("slack_bot_token", "slack_app_token")
    assert "SLACK_BOT_TOKEN" not in str(err.value)


def test_repr_never_shows_secrets() -> None:
    s = load_settings({"OPENAI_API_KEY": "sk-secret", "DISCORD_TOKEN": "tok"}, dotenv=None)
    assert "sk-secret" not in repr(s) and "tok'" not in repr(s)


def test_settings_are_frozen() -> None:
    s = load_settings({}, dotenv=None)
    with pytest.raises(AttributeError):
        s.openai_model = "x"  # type: ignore[misc]


def test_env_example_lists_every_key() -> None:
    from bot.settings import ENV_NAMES

    example = (Path(__file__).parents[2] / ".env.example").read_text()
    for key in ENV_NAMES.values():
        assert f"\n{key}=" in example, key


def test_the_web_boards_settings_are_read_and_checked() -> None:
    s = load_settings(
        {
            "WRITERSROOM_PUBLIC_URL": "https://bot.example.com/room/",
            "WRITERSROOM_WEB_SECRET": "a passphrase",
            "WRITERSROOM_WEB_LINK_HOURS": "2",
        },
        dotenv=None,
    )
    assert (s.public_url, s.web_secret, s.web_link_hours) == (
        "https://bot.example.com/room",
        "a passphrase",
        2,
    )
    assert "a passphrase" not in repr(s)
    defaults = load_settings({}, dotenv=None)
    assert (defaults.public_url, defaults.web_secret, defaults.web_link_hours) == (None, None, 24)
    for bad in ({"WRITERSROOM_PUBLIC_URL": "bot.example.com"}, {"WRITERSROOM_WEB_LINK_HOURS": "0"}):
        with pytest.raises(ConfigError, match=next(iter(bad))):
            load_settings(bad, dotenv=None)
