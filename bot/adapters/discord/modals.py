"""Forms as Discord modals: ``/character edit Mara`` (no field) and ``/story set synopsis``
(no text) open one, filled in; its submission is saved as ONE revision.

The form itself (fields, checks, the save) is commands/forms.py; here it becomes modals
within Discord's rules:

- **Five inputs a modal.** A form of more fields is shown a page (``Form.groups``) at a
  time. A modal cannot answer with another modal, so saving a page answers privately with
  what was saved and an **Edit more fields (2/4)** button that opens the next page, filled
  in from the sheet as it now is. Each page is its own revision: a writer who stops after
  the first page has saved what they changed there.
- **No per-field errors.** Discord shows none inside a modal, so a value that does not fit
  is answered privately with the messages and a **Reopen the form** button that opens it
  again with the submitted values kept (and the fingerprints of the values as first
  opened, so another person's edit meanwhile is still not overwritten).
- **Answered within 3 seconds, before any defer.** The router asks ``open_for`` first.
- **Restarts.** A modal's ``Form.ref()`` is carried in custom ids, not in memory: the
  modal's id holds the kind, story, subject, page and the name as opened; each input's id
  holds its field and the fingerprint of its value as opened (a whole ref, with a
  16-field sheet's fingerprints, would not fit in one 100-character id). Modals are sent
  stopped, so discord.py keeps none of them: every submission arrives through
  ``on_interaction`` and is read from its ids alone, in any process. Only the values kept
  for Reopen live in this process's memory (bounded); after a restart Reopen opens the
  form as saved instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapters.discord import translate as tr
from bot.adapters.discord.outbox import NO_MENTIONS
from bot.app import App
from commands.forms import (
    FIELD_CHARS,
    Form,
    FormInvalid,
    FormKind,
    FormRequest,
    fingerprint,
    form_request,
)
from commands.forms import open_form as load_form
from commands.forms import submit as save_form
from core.errors import CommandError
from core.models import StoryKey, field_label
from core.types import Args, Author

if TYPE_CHECKING:
    from typing import Self

log = logging.getLogger(__name__)

TITLE_CHARS = 45
LABEL_CHARS = 45
INPUT_CHARS = 4000
GONE_STORY = "This channel started another story since; open the form again."
KEPT = "Longer than a form holds: leave empty to keep the saved text."
_KINDS = {"character": "c", "story": "s"}
_FORM = r"(?P<k>[cs]):(?P<story>\d{1,19}):(?P<subject>[a-z0-9_]{1,20}):(?P<page>\d)"
MODAL_ID = re.compile(rf"wrf:m:{_FORM}:(?P<pages>\d):(?P<about>.*)", re.S)
BUTTON_ID = rf"wrf:(?P<verb>more|again):{_FORM}(?::(?P<token>[A-Za-z0-9_-]{{1,16}}))?"
INPUT_ID = re.compile(r"(?P<name>[a-z_]{1,30}):(?P<print>[0-9a-f]{1,16})(?P<kept>:k)?")


@dataclass(frozen=True, slots=True)
class Which:
    """Which form and page a modal or a button is about."""

    kind: FormKind
    story_id: int
    subject: str
    page: int

    @classmethod
    def of(cls, match: re.Match[str]) -> Which:
        kind: FormKind = "character" if match["k"] == "c" else "story"
        return cls(kind, int(match["story"]), match["subject"], int(match["page"]))

    def id(self, verb: str) -> str:
        return f"wrf:{verb}:{_KINDS[self.kind]}:{self.story_id}:{self.subject}:{self.page}"


@dataclass(frozen=True, slots=True)
class Submitted:
    which: Which
    pages: int
    about: str
    prints: dict[str, str]
    values: dict[str, str]

    def ref(self) -> dict[str, Any]:
        """The ``Form.ref()`` the modal was opened with, for commands.forms.submit."""
        return {
            "k": self.which.kind,
            "s": self.which.story_id,
            "t": self.which.subject,
            "a": self.about,
            "o": self.prints,
        }


def form_modal(
    form: Form,
    page: int = 0,
    *,
    values: Mapping[str, str] | None = None,
    prints: Mapping[str, str] | None = None,
) -> discord.ui.Modal:
    """One page of ``form`` as a modal, filled in (with ``values`` where given)."""
    groups = form.groups()
    page = min(page, len(groups) - 1)
    which = Which(form.kind, form.story_id, form.subject, page)
    suffix = f" ({page + 1}/{len(groups)})" if len(groups) > 1 else ""
    head = TITLE_CHARS - len(suffix)
    title = (form.title if len(form.title) <= head else form.title[: head - 1] + "…") + suffix
    modal_id = f"{which.id('m')}:{len(groups)}:"
    modal = discord.ui.Modal(
        title=title, custom_id=modal_id + form.about[: 100 - len(modal_id)], timeout=None
    )
    for f in groups[page]:
        value = f.value if values is None else values.get(f.name, f.value)
        holds = min(f.max_length, INPUT_CHARS, FIELD_CHARS)
        kept = len(value) > holds  # Discord refuses a default past the max_length
        mark = (prints or {}).get(f.name) or fingerprint(f.value)
        modal.add_item(
            discord.ui.TextInput(
                label=f.label[:LABEL_CHARS],
                custom_id=f"{f.name}:{mark}" + (":k" if kept else ""),
                style=discord.TextStyle.paragraph if f.long else discord.TextStyle.short,
                default=None if kept or not value else value,
                placeholder=KEPT[:100] if kept else None,
                required=f.required and not kept,
                max_length=holds,
            )
        )
    modal.stop()  # answered from its ids by on_interaction, so discord.py keeps none
    return modal


def read_submission(data: Mapping[str, Any]) -> Submitted | None:
    """A modal submission's form, page and values; None when its ids are not ours."""
    match = MODAL_ID.fullmatch(str(data.get("custom_id") or ""))
    if match is None:
        return None
    prints: dict[str, str] = {}
    values: dict[str, str] = {}
    for component in _inputs(data.get("components") or []):
        input_id = INPUT_ID.fullmatch(str(component.get("custom_id") or ""))
        if input_id is None:
            return None
        value = str(component.get("value") or "")
        if input_id["kept"] and not value.strip():
            continue  # too long to show, left empty: keep what is saved
        prints[input_id["name"]] = input_id["print"]
        values[input_id["name"]] = value
    return Submitted(Which.of(match), int(match["pages"]), match["about"], prints, values)


def _inputs(components: Sequence[Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for c in components:
        if not isinstance(c, Mapping):
            continue
        if c.get("type") == 1:
            found += _inputs(c.get("components") or [])
        elif c.get("type") == 18:  # a Label around its input
            found += _inputs([c.get("component")])
        elif c.get("type") == 4:
            found.append(c)
    return found


class Forms:
    """Opens forms for commands and buttons, and saves what their modals send back."""

    def __init__(
        self,
        app: App,
        parents: dict[int, int],
        own: Callable[[asyncio.Task[Any] | None], None],
        kept: int = 1000,
    ) -> None:
        self.app = app
        self.parents = parents
        self.own = own
        self.kept: tr.Bounded[str, Submitted] = tr.Bounded(kept)

    def _where(self, interaction: discord.Interaction) -> tuple[StoryKey, Author]:
        where = tr.interaction_where(interaction, self.parents)
        return where.place.story_key, tr.interaction_author(interaction)

    async def open_for(self, interaction: discord.Interaction, path: str, args: Args) -> bool:
        """Open the form a command asks for (True), or leave the command be (False)."""
        request = form_request(path, args)
        if request is None:
            return False
        key, author = self._where(interaction)
        try:
            form = await load_form(self.app.store, key, request, author)
        except CommandError as exc:
            await _say(interaction, exc.message)
            return True
        await interaction.response.send_modal(form_modal(form))
        return True

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A modal submission of ours: checked, saved, answered privately."""
        data = cast(Mapping[str, Any], interaction.data or {})
        if interaction.type is not discord.InteractionType.modal_submit or not str(
            data.get("custom_id") or ""
        ).startswith("wrf:m:"):
            return
        self.own(asyncio.current_task())
        await _apologising(interaction, self._submit(interaction, data))

    async def _submit(self, interaction: discord.Interaction, data: Mapping[str, Any]) -> None:
        sent = read_submission(data)
        if sent is None:
            await _say(interaction, "This form can't be read any more. Open it again.")
            return
        key, author = self._where(interaction)
        try:
            saved = await save_form(self.app.store, key, sent.ref(), sent.values, author)
        except FormInvalid as exc:
            token = secrets.token_urlsafe(9)
            self.kept[token] = sent
            lines = "\n".join(f"- **{field_label(k)}**: {v}" for k, v in exc.errors.items())
            button = FormButton("again", sent.which, "Reopen the form", token)
            await _say(interaction, f"Nothing was saved:\n{lines}", button)
            return
        except CommandError as exc:  # FormGone, or a form this channel did not open
            await _say(interaction, exc.message)
            return
        page = sent.which.page + 1
        more = None
        if page < sent.pages:
            nxt = Which(sent.which.kind, sent.which.story_id, sent.which.subject, page)
            more = FormButton("more", nxt, f"Edit more fields ({page + 1}/{sent.pages})")
        await _say(interaction, saved.message(), more)

    async def on_button(
        self, interaction: discord.Interaction, verb: str, which: Which, token: str | None
    ) -> None:
        """Edit more fields (the next page, as saved now) or Reopen (the values kept)."""
        self.own(asyncio.current_task())
        await _apologising(interaction, self._reopen(interaction, verb, which, token))

    async def _reopen(
        self, interaction: discord.Interaction, verb: str, which: Which, token: str | None
    ) -> None:
        key, author = self._where(interaction)
        story = await self.app.store.active_story(key)
        if story is None or story.id != which.story_id:
            await _say(interaction, GONE_STORY)
            return
        subject = which.subject
        if which.kind == "character":
            cast_ = await self.app.store.characters(story.id)
            found = next((c for c in cast_ if str(c.id) == subject), None)
            if found is None:
                await _say(interaction, "That character was removed from the story meanwhile.")
                return
            subject = found.name
        try:
            form = await load_form(self.app.store, key, FormRequest(which.kind, subject), author)
        except CommandError as exc:
            await _say(interaction, exc.message)
            return
        kept = self.kept.pop(token, None) if verb == "again" and token else None
        if kept is None:
            await interaction.response.send_modal(form_modal(form, which.page))
            return
        modal = form_modal(form, which.page, values=kept.values, prints=kept.prints)
        await interaction.response.send_modal(modal)


async def _apologising(interaction: discord.Interaction, work: Awaitable[None]) -> None:
    """Run a form's work; a failure of ours is logged with an error id and the writer
    told so with it (rather than Discord's bare "interaction failed")."""
    try:
        await work
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("form failed, error id %s", error_id)
        text = (
            f"Sorry, something went wrong on my side (error id {error_id}). "
            "A form is saved whole or not at all; try it again."
        )
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await _say(interaction, text)


async def _say(
    interaction: discord.Interaction, text: str, button: FormButton | None = None
) -> None:
    if button is None:
        await interaction.response.send_message(
            text[:2000], ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return
    view = discord.ui.View(timeout=None)
    view.add_item(button)
    view.stop()  # answered by FormButton from its custom id, so discord.py keeps none
    await interaction.response.send_message(
        text[:2000], ephemeral=True, allowed_mentions=NO_MENTIONS, view=view
    )


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """Edit more fields / Reopen the form: which form and page live in the custom id."""

    def __init__(self, verb: str, which: Which, label: str, token: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80],
                style=discord.ButtonStyle.primary,
                custom_id=which.id(verb) + (f":{token}" if token else ""),
            )
        )
        self.verb = verb
        self.which = which
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        label = getattr(item, "label", None)
        return cls(match["verb"], Which.of(match), str(label or ""), match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:
        forms = getattr(getattr(interaction.client, "router", None), "forms", None)
        if not isinstance(forms, Forms):
            log.warning("form button %s pressed on a client without forms", self.custom_id)
            return
        await forms.on_button(interaction, self.verb, self.which, self.token)
