"""/help: what the bot can do, made from the registry itself."""

from __future__ import annotations

from bot.context import Context
from bot.core import Reply
from bot.errors import UsageError
from bot.registry import CommandSpec, Param, Registry, Resolved, closest


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
        "_again_ or _save_. Type `/help <command>` for details."
    )
    return "\n".join(lines)


def _param_line(p: Param) -> str:
    extra = ""
    if p.choices:
        extra = f" ({', '.join(p.choices)})"
    return f"  - `{p.name}`{'' if p.required else ' (optional)'}: {p.help}{extra}"


def details(registry: Registry, spec: CommandSpec) -> str:
    leaves = [Resolved(spec, s) for s in spec.subcommands] if spec.is_group else [Resolved(spec, spec)]
    out = [spec.help, ""]
    for r in leaves:
        out.append(f"`{r.usage()}`")
        if r.leaf is not spec:
            out.append(f"  {r.leaf.help}")
        out.extend(_param_line(p) for p in r.leaf.params)
        out.extend(f"  e.g. `{e}`" for e in r.leaf.examples)
    return "\n".join(out)


async def help_command(ctx: Context) -> None:
    topic = str(ctx.args.get("command") or "").lstrip("/").lower()
    if not topic:
        await ctx.reply(Reply.info(overview(ctx.registry), title="writersroom"))
        return
    spec = ctx.registry.get(topic.split()[0])
    if spec is None:
        hint = closest(topic, [s.name for s in ctx.registry])
        raise UsageError(f"There is no /{topic} command." + (f" Did you mean /{hint}?" if hint else ""))
    await ctx.reply(Reply.info(details(ctx.registry, spec), title=f"/{spec.name}"))


HELP = CommandSpec(
    name="help",
    help="What I can do, or how to use one command.",
    handler=help_command,
    params=(Param("command", "The command to explain", required=False),),
    examples=("/help", "/help character"),
)
