"""Plain messages in a reply's thread, and the reply's buttons: refine, continue, save.

What a message asks for is read by ``generation.followups.read`` (the one follow-up
vocabulary); what each intent does to the thread's artifact is in ``apply``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.context import Context
from commands.alternatives import choose, parse_ref, pending
from commands.render import body_format, character_reply, footer, sheet_text
from commands.summarize import SUMMARY_KINDS, summary_follow_up
from commands.threads import Drafting, placeholder, sheet_from_draft
from commands.writing import is_task_kind
from core.errors import CommandError, NotFound
from core.models import Character, Conversation, Scene, edit_character, edit_story
from core.types import ActionArgs, FollowUpArgs, Reply
from generation.base import WritingTask
from generation.followups import FollowUp, Intent, read


async def follow_up(ctx: Context[FollowUpArgs]) -> None:
    text = ctx.args.text
    place = ctx.place
    assert place.thread is not None
    conv = await ctx.store.conversation_at(
        (place.platform, place.workspace, place.channel, place.thread)
    )
    if conv is None:
        raise NotFound(
            "This thread has no draft of mine to work on. Start one with a command, e.g. /synopsis."
        )
    await ctx.store.add_message(conv.id, "user", ctx.author.name, text)
    request = read(text)
    if request.option is not None and conv.params.get("options"):
        await choose(ctx, conv, request.option)
        return
    await apply(ctx, conv, request)


async def on_action(ctx: Context[ActionArgs]) -> None:
    """A button press on a conversation: its ref is the conversation id; a "choose" ref is
    "<conversation id>.<option number>"."""
    action, ref = ctx.args.action, ctx.args.ref
    option = parse_ref(ref) if action == "choose" else None
    try:
        conv = await ctx.store.conversation(option[0] if option else int(ref))
    except ValueError:
        conv = None
    # A button only acts on a draft of this channel, whatever id it carries.
    if conv is None or conv.place[:3] != ctx.place.story_key:
        raise NotFound("That draft no longer exists in this channel.")
    if option is not None:
        await choose(ctx, conv, option[1])
        return
    mapping: dict[str, Intent] = {"save": "save", "regenerate": "again", "continue": "continue"}
    if action not in mapping:
        raise CommandError(f"That button ({action}) does nothing here.")
    await apply(ctx, conv, FollowUp(action, mapping[action]))


async def apply(ctx: Context, conv: Conversation, request: FollowUp) -> None:
    what = request.intent
    if conv.kind in SUMMARY_KINDS:  # summaries answer their own thread (commands/summarize.py)
        await summary_follow_up(ctx, conv, what, request.text)
        return
    if pending(conv):
        n = len(conv.params["options"])
        raise CommandError(
            f"Pick one of the {n} options first: press **Use option k** "
            "under them, or say **use 2**."
        )
    if what == "save":
        await save(ctx, conv)
        return
    if what == "continue" and conv.kind == "character":
        raise CommandError(
            "Continue works on synopses, outlines and scenes. To deepen a character, try "
            "/character develop <name> <field>."
        )
    bible = await ctx.store.bible(conv.story_id)
    focus: tuple[Character, ...] = ()
    for name in conv.params.get("speakers", []) or (
        [conv.params["name"]] if "name" in conv.params else []
    ):
        c = bible.character(str(name))
        if c is not None:
            focus += (c,)
    seed = ctx.new_seed()
    if what == "again":
        task = _again_task(conv, bible, seed, focus)
    elif what == "continue":
        task = WritingTask(
            "continue",
            bible,
            seed,
            {"artifact_kind": conv.kind},
            focus=focus,
            artifact=conv.artifact,
            turns=tuple(await ctx.store.messages(conv.id, 10)),
        )
    else:
        task = WritingTask(
            "revise",
            bible,
            seed,
            {"instruction": request.instruction, "artifact_kind": conv.kind},
            focus=focus,
            artifact=conv.artifact,
            turns=tuple(await ctx.store.messages(conv.id, 10)),
        )
    title = _title(conv, what)
    drafting = Drafting(ctx, placeholder(ctx, title), conv, title, body_format(conv.kind))
    try:
        draft = await ctx.write(task, drafting.on_text)
    except CommandError as exc:
        await drafting.fail(exc.message)
        return
    params = dict(conv.params)
    if conv.kind == "character":
        given = {str(k): str(v) for k, v in dict(params.get("fields") or {}).items()}
        if what == "revise":
            given = {}  # an instruction may change what was given ("make her older")
        c = sheet_from_draft(draft, str(params.get("name", "")), given)
        params["sheet"] = c.sheet()
        artifact = sheet_text(c)
        reply = character_reply(
            c,
            footer_text=footer(draft.engine, seed),
            body="_Not saved yet: say **save** to keep this version._",
        )
        await drafting.finish(reply, artifact, params, seed, can_continue=False)
        await _say_note(ctx, draft.note)
        return
    if draft.data is not None:
        params["data"] = draft.data
    artifact = (
        conv.artifact.rstrip() + "\n\n" + draft.text.strip() if what == "continue" else draft.text
    )
    body = draft.text
    reply = Reply(title=title, body=body, footer=footer(draft.engine, seed), format=drafting.format)
    await drafting.finish(reply, artifact, params, seed)
    await _say_note(ctx, draft.note)


async def _say_note(ctx: Context, note: str) -> None:
    """What the engine left undone of the request, said in the thread after the draft."""
    if note:
        await ctx.reply(Reply.info(note))


def _again_task(
    conv: Conversation, bible: Any, seed: int, focus: tuple[Character, ...]
) -> WritingTask:
    params = {
        k: v
        for k, v in conv.params.items()
        if k not in ("data", "sheet", "options", "chosen", "engine")
    }
    if conv.kind == "character" and "field" in params:
        return WritingTask("develop", bible, seed, params, focus=focus)
    if conv.kind == "character":
        return WritingTask("character", bible, seed, params)
    if not is_task_kind(conv.kind):
        raise CommandError("This kind of draft can't be written again.")
    return WritingTask(conv.kind, bible, seed, params, focus=focus)


def _title(conv: Conversation, what: Intent) -> str:
    base = {
        "synopsis": "Synopsis",
        "outline": "Outline",
        "dialogue": "Scene",
        "character": str(conv.params.get("name", "Character")),
    }.get(conv.kind, conv.kind)
    return {
        "again": f"{base} · another take",
        "continue": f"{base} · continued",
        "revise": f"{base} · revised",
        "save": base,
    }[what]


async def save(ctx: Context, conv: Conversation) -> None:
    story = await ctx.store.active_story(ctx.place.story_key)
    if story is None or story.id != conv.story_id:
        raise CommandError(
            "This draft belongs to an archived story, so it can't be saved to the current one."
        )
    if not conv.artifact:
        raise CommandError("There is nothing in this thread to save yet.")
    p = conv.params
    if conv.kind == "synopsis":
        field_name = "logline" if p.get("length") == "logline" else "synopsis"
        if getattr(story, field_name) == conv.artifact:  # Save pressed again: no new revision
            await ctx.reply(Reply.info(f"This is already the story's {field_name}."))
            return
        await ctx.store.update_story(
            story.id,
            lambda s: edit_story(s, field_name, conv.artifact),
            ctx.author,
            f"saved {field_name} from a draft",
        )
        await ctx.reply(
            Reply.info(f"Saved as the story's {field_name}. /story undo takes it back.")
        )
    elif conv.kind == "outline":
        acts = (p.get("data") or {}).get("acts") or []
        beats = [(int(a["act"]), str(b)) for a in acts for b in a.get("beats", [])]
        if not beats:
            raise CommandError("This outline has no beats I can save.")
        await ctx.store.replace_beats(story.id, beats, ctx.author)
        await ctx.reply(Reply.info(f"Saved {len(beats)} beats as the story's outline."))
    elif conv.kind == "dialogue" and p.get("scene_id") is not None:
        await save_scene_back(ctx, story.id, int(p["scene_id"]), conv.artifact)
    elif conv.kind == "dialogue":
        # Save pressed again on the same take: the scene is there already, not added twice.
        saved = [s for s in await ctx.store.scenes(story.id) if s.text == conv.artifact]
        if saved:
            await ctx.reply(
                Reply.info(f"This scene is already in the bible: **{saved[0].title}**.")
            )
            return
        title = str(p.get("situation") or " & ".join(p.get("speakers", [])) or "Scene")
        scene = await ctx.store.add_scene(
            story.id, Scene(title=title[:200], text=conv.artifact), ctx.author
        )
        await ctx.reply(Reply.info(f"Saved the scene **{scene.title}** to the bible."))
    elif conv.kind == "character":
        sheet = {str(k): str(v) for k, v in dict(p.get("sheet") or {}).items()}
        name = str(p.get("name", ""))

        def change(c: Character) -> Character:
            for field_name, value in sheet.items():
                c = edit_character(c, field_name, value)
            return c

        try:
            updated = await ctx.store.update_character(
                story.id, name, change, ctx.author, f"saved {name}'s sheet from a draft"
            )
        except NotFound:
            raise NotFound(f"{name} is no longer in the story; nothing was saved.") from None
        await ctx.reply(Reply.info(f"Saved {updated.name}'s sheet. /story undo takes it back."))
    else:
        raise CommandError("This kind of draft can't be saved to the bible.")


async def save_scene_back(ctx: Context, story_id: int, scene_id: int, text: str) -> None:
    """A thread opened by /scene show saves over its scene, as the room's own (so /draft
    leaves it alone)."""
    try:
        scene = await ctx.store.update_scene(
            story_id,
            scene_id,
            lambda s: dataclasses.replace(s, text=text, source="room"),
            ctx.author,
            "edited a scene in its thread",
        )
    except NotFound:
        added = await ctx.store.add_scene(story_id, Scene(title="Scene", text=text), ctx.author)
        await ctx.reply(
            Reply.info(
                f"That scene was removed meanwhile; saved this as a new one, **{added.title}**."
            )
        )
        return
    await ctx.reply(
        Reply.info(
            f"Saved over the scene **{scene.title}**, as the room's own: /draft leaves it "
            "alone unless asked (/draft N again). /story undo takes it back."
        )
    )
