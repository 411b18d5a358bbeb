"""/help: what the bot can do, made from the registry itself."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.params import param
from bot.registry import CommandSpec, Param, Registry, Resolved, closest
from bot.settings import Settings
from core.errors import UsageError
from core.types import Args, Reply


@dataclass(frozen=True, slots=True)
class HelpArgs(Args):
    command: str = param("The command to explain", default="")


PRIVACY_TOPICS = ("privacy", "data", "where")


def overview(registry: Registry) -> str:
    lines = []
    for spec in registry:
        if spec.is_group:
            subs = "|".join(s.name for s in spec.subcommands)
            lines.append(f"- `/{spec.name} {subs}`: {spec.help}")
        else:
            lines.append(f"- `/{spec.name}`: {spec.help}")
    lines.append("")
    lines.append(
        "Every reply starts a thread: answer in it with _shorter_, _longer_, _continue_, "
        "_again_ or _save_. Type `/help <command>` for details, `/help privacy` for where "
        "your text goes."
    )
    return "\n".join(lines)


def where_text_goes(settings: Settings) -> str:
    """Which endpoint sees what, for this bot's settings (/help privacy)."""
    from generation.openai_chat import DEFAULT_BASE_URL, display_url
    from generation.openai_engine import DEFAULT_MODEL

    endpoint = display_url(settings.openai_base_url or DEFAULT_BASE_URL)
    lines = []
    if settings.model_configured:
        lines.append(
            f"- **Text** goes to the model server at `{endpoint}` (model "
            f"`{settings.openai_model or DEFAULT_MODEL}`): your request, and only the parts "
            "of this channel's bible it needs (title, logline, genre, tone, setting, style; "
            "the characters it is about and those it names; the outline and the thread's "
            "recent turns when they matter). /summarize sends the thread's messages."
        )
    else:
        lines.append(
            "- **Text:** the offline draft engine writes here; nothing leaves this machine."
        )
    if settings.image_backend == "openai":
        lines.append(
            f"- **Images** are made by the images API at `{endpoint}`: it gets the "
            "image prompt (the character's look from the bible, and your style)."
        )
    else:
        lines.append(
            f"- **Images** are made on this machine ({settings.image_backend}); nothing leaves."
        )
    if settings.model_configured or settings.image_backend == "openai":
        lines.append(
            "- E-mail addresses and phone numbers are "
            + (
                "replaced before anything is sent (WRITERSROOM_REDACT_PII)."
                if settings.redact_pii
                else "sent as written; WRITERSROOM_REDACT_PII=true replaces them."
            )
        )
    lines.append(
        "- Nothing of one channel goes into another channel's prompts. The bible, "
        "threads and images are kept in this bot's database"
        + (
            f", conversations for {settings.retention_days} days after their last message"
            if settings.retention_days
            else ""
        )
        + "; `/story forget` deletes all of this channel's, for good. Logs hold "
        "ids and timings, never your text."
    )
    return "\n".join(lines)


def _param_line(p: Param) -> str:
    extra = ""
    if p.choices:
        extra = f" ({', '.join(p.choices)})"
    return f"  - `{p.name}`{'' if p.required else ' (optional)'}: {p.help}{extra}"


def details(registry: Registry, spec: CommandSpec) -> str:
    leaves = (
        [Resolved(spec, s) for s in spec.subcommands] if spec.is_group else [Resolved(spec, spec)]
    )
    out = [spec.help, ""]
    default = spec.sub(spec.default) if spec.default else None
    if default is not None:
        after = (
            f"; a subcommand may also come right after the {default.params[0].name}"
            if spec.hands_subject
            else ""
        )
        out += [f"Without a subcommand it is /{spec.name} {default.name}{after}.", ""]
    for r in leaves:
        out.append(f"`{r.usage()}`")
        if r.leaf is not spec:
            out.append(f"  {r.leaf.help}")
        out.extend(_param_line(p) for p in r.leaf.params)
        out.extend(f"  e.g. `{e}`" for e in r.leaf.examples)
    return "\n".join(out)


async def help_command(ctx: Context[HelpArgs]) -> None:
    topic = ctx.args.command.lstrip("/").lower()
    if not topic:
        await ctx.reply(Reply.info(overview(ctx.registry), title="writersroom"))
        return
    if topic in PRIVACY_TOPICS:
        await ctx.reply(Reply.info(where_text_goes(ctx.settings), title="Where your text goes"))
        return
    spec = ctx.registry.get(topic.split()[0])
    if spec is None:
        hint = closest(topic, [s.name for s in ctx.registry])
        raise UsageError(
            f"There is no /{topic} command." + (f" Did you mean /{hint}?" if hint else "")
        )
    await ctx.reply(Reply.info(details(ctx.registry, spec), title=f"/{spec.name}"))


HELP = CommandSpec(
    name="help",
    help="What I can do, or how to use one command.",
    handler=help_command,
    args=HelpArgs,
    examples=("/help", "/help character", "/help privacy"),
)
