"""The Discord command tree, generated from the one CommandSpec registry.

Each registry group becomes an ``app_commands.Group``, each leaf an ``app_commands.Command``
whose options are the leaf's ``Param``s: typed (string or integer), with their limits,
choices and help text, and autocomplete where the registry names a source. No command is
written by hand, so the tree cannot drift from the terminal's help or the Slack manifest.
Discord only offers what the tree declares; ``bot.parsing.bind`` checks what arrives.
The tree also holds the message context menus (menus.py), so they sync with it.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.adapters.discord.menus import context_menus
from bot.adapters.discord.outbox import NO_MENTIONS
from bot.parsing import MAX_STRING
from bot.registry import Param, Registry, Resolved

log = logging.getLogger(__name__)

OPTION_STRING_MAX = 6000  # Discord's longest string option
CHOICES_MAX = 25
ANSWERED_ELSEWHERE = (40060, 10062)
"""Discord's codes for an interaction that takes no answer from here: acknowledged
already (another session of its shard, in another process, took it first) or unknown
(its token lapsed before any answer)."""
NAMES_MAX = 500


class CommandHandler(Protocol):
    """What the generated callbacks call (the router)."""

    async def on_command(
        self, interaction: discord.Interaction, resolved: Resolved, options: dict[str, Any]
    ) -> None: ...

    async def complete(
        self, interaction: discord.Interaction, param: Param, current: str
    ) -> list[app_commands.Choice[str]]: ...


class WritersroomTree(app_commands.CommandTree[discord.Client]):
    """The bot's command tree; what fails before a command's callback is answered here,
    privately (a command Discord knows from an older sync: how to sync again; an
    autocomplete of one: no choices, the only answer Discord takes there), except an
    interaction Discord takes no answer to from here, which is only logged."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, discord.HTTPException) and cause.code in ANSWERED_ELSEWHERE:
            # Nothing ran (the acknowledgment comes first), and nothing can be said here.
            log.info("interaction %s takes no answer from here (%d)", interaction.id, cause.code)
            return
        if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
            text = (
                "This command changed since Discord last heard of it. A server admin can "
                "update it with `python -m bot discord --sync`."
            )
            log.warning("stale command tree: %s", error)
        elif isinstance(error, app_commands.TransformerError):
            text = f"I couldn't read the option {error.value!r}."
        else:
            error_id = uuid.uuid4().hex[:8]
            log.error("command failed, error id %s", error_id, exc_info=error)
            text = f"Sorry, something went wrong on my side (error id {error_id})."
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                # only choices answer an autocomplete (Discord refuses a message): none
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
            elif interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(
                    text, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException:
            log.warning("could not report an error to the writer", exc_info=True)


def build_tree(
    client: discord.Client, registry: Registry, handler: CommandHandler
) -> WritersroomTree:
    tree = WritersroomTree(client)
    for spec in registry:
        if spec.is_group:
            group = app_commands.Group(name=spec.name, description=spec.help)
            for sub in spec.subcommands:
                group.add_command(_command(Resolved(spec, sub), handler, group))
            tree.add_command(group)
        else:
            tree.add_command(_command(Resolved(spec, spec), handler, None))
    for menu in context_menus():  # right-click a message > Apps (menus.py)
        tree.add_command(menu)
    return tree


def _command(
    resolved: Resolved, handler: CommandHandler, parent: app_commands.Group | None
) -> app_commands.Command[Any, ..., None]:
    leaf = resolved.leaf

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await handler.on_command(interaction, resolved, options)

    # discord.py reads options from the callback's signature: give it one made from the spec
    signature = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for p in leaf.params:
        signature.append(
            inspect.Parameter(
                p.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=option_type(p),
                default=inspect.Parameter.empty if p.required else None,
            )
        )
    attributes: dict[str, Any] = {
        "__signature__": inspect.Signature(signature),
        "__discord_app_commands_param_description__": {p.name: p.help for p in leaf.params},
    }
    choices = {
        p.name: [app_commands.Choice(name=c.replace("_", " "), value=c) for c in p.choices]
        for p in leaf.params
        if p.type == "choice" and len(p.choices) <= CHOICES_MAX
    }
    if choices:
        attributes["__discord_app_commands_param_choices__"] = choices
    completers = {
        p.name: _completer(handler, p)
        for p in leaf.params
        if p.autocomplete or (p.type == "choice" and len(p.choices) > CHOICES_MAX)
    }
    if completers:
        attributes["__discord_app_commands_param_autocomplete__"] = completers
    vars(callback).update(attributes)  # what discord.py's decorators would have set
    return app_commands.Command(
        name=leaf.name, description=leaf.help, callback=callback, parent=parent
    )


def option_type(p: Param) -> Any:
    """The annotation discord.py turns into an option of the right type and limits."""
    if p.type == "integer":
        if p.min_value is None and p.max_value is None:
            return int
        return app_commands.Range[int, p.min_value, p.max_value]
    if p.type == "choice":
        return str
    default_max = {"text": OPTION_STRING_MAX, "names": NAMES_MAX}.get(p.type, MAX_STRING)
    return app_commands.Range[str, None, min(p.max_length or default_max, OPTION_STRING_MAX)]


def _completer(handler: CommandHandler, param: Param) -> Any:
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await handler.complete(interaction, param, current)

    return complete


async def sync_tree(tree: app_commands.CommandTree[Any], guild: int | None) -> int:
    """Register the tree with Discord: globally (may take a while to show everywhere), or
    to one guild at once for fast iteration."""
    if guild is not None:
        target = discord.Object(id=guild)
        tree.copy_global_to(guild=target)
        synced = await tree.sync(guild=target)
        log.info("synced %d commands to guild %s", len(synced), guild)
    else:
        synced = await tree.sync()
        log.info("synced %d global commands", len(synced))
    return len(synced)
