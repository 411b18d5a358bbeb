"""The board's HTML, rendered on the server: the page, the part that live updates
replace, and the short page a refused link gets.

Every piece of story text goes through ``esc`` (html.escape with quotes), so a beat named
``<script>alert(1)</script>`` is shown as those characters; the only attributes built from
data hold numbers. The page has no inline script or style at all: the Content-Security-
Policy (guard.py) allows only the package's own board.js and board.css, found relative
to the page, so a public URL with a path prefix works too.
"""

from __future__ import annotations

import datetime as dt
import html

from commands.board_page import BoardView, Card, Column, Entry
from core.links import BoardLink, Refusal

ASSETS = "assets/"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _card(card: Card) -> str:
    badge = '<span class="drafted">scene drafted</span>' if card.drafted else ""
    meta = []
    if card.place:
        meta.append(f'<span class="place" title="Location">{esc(card.place)}</span>')
    if card.cast:
        meta.append(f'<span class="cast" title="Characters">{esc(", ".join(card.cast))}</span>')
    return (
        f'<li class="card" draggable="true" tabindex="0" data-beat="{card.id}" '
        f'data-number="{card.number}">'
        f'<div class="card-head"><span class="num">Beat {card.number}</span>{badge}</div>'
        f'<p class="text">{esc(card.text)}</p>'
        + (f'<p class="meta">{"".join(meta)}</p>' if meta else "")
        + '<div class="tools"><button type="button" class="edit">Edit</button>'
        '<button type="button" class="remove">Remove</button></div></li>'
    )


def _column(column: Column) -> str:
    act = column.act
    cards = "".join(_card(c) for c in column.cards)
    empty = "" if column.cards else '<li class="empty">Drop a beat here</li>'
    return (
        f'<section class="act" data-act="{act}" aria-label="Act {act}">'
        f'<h2>Act {act} <span class="count">{len(column.cards)}</span></h2>'
        f'<ol class="cards">{cards}{empty}</ol>'
        f'<form class="add" data-act="{act}">'
        f'<label><span class="hidden">New beat in act {act}</span><textarea name="text" '
        f'rows="1" maxlength="1000" required placeholder="New beat in act {act}…"></textarea>'
        '</label><button type="submit">Add</button></form>'
        "</section>"
    )


def _entries(title: str, entries: tuple[Entry, ...], none: str) -> str:
    items = "".join(
        f"<li><strong>{esc(e.name)}</strong>" + (f" — {esc(e.line)}" if e.line else "") + "</li>"
        for e in entries
    )
    return f"<h2>{title}</h2>" + (f"<ul>{items}</ul>" if items else f'<p class="none">{none}</p>')


def board_part(page: BoardView) -> str:
    """What live updates replace: the title, the acts and the bible beside them."""
    logline = f'<p class="logline">{esc(page.logline)}</p>' if page.logline else ""
    return (
        f'<div class="story"><h1>Board · {esc(page.title)}</h1>{logline}</div>'
        '<div class="layout"><div class="board">'
        + "".join(_column(c) for c in page.columns)
        + '</div><aside class="bible" aria-label="Cast and locations">'
        + _entries("Cast", page.cast, "No characters yet: /character new in the channel.")
        + _entries("Locations", page.places, "No locations yet: /location new in the channel.")
        + "</aside></div>"
    )


def _until(at: float) -> str:
    return dt.datetime.fromtimestamp(at, tz=dt.UTC).strftime("%d %b %Y, %H:%M UTC")


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title>"
        f'<link rel="icon" href="{ASSETS}board.svg" type="image/svg+xml">'
        f'<link rel="stylesheet" href="{ASSETS}board.css">'
        f'<script src="{ASSETS}board.js" defer></script>'
        f"</head><body>{body}</body></html>"
    )


def page_html(page: BoardView, link: BoardLink) -> str:
    """The whole board page for the link's person."""
    who = (
        f'<p class="who">Changes you make are recorded as <strong>{esc(link.person.name)}'
        f"</strong>; /story undo in the channel takes them back. This link works until "
        f"{_until(link.expires)}.</p>"
    )
    return _document(
        f"Board · {page.title}",
        f'<header class="top">{who}<p id="status" role="status" aria-live="polite"></p>'
        f'</header><main id="page" data-version="{page.version}">{board_part(page)}</main>',
    )


REASONS: dict[Refusal, str] = {
    "tampered": "This link is not one the bot made: it was changed, or cut short when pasted.",
    "expired": "This link has expired: board links work for a limited time.",
    "revoked": "Every link to this board was revoked with /outline board revoke.",
}

RELINK = (
    "Ask for a new one in the channel: type /outline board there. "
    "The bot answers only you, with a link for you alone."
)


def refused_html(reason: Refusal) -> str:
    """The short page a tampered, expired or revoked link gets (with a 403)."""
    return _document(
        "Board link not valid",
        '<main class="refused"><h1>This board link does not work</h1>'
        f"<p>{esc(REASONS[reason])}</p><p>{esc(RELINK)}</p></main>",
    )
