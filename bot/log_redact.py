"""A logging filter that scrubs secrets from every line the bot's handlers write.

The bot's own log lines carry ids, kinds, timings and counts. The libraries under it
format what they like: Bolt's OAuth flow logs the code Slack refused, slack_sdk's Socket
Mode client logs its connection URL with the one-time ticket in it, HTTP clients log
request URLs that may carry a user and password, and a traceback quotes whatever its
exception says. The fixes where each of those is made are the first defence; this filter
is the second, for the line nobody has seen yet. It rewrites a record's final message (and
its traceback) before any handler formats it, replacing:

- the code after "oauth.v2.access" (Bolt's "Failed to fetch oauth.v2.access result with
  code: …") and ``code=`` / ``state=`` query parameters;
- ``ticket=`` (Socket Mode), ``token=`` and ``password=`` / ``sslpassword=`` values;
- the password of a URL's userinfo (``//user:password@``);
- the token at the end of a Slack response_url or webhook path
  (``/commands/<team>/<id>/<token>``, ``/actions/…``, ``/services/…``);
- Slack tokens (``xoxb-…``, ``xoxp-…``, ``xapp-…`` and the rest), OpenAI-style keys
  (``sk-…``), ``Bearer …`` credentials and Discord bot tokens.

What it keeps (a token's kind, a URL's host, a user's name) still says where to look.
"""

from __future__ import annotations

import logging
import re

HIDDEN = "[redacted]"

_KEEP_PREFIX = rf"\g<1>{HIDDEN}"
"""Each rule's first group (the name, the "code: ", the token's kind) stays."""

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(oauth\.v2\.access\b[^\n]*?\bcode:\s*)[^\s,;]+"), _KEEP_PREFIX),
    (re.compile(r"([?&](?:code|state)=)[^&\s'\"#]+"), _KEEP_PREFIX),
    (
        re.compile(r"(\b(?:ticket|token|access_token|refresh_token|client_secret)=)[^&\s'\"#]+"),
        _KEEP_PREFIX,
    ),
    (
        re.compile(
            r"(\b(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^&\s'\",;)]+)", re.I
        ),
        _KEEP_PREFIX,
    ),
    (re.compile(r"(//[^/\s:@]*:)[^/\s]+@"), rf"\g<1>{HIDDEN}@"),
    (
        re.compile(r"(/(?:commands|actions|services)/[A-Za-z0-9]+/[A-Za-z0-9]+/)[^/\s?#'\"]+"),
        _KEEP_PREFIX,
    ),
    (re.compile(r"\b(xox[a-z](?:\.xox[a-z])?-|xapp-)[A-Za-z0-9-]+"), _KEEP_PREFIX),
    (re.compile(r"(?<![A-Za-z0-9])(sk-)[A-Za-z0-9_*-]{4,}"), _KEEP_PREFIX),
    (re.compile(r"\b(Bearer\s+)[^\s'\",]+", re.I), _KEEP_PREFIX),
    (re.compile(r"\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"), HIDDEN),
)


def scrub(text: str) -> str:
    """``text`` with every secret the rules above recognise replaced by [redacted]."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites each record's message, traceback and stack in place, and lets it through.

    Installed on a handler, it sees every record that handler writes, whichever logger
    (the bot's or a library's) made it. The traceback is formatted here, once, so the text
    the handler's formatter reuses is the scrubbed one."""

    def __init__(self) -> None:
        super().__init__()
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
