"""/portrait end to end through the dispatcher: offline cards, buttons, thread follow-ups,
the reference portrait, history; and the diffusers backend's progress reaching the writer."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from bot.app import App, open_app
from bot.parsing import parse
from bot.settings import Settings
from commands import build_registry
from core.types import ACTION, ActionArgs, Author, Invocation, Place, Reply
from tests.images.conftest import Recorder

DANA = Author("u1", "dana", manager=True)
HERE = Place("terminal", "local", "general")


async def say(app: App, line: str, place: Place = HERE) -> Recorder:
    rec = Recorder(place)
    job = await app.dispatcher.handle_text(line, place, DANA, rec)
    if job is not None:
        await job.wait()
    return rec


async def press(app: App, action: str, ref: str) -> Recorder:
    rec = Recorder(HERE)
    inv = Invocation(ACTION, None, ActionArgs.of(action, ref), "", HERE, DANA)
    job = await app.dispatcher.handle(inv, rec)
    if job is not None:
        await job.wait()
    return rec


def _bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _size(path: str) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as img:
        return img.size


def _image_reply(rec: Recorder) -> Reply:
    finals = [r for r in rec.final() if r.images]
    assert finals, [r.body for r in rec.replies()]
    return finals[-1]


async def test_portrait_posts_a_saved_card_with_buttons(images_app: App) -> None:
    await say(images_app, "/character new Mara role:protagonist short red hair, green eyes")
    reply = _image_reply(await say(images_app, "/portrait Mara"))
    image = reply.images[0]
    assert _bytes(image.path) and image.filename.endswith(".png")
    assert {a.kind for a in reply.actions} == {"regenerate", "variations", "save"}
    assert "placeholder" in (reply.footer or "").lower()
    again = _image_reply(await say(images_app, "/portrait Mara"))
    # The character's seed: the same request draws the same card.
    assert _bytes(again.images[0].path) == _bytes(image.path)


async def test_expressions_pose_history_and_prompt(images_app: App) -> None:
    await say(images_app, "/character new Mara role:protagonist")
    sheet = _image_reply(await say(images_app, "/portrait Mara expressions"))
    assert _size(sheet.images[0].path)[0] == 2 * 384
    pose = _image_reply(await say(images_app, "/portrait Mara pose leaping a gap"))
    assert "leaping a gap" in (pose.title or "")
    history = (await say(images_app, "/portrait Mara history")).final()[-1]
    assert "expressions" in history.body and "pose (leaping a gap)" in history.body
    prompt = (await say(images_app, "/portrait Mara prompt")).final()[-1]
    assert "leaping a gap" in prompt.fields[0].value


async def test_accepting_makes_the_first_portrait_the_reference(images_app: App) -> None:
    await say(images_app, "/character new Mara")
    first = _image_reply(await say(images_app, "/portrait Mara"))
    ref = next(a.ref for a in first.actions if a.kind == "save")
    done = (await press(images_app, "save", ref)).final()[-1]
    assert "reference portrait" in done.body
    story = await images_app.store.active_story(HERE.story_key)
    assert story is not None
    mara = await images_app.store.find_character(story.id, "Mara")
    assert mara is not None and mara.reference_image and mara.image_seed
    later = _image_reply(await say(images_app, "/portrait Mara"))
    assert "save" not in {a.kind for a in later.actions}
    history = await images_app.store.history(story.id, 1)
    assert "reference portrait" in history[0].summary


async def test_buttons_and_thread_words_regenerate_and_vary(images_app: App) -> None:
    await say(images_app, "/character new Mara")
    rec = await say(images_app, "/portrait Mara")
    first = _image_reply(rec)
    ref = next(a.ref for a in first.actions if a.kind == "regenerate")
    regen = _image_reply(await press(images_app, "regenerate", ref))
    assert _bytes(regen.images[0].path) != _bytes(first.images[0].path)
    varied = _image_reply(await press(images_app, "variations", ref))
    assert varied.title == "Mara · variations"
    thread = HERE.in_thread("t1")
    shown = (await say(images_app, "prompt", thread)).final()[-1]
    assert shown.fields[0].label == "Prompt"
    unknown = (await say(images_app, "make her taller", thread)).final()[-1]
    assert unknown.tone == "error" and "again" in unknown.body


async def test_a_missing_model_folder_is_explained_and_the_bot_goes_on(
    settings: Settings,
) -> None:
    broken = dataclasses.replace(settings, image_backend="diffusers", diffusers_model=None)
    async with open_app(broken) as app:
        await say(app, "/character new Mara")
        answer = (await say(app, "/portrait Mara")).final()[-1]
        assert answer.tone == "error" and "WRITERSROOM_DIFFUSERS_MODEL" in answer.body
        assert "Mara" in (await say(app, "/character show Mara")).final()[-1].title  # type: ignore[operator]


async def test_diffusers_progress_reaches_the_responder(
    settings: Settings, tiny_model: Path
) -> None:
    from generation.images.diffusers_backend import DiffusersBackend

    backend = DiffusersBackend(tiny_model, steps=4, preview_every=0.0)
    async with open_app(settings, images=backend) as app:
        await say(app, "/character new Mara")
        rec = await say(app, "/portrait Mara")
    steps = [text for text, _f in rec.progress_events()]
    assert steps[-1].startswith("Step 4 of 4")
    previews = [Path(img.path) for r in rec.replies() if r.partial for img in r.images]
    assert previews  # a preview was shown
    story = await _story_of(settings)
    assert all(p.parent == (settings.data_dir / "images" / str(story)).resolve() for p in previews)
    final = _image_reply(rec)
    assert final.images
    # previews deleted once the final reply replaced them; none under a story-less folder
    assert _on_disk(*previews, settings.data_dir / "images" / "0") == [False] * (len(previews) + 1)
    assert _on_disk(final.images[0].path) == [True]
    assert "diffusers · tiny-sd" in (final.footer or "") and "4 steps" in (final.footer or "")
    waiting = rec.replies()[0]
    assert waiting.partial and "CPU" in waiting.body
    assert waiting.actions and waiting.actions[0].kind == "cancel"


def test_the_words_after_the_name_are_subcommands() -> None:
    registry = build_registry()

    def read(line: str) -> tuple[str, dict[str, object]]:
        parsed = parse(registry, line)
        return parsed.resolved.path, dataclasses.asdict(parsed.args)

    assert read("/portrait Mara") == ("portrait draw", {"name": "Mara", "style": ""})
    assert read("/portrait Mara expressions") == (
        "portrait expressions",
        {"name": "Mara", "style": ""},
    )
    assert read("/portrait Mara pose running up stairs") == (
        "portrait pose",
        {"name": "Mara", "pose": "running up stairs"},
    )
    assert read("/portrait Mara seed 42") == ("portrait seed", {"name": "Mara", "seed": 42})
    assert read("/portrait Mara noir comic") == (
        "portrait draw",
        {"name": "Mara", "style": "noir comic"},
    )
    assert read("/portrait pose Mara running") == (
        "portrait pose",
        {"name": "Mara", "pose": "running"},
    )
    assert read("/portrait Mara history")[0] == "portrait history"


def test_the_bot_starts_without_importing_torch(tmp_path: Path) -> None:
    code = (
        "import sys, asyncio\n"
        "from bot.settings import load_settings\n"
        "from bot.app import open_app\n"
        "async def main():\n"
        f"    s = load_settings({{'WRITERSROOM_DATA_DIR': {str(tmp_path)!r},"
        " 'WRITERSROOM_IMAGE_BACKEND': 'diffusers'}, dotenv=None)\n"
        "    async with open_app(s):\n"
        "        pass\n"
        "asyncio.run(main())\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=50, check=True
    )
    assert out.stdout.strip() == "none"


async def _story_of(settings: Settings) -> int:
    from storage import open_store

    store = await open_store(settings.db_path)
    try:
        story = await store.active_story(("terminal", "local", "general"))
        assert story is not None
        return story.id
    finally:
        await store.close()


def _on_disk(*paths: str | Path) -> list[bool]:
    return [Path(p).exists() for p in paths]
