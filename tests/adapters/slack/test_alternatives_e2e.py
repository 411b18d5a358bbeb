"""options:N on Slack: one "Use option k" button per option, still working after a restart."""

from __future__ import annotations

from tests.adapters.slack.conftest import TEAM, OpenSlack, buttons, texts
from tests.adapters.slack.fake_slack import FakeSlack


async def test_choose_buttons_render_and_work_after_a_restart(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        await slack.command("synopsis", "logline options:3")
        await slack.idle()
        head = str(fake.posts()[-1].result["ts"])
    final = fake.updates_of(head)[-1]
    by_label = {b["text"]["text"]: b for b in buttons(final["blocks"])}
    assert list(by_label) == ["Use option 1", "Use option 2", "Use option 3"]
    assert all(b["action_id"].startswith("writersroom:choose:") for b in by_label.values())
    assert "Option 3" in " ".join(texts(final["blocks"]))

    async with open_slack() as slack:  # a new process on the same database
        sent = await slack.click(by_label["Use option 3"], head)
        assert sent.status == 200
        await slack.idle()
        chosen = fake.posts()[-1]
        assert chosen["thread_ts"] == head
        assert "option 3" in texts(chosen["blocks"])[0]
        assert {b["text"]["text"] for b in buttons(chosen["blocks"])} == {
            "Regenerate",
            "Continue",
            "Save to bible",
        }
        conv = await slack.app.store.latest_conversation(("slack", TEAM, "C1"))
        assert conv is not None and conv.params["chosen"] == 3
