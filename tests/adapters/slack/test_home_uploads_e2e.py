"""App Home lists only the person's channels; images land in the thread with progress."""

from __future__ import annotations

import dataclasses
import json

from core.types import Author
from tests.adapters.slack.conftest import OpenSlack, Slack, buttons, texts
from tests.adapters.slack.doubles import PICTURE, tiny_png
from tests.adapters.slack.fake_slack import TEAM, FakeSlack


async def test_app_home_shows_the_persons_channels_and_their_stories(
    slack: Slack, fake: FakeSlack
) -> None:
    store, dana = slack.app.store, Author("U1", "Dana")
    await store.new_story(("slack", TEAM, "C1"), dana, "The Long Dark <!channel>")
    await store.new_story(("slack", TEAM, "C1"), dana, "Second Draft")
    await store.new_story(("slack", TEAM, "C2"), dana, "Secret Project")
    await store.new_story(("slack", "T0OTHER", "C3"), dana, "Elsewhere")
    fake.member_of["U1"] = [{"id": "C1", "name": "writers"}, {"id": "C3", "name": "other"}]
    sent = await slack.event(
        {
            "type": "app_home_opened",
            "user": "U1",
            "channel": "D1",
            "tab": "home",
            "ts": fake.next_ts(),
        }
    )
    assert sent.status == 200
    [published] = await fake.wait_for(lambda: fake.calls_to("views.publish"))
    assert published["user_id"] == "U1" and published["view"]["type"] == "home"
    shown = json.dumps(published["view"])
    assert "Second Draft" in shown and "1 archived story" in shown and "<#C1>" in shown
    assert "Secret Project" not in shown and "Elsewhere" not in shown
    assert "The Long Dark" not in shown  # archived: counted, not listed
    assert len(published["view"]["blocks"]) <= 100


async def test_app_home_keeps_each_section_within_slacks_limit(
    slack: Slack, fake: FakeSlack
) -> None:
    store, dana = slack.app.store, Author("U1", "Dana")
    story, _ = await store.new_story(("slack", TEAM, "C1"), dana, "<!here> " + "&" * 3500)
    await store.update_story(
        story.id,
        lambda s: dataclasses.replace(s, genre="&" * 3000, tone="<" * 3000, logline="&" * 9000),
        dana,
        "set",
    )  # saved before the fields had their limits, every character escaped five times
    fake.member_of["U1"] = [{"id": "C1", "name": "writers"}]
    home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    assert (await slack.event({**home, "ts": fake.next_ts()})).status == 200
    [published] = await fake.wait_for(lambda: fake.calls_to("views.publish"))
    sections = [b["text"]["text"] for b in published["view"]["blocks"] if b["type"] == "section"]
    assert any("&amp;&amp;" in text for text in sections)  # the story is there, escaped
    assert max(len(text) for text in sections) <= 3000
    assert not any("<!here>" in text for text in sections)


async def test_images_are_uploaded_into_the_thread_with_progress(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(specs=[PICTURE], edit_interval=0.1) as slack:
        await slack.command("picture")
        await slack.idle()
    head = fake.posts()[0]
    ts = head.result["ts"]
    progress = [" ".join(texts(u["blocks"])) for u in fake.updates_of(ts)[:-1]]
    assert any("step 2/3 · 67%" in p for p in progress), progress
    url, upload, done = (
        fake.calls_to("files.getUploadURLExternal"),
        fake.calls_to("upload"),
        fake.calls_to("files.completeUploadExternal"),
    )
    assert url[0]["filename"] == "mara.png" and url[0]["alt_txt"].startswith("Mara")
    assert fake.uploads[upload[0]["file_id"]] == tiny_png()
    assert done[0]["channel_id"] == "C1" and done[0]["thread_ts"] == ts
    final = fake.updates_of(ts)[-1]["blocks"]
    assert "airlock light" in " ".join(texts(final))
    assert [b["text"]["text"] for b in buttons(final)] == ["Variations"]


async def test_portrait_uploads_the_image_into_its_thread(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("character", "new Mara role:protagonist a salvage pilot")
    await slack.idle()
    await slack.command("portrait", "Mara")
    await slack.idle()
    head = fake.posts()[-1]
    assert head.get("thread_ts") is None
    ts = head.result["ts"]
    [done] = await fake.wait_for(lambda: fake.calls_to("files.completeUploadExternal"))
    assert done["channel_id"] == "C1" and done["thread_ts"] == ts
    [upload] = fake.calls_to("upload")
    assert fake.uploads[upload["file_id"]].startswith(b"\x89PNG")
    final = fake.updates_of(ts)[-1]["blocks"]
    assert "Variations" in [b["text"]["text"] for b in buttons(final)]
