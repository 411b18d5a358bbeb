"""The Slack adapter: slash commands, threads, mentions, buttons, a shortcut and App Home.

Only translation lives here (STYLE 1): Slack payloads become Invocations for the
dispatcher, Replies become Web API calls. Start with ``run_slack`` (what ``python -m bot
slack`` calls); tests use ``build_slack_app``.
"""

from bot.adapters.slack.app import build_slack_app, make_runtime, run_slack

__all__ = ["build_slack_app", "make_runtime", "run_slack"]
