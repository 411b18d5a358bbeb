"""Discord events in, dispatcher calls out: slash commands, autocomplete, buttons, messages.

Every interaction is acknowledged first (``defer``; a typing mistake gets its ephemeral
answer instead), well inside Discord's 3-second window, then queued on the dispatcher,
which returns at once. The router owns the tasks that follow a job to its end, so the
bot can wait for them (tests, shutdown) and cancel them when it closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import feedback
from bot.adapters.discord import translate as tr
from bot.adapters.discord.buttons import custom_id
from bot.adapters.discord.interaction_responders import ButtonResponder, InteractionResponder
from bot.adapters.discord.modals import Forms
from bot.adapters.discord.outbox import NO_MENTIONS
from bot.adapters.discord.responder import DiscordResponder, Where
from bot.adapters.feedback import DRAFT_ACTIONS, Made, made_as_draft, made_by
from bot.adapters.presses import ALREADY_ON_IT, hold
from bot.adapters.seen import Seen
from bot.app import App
from bot.jobs import Job
from bot.parsing import bind
from bot.registry import Param, Resolved
from core.errors import CommandError
from core.text import name_key
from core.types import ACTION, ActionArgs, Invocation, Place, Reply
from storage.api import Vote

log = logging.getLogger(__name__)

AUTOCOMPLETE_MAX = 25
CANCELLABLE = ("text", "image")
CHOICE_MAX = 100
_CHAT = (discord.MessageType.default, discord.MessageType.reply)


class Router:
    def __init__(self, client: discord.Client, app: App) -> None:
        self.client = client
        self.app = app
        self.tasks: set[asyncio.Task[None]] = set()
        self.thread_parents: tr.Bounded[int, int] = tr.Bounded()  # thread id -> channel id
        self.not_threads: tr.Bounded[int, bool] = tr.Bounded()
        self.links: tr.Bounded[int, str] = tr.Bounded()  # bot message id -> its thread key
        self.forms = Forms(app, self.thread_parents, self.own)  # modals (bot/.../modals.py)
        self.seen = Seen(app.store, tr.PLATFORM)
        """Messages claimed: each is answered once, by one process (bot/adapters/seen.py).
        Interactions need no claim: Discord takes one acknowledgment of each, and a
        second process's defer is refused before any work starts."""

    # --- slash commands ----------------------------------------------------------------

    async def on_command(
        self, interaction: discord.Interaction, resolved: Resolved, options: dict[str, Any]
    ) -> None:
        self.own(asyncio.current_task())
        # names typed into one option are read by bind, as the same words typed in Slack
        given = {
            p.name: options[p.name] for p in resolved.leaf.params if options.get(p.name) is not None
        }
        try:
            args = bind(resolved, given)
        except CommandError as exc:
            await interaction.response.send_message(
                exc.message, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        if await self.forms.open_for(interaction, resolved.path, args):
            return  # a form asked for is a modal, sent before any defer
        await interaction.response.defer(thinking=True)
        where = tr.interaction_where(interaction, self.thread_parents)
        where.topic = resolved.group.name  # a forum post's tag (forum.py)
        raw = f"/{resolved.path}" + "".join(f" {k}:{v}" for k, v in given.items())
        inv = Invocation(
            resolved.group.name,
            resolved.subcommand,
            args,
            raw,
            where.place,
            tr.interaction_author(interaction),
            tr.capabilities(where),
        )
        responder = InteractionResponder(self.client, where, self.tasks, interaction)
        responder.made = self._made(resolved)
        await self.dispatch(inv, responder, resolved)

    def _made(self, resolved: Resolved) -> Made | None:
        """What makes a generating command's replies (None for the others: no feedback)."""
        if resolved.leaf.job != "text":
            return None
        return made_by(resolved.path, self.engine)

    @property
    def engine(self) -> object:
        """The text engine the app writes with (what a vote names)."""
        return self.app.resources.engine

    async def on_feedback(self, interaction: discord.Interaction, good: bool, made: Made) -> None:
        """A Good / Not good press: the vote stored under the channel's story, the presser
        thanked privately (one vote each; a second press changes it)."""
        self.own(asyncio.current_task())
        where = tr.button_where(interaction, self.thread_parents)
        message = interaction.message
        vote = Vote(
            where.place.story_key,
            str(message.id if message is not None else 0),
            str(interaction.user.id),
            made.command,
            made.engine,
            made.model,
            good,
        )
        try:
            first = await self.app.store.record_feedback(vote)
            text = feedback.thanks(made, good, first)
        except CommandError as exc:
            text = exc.message
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def complete(
        self, interaction: discord.Interaction, param: Param, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggestions from this channel's bible only (a thread's: its parent channel's)."""
        if param.type == "choice":
            found = [c for c in param.choices if current.lower().replace(" ", "_") in c]
            return [
                app_commands.Choice(name=c.replace("_", " "), value=c)
                for c in found[:AUTOCOMPLETE_MAX]
            ]
        place = tr.interaction_where(interaction, self.thread_parents).place
        story = await self.app.store.active_story(place.story_key)
        if story is None:
            return []
        if param.autocomplete == "locations":
            names = [loc.name for loc in await self.app.store.locations(story.id)]
        else:
            names = [c.name for c in await self.app.store.characters(story.id)]
        return suggest(names, current, many=param.type == "names", fits=param.max_length)

    # --- buttons -----------------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction, kind: str, ref: str) -> None:
        """A press runs once however often it arrives (bot/adapters/presses.py): a second
        press of the button by the same person while the first's job runs is told so,
        privately, as its acknowledgment."""
        self.own(asyncio.current_task())
        where = tr.button_where(interaction, self.thread_parents)
        message = str(interaction.message.id if interaction.message is not None else 0)
        button, presser = custom_id(kind, ref), str(interaction.user.id)
        press = await hold(self.app.store, *where.place.story_key, message, button, presser)
        if press is None:
            await interaction.response.send_message(
                ALREADY_ON_IT, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        job = None
        try:
            await interaction.response.defer()  # acknowledged; the answer goes to the thread
            responder = ButtonResponder(self.client, where, self.tasks, interaction)
            if kind in DRAFT_ACTIONS:  # a new take, voted on as the draft
                responder.made = await made_as_draft(self.app.store, where.place, self.engine)
            inv = Invocation(
                ACTION,
                None,
                ActionArgs.of(kind, ref),
                button,
                where.place,
                tr.interaction_author(interaction),
                tr.capabilities(where),
            )
            job = await self.dispatch(inv, responder)
        finally:
            press.give_back(job, self._spawn)

    # --- messages ----------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """Plain messages in the bot's threads are follow-ups; a mention works anywhere."""
        self.own(asyncio.current_task())
        me = self.client.user
        if me is None or message.author.bot or message.webhook_id or message.type not in _CHAT:
            return
        mentioned = tr.mentions(message, me)
        text = message.content
        if mentioned:
            role = message.guild.self_role if message.guild is not None else None
            text = tr.strip_mentions(text, me, role.id if role else None)
        if not text.strip():
            return  # no text (no message-content intent, or a bare mention)
        where = await self._message_where(message, mentioned, text)
        if where is None:
            return
        if not await self.seen.first("message", str(message.id)):
            log.info("message %s was answered already (a repeat of its delivery)", message.id)
            return
        responder = DiscordResponder(self.client, where, self.tasks)
        responder.person = message.author.id  # a reply for them alone goes to their DMs

        def made(command: str) -> None:  # what the reply's feedback is labelled with
            responder.made = made_by(command, self.engine)

        job = await self.app.dispatcher.handle_text(
            text,
            where.place,
            tr.message_author(message),
            responder,
            tr.capabilities(where),
            made,
        )
        self._follow(job, responder)

    async def _message_where(
        self, message: discord.Message, mentioned: bool, text: str
    ) -> Where | None:
        channel = message.channel
        reference = message.reference.message_id if message.reference else None
        guild_id = tr.guild_of(message)
        if guild_id is None:
            thread = (
                None
                if text.lstrip().startswith("/")
                else await self._dm_thread(channel.id, reference)
            )
            return Where(
                tr.dm_place(channel.id, thread), None, channel.id, remember=self.thread_parents
            )
        parent = await self._thread_parent(channel)
        if parent is not None:
            place = tr.guild_place(guild_id, parent, channel.id)
            if not mentioned and not await self._ours(place):
                return None
            return Where(
                place, guild_id, channel.id, history_thread=channel.id, remember=self.thread_parents
            )
        key = await self._linked(guild_id, channel.id, reference)
        if key is not None:  # a reply to a draft that could not open a thread
            return Where(
                tr.guild_place(guild_id, channel.id, int(key)),
                guild_id,
                channel.id,
                reply_to=message.id,
                remember=self.thread_parents,
            )
        if not mentioned:
            return None
        return Where(
            tr.guild_place(guild_id, channel.id),
            guild_id,
            channel.id,
            reply_to=message.id,
            can_thread=isinstance(channel, discord.TextChannel),
            remember=self.thread_parents,
        )

    async def _thread_parent(self, channel: Any) -> int | None:
        if isinstance(channel, discord.Thread):
            return channel.parent_id
        known = self.thread_parents.get(channel.id)
        if known is not None or channel.id in self.not_threads:
            return known
        if not isinstance(channel, discord.PartialMessageable):
            return None
        try:  # a channel discord.py has not cached: ask once, remember the answer
            fetched = await self.client.fetch_channel(channel.id)
        except discord.HTTPException:
            return None
        if isinstance(fetched, discord.Thread):
            self.thread_parents[channel.id] = fetched.parent_id
            return fetched.parent_id
        self.not_threads[channel.id] = True
        return None

    async def _ours(self, place: Place) -> bool:
        key = (place.platform, place.workspace, place.channel, place.thread or "")
        return await self.app.store.conversation_at(key) is not None

    async def _linked(self, guild_id: int, channel_id: int, reference: int | None) -> str | None:
        if reference is None:
            return None
        if reference in self.links:
            return self.links[reference]
        place = tr.guild_place(guild_id, channel_id, reference)
        return place.thread if await self._ours(place) else None

    async def _dm_thread(self, channel_id: int, reference: int | None) -> str | None:
        """A DM has no threads: a reply picks its draft, else the latest draft goes on."""
        if reference is not None:
            if reference in self.links:
                return self.links[reference]
            if await self._ours(tr.dm_place(channel_id, str(reference))):
                return str(reference)
        latest = await self.app.store.latest_conversation(tr.dm_place(channel_id).story_key)
        return latest.place[3] if latest is not None else None

    # --- jobs and their tasks ----------------------------------------------------------

    async def dispatch(
        self, inv: Invocation, responder: DiscordResponder, resolved: Resolved | None = None
    ) -> Job | None:
        """Run an invocation (a command, a button, a message menu) and settle its
        responder when its job ends; a failure to start it is said in one line. Returns
        the job, if one started."""
        try:
            job = await self.app.dispatcher.handle(inv, responder, resolved=resolved)
        except Exception:
            log.exception("could not queue %s", inv.path)
            await responder.post(Reply.error("Sorry, I couldn't start that. Please try again."))
            job = None
        self._follow(job, responder)
        return job

    def _follow(self, job: Job | None, responder: DiscordResponder) -> None:
        """Settle the responder when its job ends (a placeholder left open says so).

        The job has not started yet (the dispatcher only queued it), so its drafts and
        progress messages all carry the Cancel button of a text or image job."""
        if job is not None and job.record.kind in CANCELLABLE:
            responder.cancel_ref = job.id

        async def settle() -> None:
            if job is not None:
                await job.wait()
            # how the job really ended (bot/jobs.py), whichever process's Cancel stopped it
            cancelled = job is not None and job.state == "cancelled"
            await responder.close("Cancelled." if cancelled else "Stopped before it finished.")
            for posted_id, thread in responder.threads().items():
                self.links[posted_id] = thread

        self._spawn(settle())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self.own(asyncio.create_task(coro, name="discord-settle"))

    def own(self, task: asyncio.Task[Any] | None) -> None:
        """Count ``task`` as this router's, so ``idle`` and ``aclose`` wait for it."""
        if task is not None:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def idle(self) -> None:
        """Wait until every job started here, and every edit it left pending, is done."""
        while True:
            for _ in range(3):
                await asyncio.sleep(0)
            pending = {t for t in self.tasks if t is not asyncio.current_task() and not t.done()}
            if not pending:
                return
            await asyncio.wait(pending)

    async def aclose(self) -> None:
        tasks = [t for t in self.tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def suggest(
    names: list[str], current: str, *, many: bool, fits: int | None = None
) -> list[app_commands.Choice[str]]:
    """Names that start with (then contain) what was typed; for a list of names, complete
    the last one and keep those before it ("Mara, Jo" -> "Mara, Jonah"). Only what the
    option takes is offered (``fits``: its max_length; Discord's client refuses a longer
    pick)."""
    before: list[str] = []
    typed = current
    if many and "," in current:
        *before, typed = [part.strip() for part in current.split(",")]
        before = [b for b in before if b]
    key = name_key(typed)
    taken = {name_key(b) for b in before}
    pool = [n for n in names if name_key(n) not in taken]
    ranked = [n for n in pool if name_key(n).startswith(key)]
    ranked += [n for n in pool if key in name_key(n) and n not in ranked]
    out: list[app_commands.Choice[str]] = []
    for name in ranked:
        value = ", ".join([*before, name])
        if len(value) <= min(CHOICE_MAX, fits or CHOICE_MAX):
            out.append(app_commands.Choice(name=value, value=value))
        if len(out) == AUTOCOMPLETE_MAX:
            break
    return out
