"""Board links: a signed token that opens one channel's web board for one person.

A token names the channel's story key, the person it was given to, when it stops working
and the channel's link *generation* at the time. It is ``<payload>.<mac>``: the payload is
compact JSON, the MAC an HMAC-SHA256 of it under the signing key (with a purpose prefix,
so no other signature of that key can pass for a link), both in lower-case base32: no
character a chat's markup could take for emphasis (``_``, ``~``, ``*``) or a URL would
have to escape. Nothing is encrypted: the payload says nothing the holder may not know.

Revocation lives outside the token: ``/outline board revoke`` raises the channel's
generation in the database, and a token of an older generation is refused by whoever
checks it (bot/adapters/web/access.py). Plain functions on plain data; the clock and
the key are passed in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Literal

from core.types import Author, StoryKey

PURPOSE = b"writersroom board link v1\x00"
MAC_BYTES = 16
"""HMAC-SHA256 cut to 128 bits (as RFC 2104 allows): a shorter link, out of reach of guessing."""
MAX_TOKEN_CHARS = 2048
"""Longer is refused before any decoding (a link is a few hundred characters)."""

Refusal = Literal["tampered", "expired", "revoked"]


@dataclass(frozen=True, slots=True)
class BoardLink:
    """What a token says: whose board (``key``), for whom, until when, which generation."""

    key: StoryKey
    person: Author
    expires: float
    generation: int


class LinkRefused(Exception):
    """The token cannot open the board; ``reason`` says why (for logs and the 403 page)."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


def _b32(data: bytes) -> str:
    return base64.b32encode(data).rstrip(b"=").decode("ascii").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def _mac(payload: str, key: bytes) -> str:
    digest = hmac.new(key, PURPOSE + payload.encode("ascii"), hashlib.sha256).digest()
    return _b32(digest[:MAC_BYTES])


def sign(link: BoardLink, key: bytes) -> str:
    """The token for ``link`` under ``key``."""
    body = {
        "k": list(link.key),
        "p": [link.person.id, link.person.name],
        "e": int(link.expires),
        "g": link.generation,
    }
    payload = _b32(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_mac(payload, key)}"


def read(token: str, key: bytes, now: float) -> BoardLink:
    """The link a token carries, if ``key`` signed it and it has not expired.

    Raises ``LinkRefused("tampered")`` for anything not signed by ``key`` (a changed
    character, another key, garbage) and ``LinkRefused("expired")`` past its time. The
    generation is the caller's to compare with the channel's."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        raise LinkRefused("tampered")
    payload, mac = token.split(".")
    try:
        expected = _mac(payload, key)
    except UnicodeEncodeError:
        raise LinkRefused("tampered") from None
    if not hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace")):
        raise LinkRefused("tampered")
    try:
        body = json.loads(_unb32(payload))
        platform, workspace, channel = (str(part) for part in body["k"])
        person = Author(str(body["p"][0]), str(body["p"][1]))
        link = BoardLink((platform, workspace, channel), person, float(body["e"]), int(body["g"]))
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
        raise LinkRefused("tampered") from None  # signed by us, so never in practice
    if now >= link.expires:
        raise LinkRefused("expired")
    return link
