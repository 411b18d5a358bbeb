"""Signatures, retries and escaping: nothing forged gets in, nothing echoed can ping."""

from __future__ import annotations

import json
import re
import time

from tests.adapters.slack.conftest import OpenSlack, Slack, buttons, texts
from tests.adapters.slack.doubles import HostileEngine
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, FakeSlack

ACTIVE = re.compile(r"<[!@#]|<https?:|@(here|channel|everyone)\b", re.IGNORECASE)


async def test_forged_stale_and_unsigned_requests_are_refused(
    slack: Slack, fake: FakeSlack
) -> None:
    body = slack.command_body("synopsis")
    form = "application/x-www-form-urlencoded"
    forged = await slack.send(body, form, secret="not-the-secret")
    stale = await slack.send(body, form, timestamp=int(time.time()) - 6 * 60)
    unsigned = await slack.send(body, form, signed=False)
    assert [forged.status, stale.status, unsigned.status] == [401, 401, 401]
    tampered = await slack.send(body, form, headers={})  # sanity: the same body, signed, passes
    assert tampered.status == 200
    await slack.idle()
    assert len(fake.posts()) == 1


async def test_a_retried_event_gets_exactly_one_reply(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("synopsis")
    await slack.idle()
    head = str(fake.posts()[0].result["ts"])
    event = {
        "type": "message",
        "channel": "C1",
        "user": "U1",
        "team": "T0WRITERS",
        "text": "shorter",
        "ts": fake.next_ts(),
        "thread_ts": head,
        "parent_user_id": BOT_USER,
    }
    first = await slack.event(event, event_id="Ev0RETRY")
    again = await slack.event(event, event_id="Ev0RETRY", retry=1)
    later = await slack.event(event, event_id="Ev0RETRY", retry=2)
    assert [first.status, again.status, later.status] == [200, 200, 200]
    await slack.idle()
    assert len(fake.posts()) == 2


async def test_a_retried_mention_gets_exactly_one_reply(slack: Slack, fake: FakeSlack) -> None:
    event = {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "team": "T0WRITERS",
        "text": f"<@{BOT_USER}> /synopsis",
        "ts": fake.next_ts(),
    }
    sent = [await slack.event(event, event_id="Ev0MENTION", retry=n or None) for n in (0, 1, 2)]
    assert [s.status for s in sent] == [200, 200, 200]
    await slack.idle()
    assert len(fake.posts()) == 1


async def test_a_retried_event_of_another_kind_is_dropped_by_its_event_id(
    slack: Slack, fake: FakeSlack
) -> None:
    """Events their listener does not claim by message (here the Home tab) are told
    apart by event_id: a retry of one is acknowledged and does nothing."""
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    sent = [
        await slack.event({**event, "ts": "1.0"}, event_id="Ev0HOME", retry=n or None)
        for n in (0, 1)
    ]
    other = await slack.event({**event, "ts": "2.0"}, event_id="Ev0HOME2")
    assert [s.status for s in sent] + [other.status] == [200, 200, 200]
    await slack.idle()
    assert len(fake.calls_to("views.publish")) == 2  # the first and the other, not the retry


async def test_nothing_a_writer_or_model_writes_can_ping_or_link(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(engine=HostileEngine()) as slack:
        await slack.command(
            "synopsis", "short &lt;!channel&gt; <!here> @everyone <https://evil.example|click me>"
        )
        await slack.idle()
    sent = [*fake.posts(), *fake.calls_to("chat.update")]
    assert sent
    for call in sent:
        payload = json.dumps([call["text"], *texts(call["blocks"])], ensure_ascii=False)
        assert not ACTIVE.search(json.loads(payload)[0]), call["text"]
        for text in texts(call["blocks"]):
            assert not ACTIVE.search(text), text
    final = " ".join(texts(fake.calls_to("chat.update")[-1]["blocks"]))
    assert "&lt;!channel&gt;" in final and "&lt;https://evil.example|totally safe&gt;" in final
    assert "hostile &lt;!channel&gt; model" in final  # the engine name in the footer too


async def test_slash_commands_in_a_bots_channel_it_has_not_joined_get_a_hint(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", "not_in_channel", times=2)
    await slack.command("help")
    await slack.idle()
    [hint] = fake.calls_to("response_url")
    assert hint["response_type"] == "ephemeral" and "/invite" in hint["text"]


async def test_the_role_is_looked_up_only_for_destructive_commands(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("help")
    await slack.idle()
    assert fake.calls_to("users.info") == []
    await slack.command("story", "new The Long Dark", user="U2", user_name="sam")
    await slack.idle()
    assert [c["user"] for c in fake.calls_to("users.info")] == ["U2"]
    assert "Started a new story" in " ".join(texts(fake.posts()[-1]["blocks"]))


async def test_url_verification_gets_its_challenge_back_only_when_signed(
    slack: Slack, fake: FakeSlack
) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-4242", "type": "url_verification"})
    answered = await slack.send(body, "application/json")
    assert answered.status == 200 and "c-4242" in answered.text
    forged = await slack.send(body, "application/json", secret="guess")
    assert forged.status == 401 and "c-4242" not in forged.text


async def test_a_burst_of_commands_is_acknowledged_before_any_work(
    slack: Slack, fake: FakeSlack
) -> None:
    import asyncio

    sent = await asyncio.gather(*(slack.command("help", channel=f"C{i}") for i in range(40)))
    assert {s.status for s in sent} == {200} and all(s.text == "" for s in sent)
    await slack.idle()
    assert sorted(p["channel"] for p in fake.posts()) == sorted(f"C{i}" for i in range(40))


async def test_user_text_echoed_back_never_pings_or_links(slack: Slack, fake: FakeSlack) -> None:
    hostile = (
        "<!subteam^S1|@cast> <@U2|sam> <#C9|secret> <!here> <!everyone> "
        "<https://evil.example|the docs> @channel &lt;!channel&gt;"
    )
    await slack.command("story", f"set logline {hostile}")
    await slack.command("character", f"new Mara {hostile}")
    await slack.idle()
    head = str(fake.posts()[-1].result["ts"])
    await slack.message(f"make her older {hostile}", thread=head)
    await slack.event(
        {
            "type": "app_mention",
            "channel": "C1",
            "user": "U1",
            "team": "T0WRITERS",
            "text": f"<@{BOT_USER}> dialogue {hostile}",
            "ts": fake.next_ts(),
        }
    )
    await slack.idle()
    sent = [*fake.posts(), *fake.calls_to("chat.update", "chat.postEphemeral")]
    assert len(fake.posts()) >= 3
    shown = [t for call in sent for t in [call["text"], *texts(call["blocks"])]]
    assert any("sam" in t for t in shown)  # the words arrive, made harmless
    for text in shown:
        assert not ACTIVE.search(text), text


async def test_story_forget_is_confirmed_with_a_danger_button(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("story", "set logline A salvage pilot races a storm")
    await slack.idle()
    await slack.command("story", "forget")
    await slack.idle()
    warning = fake.posts()[-1]
    (button,) = [b for b in buttons(warning["blocks"]) if b["text"]["text"] == "Forget everything"]
    assert button["style"] == "danger"
    assert await slack.app.store.stories(("slack", TEAM, "C1")) != []

    await slack.click(button, warning.result["ts"])
    await slack.idle()
    assert "Forgotten" in " ".join(texts(fake.posts()[-1]["blocks"]))
    assert await slack.app.store.stories(("slack", TEAM, "C1")) == []
