"""The byte-level reader of server-sent events (generation/sse.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest

from generation.sse import events, first_choice


async def _chunks(parts: Iterable[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def read(parts: Iterable[bytes]) -> list[dict[str, Any]]:
    return [event async for event in events(_chunks(parts))]


def _delta(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


STREAM = (
    ": keep-alive comment\n\n"
    + "".join(f"data: {json.dumps(_delta(t))}\n\n" for t in ("Mara ", "sees the ", "storm — ☂️."))
    + 'data: {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 5}}\n\n'
    + "data: [DONE]\n\n"
).encode()


async def test_whole_stream_in_one_chunk() -> None:
    got = await read([STREAM])
    assert "".join(first_choice(e)[0] for e in got) == "Mara sees the storm — ☂️."
    assert got[-1]["usage"] == {"prompt_tokens": 7, "completion_tokens": 5}


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
async def test_chunks_split_anywhere_even_inside_a_character(size: int) -> None:
    parts = [STREAM[i : i + size] for i in range(0, len(STREAM), size)]
    assert await read(parts) == await read([STREAM])


async def test_crlf_lines_event_names_and_multi_line_data() -> None:
    body = (
        b"event: message\r\nid: 1\r\n"
        b'data: {"choices": [{"delta": {"content": "two"},\r\n'
        b'data:  "finish_reason": "stop"}]}\r\n\r\n'
        b"data: [DONE]\r\n\r\n"
    )
    [event] = await read([body[:9], body[9:40], body[40:]])
    assert first_choice(event) == ("two", "stop")


async def test_nothing_after_done_is_read() -> None:
    body = STREAM + f"data: {json.dumps(_delta('late'))}\n\n".encode()
    got = await read([body])
    assert "late" not in "".join(first_choice(e)[0] for e in got)


async def test_a_last_event_without_a_blank_line_still_counts() -> None:
    body = f"data: {json.dumps(_delta('end'))}".encode()
    assert [first_choice(e)[0] for e in await read([body])] == ["end"]


@pytest.mark.parametrize(
    "body",
    [
        b'data: {"id": "chatcmpl-broken", "choices": [{"delta": {"content": "Hal\n\n',
        b"data: [1, 2, 3]\n\n",
        b"data: \xff\xfe\n\n",
    ],
    ids=["cut-json", "not-an-object", "not-utf8"],
)
async def test_junk_raises_a_json_error(body: bytes) -> None:
    with pytest.raises(json.JSONDecodeError):
        await read([body])


def test_first_choice_reads_malformed_choices_as_nothing() -> None:
    assert first_choice({"choices": "nope"}) == ("", None)
    assert first_choice({"choices": [{"delta": {"content": 5}, "finish_reason": 3}]}) == (
        "",
        None,
    )
