"""Redaction of personal data before text leaves for an external model.

With WRITERSROOM_REDACT_PII=true the engines pass every outgoing message (text prompts,
summary chunks, image prompts) through ``redact``: e-mail addresses become ``[email]``
and phone numbers ``[phone]``. It is applied once, where requests leave
(``ChatClient.stream`` and ``OpenAIImageBackend``), so no command can forget it. The
story bible itself is never changed.

What counts as a phone number is deliberately narrow, so story text keeps its numbers: 7 to
15 digits written as a phone number is (an optional +country code, groups joined by
spaces, dots or dashes, an optional area code in brackets). ISO dates (2024-05-01), year
ranges (1990-1994) and long numbers without separators or a leading + are left alone.
"""

from __future__ import annotations

import re
from typing import TypeVar

EMAIL = "[email]"
PHONE = "[phone]"

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+(?:@|\s*\(at\)\s*|\s*\[at\]\s*)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])"
)
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:\+\d{1,3}[\s.\-]?)?"  # country code
    r"(?:\(\d{1,5}\)[\s.\-]?)?"  # (area code)
    r"\d{1,8}(?:[\s.\-]\d{1,8}){0,5}"
    r"(?![\w])"
)
_NOT_PHONE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|[12]\d{3}\s?-\s?[12]\d{3}")
"""ISO dates and year ranges (1990-1994)."""
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15  # E.164


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        return found
    if _NOT_PHONE.fullmatch(found):
        return found
    separated = bool(re.search(r"[\s.\-()]", found)) or found.startswith("+")
    return PHONE if separated else found


def redact(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by placeholders."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL, text)
    return _PHONE.sub(_phone, text)


M = TypeVar("M")


def redact_messages(messages: list[M]) -> list[M]:
    """Chat messages (dicts with "content") with every content redacted; new dicts, so the
    caller's list is untouched."""
    out: list[M] = []
    for message in messages:
        if isinstance(message, dict) and isinstance(message.get("content"), str):
            message = {**message, "content": redact(message["content"])}  # type: ignore[assignment]
        out.append(message)
    return out
