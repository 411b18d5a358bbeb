"""FakeSlack refuses what real Slack refuses, with Slack's errors: a message's text over
40,000 characters, more than 50 blocks, a block past its limits or malformed, a view of
more than 100 blocks, a stream call of more than 12,000 characters, and the same at a
response_url (a plain-text error and HTTP 400, which the webhook client returns)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.adapters.slack.fake_slack import TOKEN, FakeSlack

Block = dict[str, Any]


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str = "Go", action_id: str = "go", value: str = "1") -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def actions(*elements: Block) -> Block:
    return {"type": "actions", "elements": list(elements)}


@pytest.fixture
async def client(fake: FakeSlack) -> AsyncIterator[AsyncWebClient]:
    web = AsyncWebClient(token=TOKEN, base_url=fake.api_url)
    yield web
    if web.session is not None:
        await web.session.close()


async def refusal(call: Any) -> dict[str, Any]:
    """Slack's answer to a call it refuses (slack_sdk raises it as SlackApiError)."""
    with pytest.raises(SlackApiError) as refused:
        await call
    data: dict[str, Any] = refused.value.response.data  # type: ignore[assignment]
    return data


async def test_a_message_text_over_40000_characters_is_msg_too_long(
    client: AsyncWebClient,
) -> None:
    assert (await client.chat_postMessage(channel="C1", text="x" * 40_000))["ok"]
    answer = await refusal(client.chat_postMessage(channel="C1", text="x" * 40_001))
    assert answer == {"ok": False, "error": "msg_too_long"}


async def test_a_message_with_neither_text_nor_blocks_is_no_text(
    client: AsyncWebClient,
) -> None:
    # through api_call: chat_postMessage itself warns before sending no text
    answer = await refusal(client.api_call("chat.postMessage", json={"channel": "C1"}))
    assert answer["error"] == "no_text"


async def test_more_than_50_blocks_are_invalid_blocks(client: AsyncWebClient) -> None:
    fifty = [section(f"part {i}") for i in range(50)]
    assert (await client.chat_postMessage(channel="C1", text="t", blocks=fifty))["ok"]
    answer = await refusal(
        client.chat_postMessage(channel="C1", text="t", blocks=[*fifty, section("one more")])
    )
    assert answer["error"] == "invalid_blocks"
    assert answer["errors"] == ["no more than 50 items allowed [json-pointer:/blocks]"]
    assert answer["response_metadata"]["messages"][0].startswith("[ERROR] no more than 50")


@pytest.mark.parametrize(
    ("block", "pointer"),
    [
        (section("x" * 3001), "/blocks/0/text/text"),
        (section(""), "/blocks/0/text/text"),
        ({"type": "section"}, "/blocks/0"),
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}, "/blocks/0"),
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}, "fields/0"),
        ({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}, "/text/text"),
        ({"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}, "/blocks/0/text"),
        (
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
            "/blocks/0/elements",
        ),
        (actions(button(text="b" * 76)), "/elements/0/text/text"),
        (actions(button(action_id="a" * 256)), "/elements/0/action_id"),
        (actions(button(value="v" * 2001)), "/elements/0/value"),
        (actions(*[button(action_id=f"a{i}") for i in range(26)]), "/blocks/0/elements"),
        ({"type": "hologram", "text": "?"}, "/blocks/0/type"),
        ({**section("ok"), "block_id": "b" * 256}, "/blocks/0/block_id"),
    ],
)
async def test_a_block_past_its_limits_or_malformed_is_invalid_blocks(
    client: AsyncWebClient, block: Block, pointer: str
) -> None:
    answer = await refusal(client.chat_postMessage(channel="C1", text="t", blocks=[block]))
    assert answer["error"] == "invalid_blocks"
    [problem] = answer["errors"]
    assert pointer in problem, problem


async def test_two_blocks_with_one_block_id_or_buttons_with_one_action_id_are_invalid_blocks(
    client: AsyncWebClient,
) -> None:
    twice = [{**section("a"), "block_id": "same"}, {**section("b"), "block_id": "same"}]
    answer = await refusal(client.chat_postMessage(channel="C1", text="t", blocks=twice))
    assert answer["error"] == "invalid_blocks"
    assert answer["errors"] == ["Block ID needs to be unique [json-pointer:/blocks/1/block_id]"]
    buttons = [actions(button(action_id="go"), button(action_id="go"))]
    answer = await refusal(client.chat_postMessage(channel="C1", text="t", blocks=buttons))
    assert "/blocks/0/elements/1/action_id" in answer["errors"][0]
    apart = [actions(button(action_id="go")), actions(button(action_id="go"))]  # two blocks
    assert (await client.chat_postMessage(channel="C1", text="t", blocks=apart))["ok"]


async def test_blocks_at_their_limits_are_taken(client: AsyncWebClient) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        section("x" * 3000),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        actions(button("b" * 75, "a" * 255, "v" * 2000)),
        actions(*[button(action_id=f"a{i}") for i in range(25)]),
        {"type": "divider"},
    ]
    assert (await client.chat_postMessage(channel="C1", text="t", blocks=blocks))["ok"]


async def test_chat_update_and_post_ephemeral_are_held_to_the_same_limits(
    client: AsyncWebClient,
) -> None:
    ts = (await client.chat_postMessage(channel="C1", text="first"))["ts"]
    answer = await refusal(client.chat_update(channel="C1", ts=ts, text="x" * 40_001))
    assert answer["error"] == "msg_too_long"
    answer = await refusal(
        client.chat_update(channel="C1", ts=ts, text="t", blocks=[section("x" * 3001)])
    )
    assert answer["error"] == "invalid_blocks"
    answer = await refusal(
        client.chat_postEphemeral(
            channel="C1", user="U1", text="t", blocks=[section(str(i)) for i in range(51)]
        )
    )
    assert answer["error"] == "invalid_blocks"


async def test_a_home_tab_of_more_than_100_blocks_is_refused_as_slack_refuses_a_view(
    client: AsyncWebClient,
) -> None:
    hundred = [section(f"row {i}") for i in range(100)]
    assert (await client.views_publish(user_id="U1", view={"type": "home", "blocks": hundred}))[
        "ok"
    ]
    answer = await refusal(
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [*hundred, *hundred]})
    )
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
    ]
    answer = await refusal(
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("x" * 3001)]})
    )
    assert "[json-pointer:/view/blocks/0/text/text]" in answer["response_metadata"]["messages"][0]


async def test_a_modal_is_held_to_the_block_limits_too(client: AsyncWebClient) -> None:
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Story"},
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
    }
    answer = await refusal(client.views_open(trigger_id="1.1.trig", view=modal))
    assert answer["error"] == "invalid_arguments"
    assert "/view/blocks/0/text/text" in answer["response_metadata"]["messages"][0]


async def test_a_stream_call_of_more_than_12000_characters_is_msg_too_long(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.streaming = True
    answer = await refusal(
        client.chat_startStream(channel="C1", thread_ts="1.0", markdown_text="x" * 12_001)
    )
    assert answer == {"ok": False, "error": "msg_too_long"}
    started = await client.chat_startStream(channel="C1", thread_ts="1.0", markdown_text="a")
    ts = started["ts"]
    assert (await client.chat_appendStream(channel="C1", ts=ts, markdown_text="b" * 12_000))["ok"]
    answer = await refusal(
        client.chat_appendStream(channel="C1", ts=ts, markdown_text="c" * 12_001)
    )
    assert answer["error"] == "msg_too_long"
    answer = await refusal(client.chat_stopStream(channel="C1", ts=ts, markdown_text="d" * 12_001))
    assert answer["error"] == "msg_too_long"
    assert fake.streams[ts]["text"] == "a" + "b" * 12_000  # what was refused was not shown
    assert (await client.chat_stopStream(channel="C1", ts=ts))["ok"]


async def test_a_response_url_refuses_with_a_plain_text_error_and_http_400(
    fake: FakeSlack,
) -> None:
    hook = AsyncWebhookClient(f"{fake.url}/response/1")
    taken = await hook.send(text="hello", response_type="ephemeral")
    assert (taken.status_code, taken.body) == (200, "ok")
    too_long = await hook.send(text="x" * 40_001)  # returned, not raised
    assert (too_long.status_code, too_long.body) == (400, "msg_too_long")
    refused = await hook.send(text="t", blocks=[section("x" * 3001)])
    assert (refused.status_code, refused.body) == (400, "invalid_blocks")
    assert [c.result.get("ok") for c in fake.calls_to("response_url")] == [True, False, False]
