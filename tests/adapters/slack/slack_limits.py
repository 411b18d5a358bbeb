"""What real Slack refuses in what an app sends, checked in one place for FakeSlack.

Each ``*_problem`` function answers the first thing Slack would refuse, worded as Slack
words it ("must be less than 3001 characters [json-pointer:/blocks/0/text/text]"), or
None; the ``*_refusal`` functions turn a problem into Slack's answer for the surface:

- a message (chat.postMessage, chat.update, chat.postEphemeral): HTTP 200 with
  ``{"ok": false, "error": ...}``: ``msg_too_long`` for ``text`` over 40,000 characters,
  ``no_text`` for neither text nor blocks (nor attachments), ``invalid_blocks`` (with
  ``errors`` and ``response_metadata.messages``) for more than 50 blocks or one block
  Slack refuses;
- a view (views.publish, views.open): ``invalid_arguments`` with the problem in
  ``response_metadata.messages`` ("[ERROR] … [json-pointer:/view/blocks/3/text/text]"),
  at most 100 blocks; views.publish lists no invalid_blocks error, and this is the answer
  apps quote for a Home tab or a modal whose blocks are refused;
- a stream call (chat.startStream / appendStream / stopStream): markdown over 12,000
  characters in one call is ``msg_too_long`` (Slack's method pages give the limit but
  not the error's name; msg_too_long is what apps streaming to Slack report hitting);
- a response_url: a plain-text error body with HTTP 400, as incoming webhooks answer
  (``invalid_blocks``, ``msg_too_long``, ``no_text``); slack_sdk's AsyncWebhookClient
  raises nothing then: it returns a WebhookResponse with that status and body.

A block is refused when its type is unknown, a section has neither text nor fields, or a
limit is passed: section text 3,000 characters, 10 fields of 2,000; header plain_text
150; context 10 elements; actions 25 elements; a button's text 75, action_id 255, value
2,000; a markdown block 12,000; any text object 3,000 and never empty; block_id 255,
unique among the message's (or view's) blocks, as a button's action_id is among its block's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MESSAGE_TEXT_CHARS = 40_000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
STREAM_CHARS = 12_000
TEXT_CHARS = 3_000
FIELDS = 10
FIELD_CHARS = 2_000
HEADER_CHARS = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT_CHARS = 75
ACTION_ID_CHARS = 255
BUTTON_VALUE_CHARS = 2_000
BLOCK_ID_CHARS = 255
MARKDOWN_BLOCK_CHARS = 12_000
LABEL_CHARS = 2_000
VIEW_TITLE_CHARS = 24
PRIVATE_METADATA_CHARS = 3_000

Json = dict[str, Any]


def _long(value: object, limit: int, at: str) -> str | None:
    if len(str(value or "")) > limit:
        return f"must be less than {limit + 1} characters [json-pointer:{at}]"
    return None


def _many(items: object, limit: int, at: str) -> str | None:
    if not isinstance(items, list):
        return f"must provide an array [json-pointer:{at}]"
    if not items:
        return f"must provide at least 1 item [json-pointer:{at}]"
    if len(items) > limit:
        return f"no more than {limit} items allowed [json-pointer:{at}]"
    return None


def text_problem(
    obj: object, at: str, limit: int = TEXT_CHARS, *, plain_only: bool = False
) -> str | None:
    """A text object: plain_text or mrkdwn, 1 to ``limit`` characters."""
    kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return f"failed to match all allowed schemas [json-pointer:{at}]"
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return f"must be more than 0 characters [json-pointer:{at}/text]"
    return _long(text, limit, f"{at}/text")


def _element_problem(element: object, at: str) -> str | None:
    """An interactive element of an actions block (a button, checked in full)."""
    if not isinstance(element, dict) or not element.get("type"):
        return f"missing required field: type [json-pointer:{at}]"
    problem = _long(element.get("action_id"), ACTION_ID_CHARS, f"{at}/action_id")
    if problem or element["type"] != "button":
        return problem
    return (
        text_problem(element.get("text"), f"{at}/text", BUTTON_TEXT_CHARS, plain_only=True)
        or _long(element.get("value"), BUTTON_VALUE_CHARS, f"{at}/value")
        or _long(element.get("url"), TEXT_CHARS, f"{at}/url")
    )


def _section(block: Json, at: str) -> str | None:
    if "text" not in block and "fields" not in block:
        return f"must provide either text or fields [json-pointer:{at}]"
    if "text" in block and (problem := text_problem(block["text"], f"{at}/text")):
        return problem
    if "fields" in block:
        fields = block["fields"]
        if problem := _many(fields, FIELDS, f"{at}/fields"):
            return problem
        for i, field in enumerate(fields):
            if problem := text_problem(field, f"{at}/fields/{i}", FIELD_CHARS):
                return problem
    return None


def _header(block: Json, at: str) -> str | None:
    return text_problem(block.get("text"), f"{at}/text", HEADER_CHARS, plain_only=True)


def _context(block: Json, at: str) -> str | None:
    elements = block.get("elements")
    if problem := _many(elements, CONTEXT_ELEMENTS, f"{at}/elements"):
        return problem
    for i, element in enumerate(elements):
        if isinstance(element, dict) and element.get("type") == "image":
            continue
        if problem := text_problem(element, f"{at}/elements/{i}"):
            return problem
    return None


def _actions(block: Json, at: str) -> str | None:
    elements = block.get("elements")
    if problem := _many(elements, ACTIONS_ELEMENTS, f"{at}/elements"):
        return problem
    ids: set[object] = set()
    for i, element in enumerate(elements):
        if problem := _element_problem(element, f"{at}/elements/{i}"):
            return problem
        if (action_id := element.get("action_id")) is not None:
            if action_id in ids:
                return f"action_id needs to be unique [json-pointer:{at}/elements/{i}/action_id]"
            ids.add(action_id)
    return None


def _markdown(block: Json, at: str) -> str | None:
    text = block.get("text")
    if not isinstance(text, str) or not text:
        return f"must be more than 0 characters [json-pointer:{at}/text]"
    return _long(text, MARKDOWN_BLOCK_CHARS, f"{at}/text")


def _image(block: Json, at: str) -> str | None:
    if not (block.get("image_url") or block.get("slack_file")):
        return f"missing required field: image_url [json-pointer:{at}]"
    return _long(block.get("alt_text"), LABEL_CHARS, f"{at}/alt_text")


def _input(block: Json, at: str) -> str | None:
    if not isinstance(block.get("element"), dict):
        return f"missing required field: element [json-pointer:{at}]"
    problem = text_problem(block.get("label"), f"{at}/label", LABEL_CHARS, plain_only=True)
    if problem or "hint" not in block:
        return problem
    return text_problem(block["hint"], f"{at}/hint", LABEL_CHARS, plain_only=True)


def _anything(block: Json, at: str) -> str | None:
    return None


_BLOCKS: dict[str, Callable[[Json, str], str | None]] = {
    "section": _section,
    "header": _header,
    "context": _context,
    "actions": _actions,
    "markdown": _markdown,
    "image": _image,
    "input": _input,
    "divider": _anything,
    "rich_text": _anything,
    "file": _anything,
    "video": _anything,
    "table": _anything,
}
"""The block types Slack knows that an app sends, each with its own checks."""


def blocks_problem(blocks: object, limit: int, at: str = "/blocks") -> str | None:
    """A list of blocks: at most ``limit``, each one a block Slack takes."""
    if not isinstance(blocks, list):
        return f"must provide an array [json-pointer:{at}]"
    if len(blocks) > limit:
        return f"no more than {limit} items allowed [json-pointer:{at}]"
    ids: set[object] = set()
    for i, block in enumerate(blocks):
        where = f"{at}/{i}"
        if not isinstance(block, dict):
            return f"must provide an object [json-pointer:{where}]"
        check = _BLOCKS.get(str(block.get("type")))
        if check is None:
            return f"unsupported type: {block.get('type')} [json-pointer:{where}/type]"
        problem = _long(block.get("block_id"), BLOCK_ID_CHARS, f"{where}/block_id")
        if problem or (problem := check(block, where)):
            return problem
        if (block_id := block.get("block_id")) is not None:
            if block_id in ids:
                return f"Block ID needs to be unique [json-pointer:{where}/block_id]"
            ids.add(block_id)
    return None


def view_problem(view: object) -> str | None:
    """A view (a modal or the Home tab): its title, metadata and up to 100 blocks, and
    in a modal's inputs no initial value longer than the input takes."""
    at = "/view"
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return f"failed to match all allowed schemas [json-pointer:{at}]"
    for key in ("title", "submit", "close"):
        if key in view and (
            problem := text_problem(view[key], f"{at}/{key}", VIEW_TITLE_CHARS, plain_only=True)
        ):
            return problem
    metadata = view.get("private_metadata")
    if problem := _long(metadata, PRIVATE_METADATA_CHARS, f"{at}/private_metadata"):
        return problem
    blocks = view.get("blocks") or []
    if problem := blocks_problem(blocks, VIEW_BLOCKS, f"{at}/blocks"):
        return problem
    for i, block in enumerate(blocks):
        element = block.get("element") or {}
        limit = int(element.get("max_length") or TEXT_CHARS)
        where = f"{at}/blocks/{i}/element"
        if limit > TEXT_CHARS:
            return f"must be less than {TEXT_CHARS + 1} [json-pointer:{where}/max_length]"
        if len(str(element.get("initial_value") or "")) > limit:
            return f"must be less than max_length [json-pointer:{where}/initial_value]"
    return None


def stream_markdown(args: Json) -> str:
    """The markdown a stream call carries, as markdown_text or as markdown_text chunks."""
    text = str(args.get("markdown_text") or "")
    for chunk in args.get("chunks") or []:
        if isinstance(chunk, dict) and chunk.get("type") == "markdown_text":
            text += str(chunk.get("text") or "")
    return text


# --- Slack's answers -------------------------------------------------------------------


def message_error(args: Json) -> tuple[str, str | None] | None:
    """(error, problem) where Slack refuses a message's text or blocks; None when not."""
    text, blocks = args.get("text"), args.get("blocks")
    if len(str(text or "")) > MESSAGE_TEXT_CHARS:
        return "msg_too_long", None
    if not text and not blocks and not args.get("attachments"):
        return "no_text", None
    if blocks and (problem := blocks_problem(blocks, MESSAGE_BLOCKS)):
        return "invalid_blocks", problem
    return None


def message_refusal(args: Json) -> Json | None:
    """What chat.postMessage, chat.update or chat.postEphemeral answers where Slack
    refuses the message; None when Slack takes it."""
    refused = message_error(args)
    if refused is None:
        return None
    error, problem = refused
    if problem is None:
        return {"ok": False, "error": error}
    return {
        "ok": False,
        "error": error,
        "errors": [problem],
        "response_metadata": {"messages": [f"[ERROR] {problem}"]},
    }


def view_refusal(view: object) -> Json | None:
    """What views.publish or views.open answers where Slack refuses the view."""
    if problem := view_problem(view):
        return {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] {problem}"]},
        }
    return None


def stream_call_refusal(args: Json) -> Json | None:
    """What a chat.*Stream call answers where one call carries too much: more than
    12,000 characters of markdown, or (chat.stopStream) more than 50 blocks."""
    if len(stream_markdown(args)) > STREAM_CHARS:
        return {"ok": False, "error": "msg_too_long"}
    blocks = args.get("blocks")
    if blocks and (problem := blocks_problem(blocks, MESSAGE_BLOCKS)):
        return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
    return None


def webhook_refusal(body: Json) -> str | None:
    """The plain-text error a response_url answers (with HTTP 400); None when it takes
    the message (or the body only deletes the original)."""
    if body.get("delete_original"):
        return None
    refused = message_error(body)
    return None if refused is None else refused[0]
