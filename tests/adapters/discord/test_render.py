from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord.render import Page, render, render_preview
from bot.adapters.discord.screenplay import fountain_to_markdown
from core.types import Action, ImageRef, Reply, ReplyField
from tests.adapters.discord.discord_limits import check_message


def _payload(page: Page) -> dict[str, object]:
    return {"content": page.content, "embeds": [e.to_dict() for e in page.embeds]}


def _all_text(pages: list[Page]) -> str:
    out: list[str] = []
    for page in pages:
        if page.content:
            out.append(page.content)
        for e in page.embeds:
            out += [e.title or "", e.description or ""]
            out += [f"{f.name} {f.value}" for f in e.fields]
            out.append(e.footer.text or "")
    return "\n".join(out)


def _words(text: str) -> list[str]:
    return [w for w in text.replace("```", " ").split() if w != "(cont.)"]


def test_a_bare_reply_is_plain_content() -> None:
    [page] = render(Reply.info("Saved as the story's synopsis."))
    assert page.content == "Saved as the story's synopsis."
    assert page.embeds == []


@given(st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=40))
def test_a_blank_reply_is_one_message_all_the_same(body: str) -> None:
    pages = render(Reply(body=body))  # a model that answered only spaces, say
    assert len(pages) == 1 and pages[0].content
    check_message(_payload(pages[0]))


def test_long_content_is_split_into_messages_of_at_most_2000_characters() -> None:
    body = "\n\n".join(
        f"Beat {i}: " + "Mara argues with Jonah about the airlock. " * 9 for i in range(30)
    )
    pages = render(Reply.info(body))
    assert len(pages) > 1
    for page in pages:
        assert page.content is not None and len(page.content) <= 2000
        check_message(_payload(page))
    assert _words(_all_text(pages)) == _words(body)


def test_a_long_draft_pages_through_embeds_within_every_limit() -> None:
    body = "\n\n".join(
        f"Scene {i}. " + "The salvage ship drifts, lights dead. " * 30 for i in range(20)
    )
    reply = Reply(
        title="Synopsis · The Long Dark",
        body=body,
        footer="Offline draft engine",
        actions=(Action("regenerate", "Regenerate", "7"),),
    )
    pages = render(reply)
    assert len(pages) > 1
    for page in pages:
        check_message(_payload(page))
        assert page.embed_chars() <= 6000
    assert pages[0].embeds[0].title == "Synopsis · The Long Dark"
    assert pages[-1].embeds[-1].footer.text == "Offline draft engine"
    assert pages[0].actions and not any(p.actions for p in pages[1:])
    text = _all_text(pages)
    assert _words(text) == _words(f"Synopsis · The Long Dark\n{body}\nOffline draft engine")


def test_a_character_sheet_keeps_every_field_even_past_25_and_past_1024() -> None:
    fields = tuple(
        ReplyField(f"Field {i}", f"value {i} " * (5 if i % 7 else 160), inline=i < 3)
        for i in range(40)
    )
    reply = Reply(title="Mara Quell", body="_A salvage pilot._", fields=fields)
    pages = render(reply)
    embeds = [e for p in pages for e in p.embeds]
    for page in pages:
        check_message(_payload(page))
    assert all(len(e.fields) <= 25 for e in embeds)
    names = [f.name or "" for e in embeds for f in e.fields]
    assert [n for n in names if not n.endswith("(cont.)")] == [f"Field {i}" for i in range(40)]
    assert _words(" ".join(f.value or "" for e in embeds for f in e.fields)) == _words(
        " ".join(f.value for f in fields)
    )
    inline = {f.name: f.inline for e in embeds for f in e.fields}
    assert inline["Field 1"] and not inline["Field 0"]  # a field split in parts is not inline


def test_a_title_longer_than_256_is_shortened_and_kept_whole_in_the_text() -> None:
    title = "Mara & Jonah: " + "the argument in the airlock that goes on " * 10
    [page] = render(Reply(title=title, body="INT. AIRLOCK"))
    embed = page.embeds[0]
    assert embed.title is not None and len(embed.title) <= 256
    assert embed.description is not None and title.strip() in embed.description


def test_images_travel_as_attachments_shown_in_the_embed(tmp_path: Path) -> None:
    image = ImageRef(
        path=str(tmp_path / "mara.png"), alt="Mara in her flight suit", filename="Mara portrait.png"
    )
    [page] = render(Reply(title="Mara", images=(image,)))
    assert page.images == (image,)
    assert page.embeds[0].image.url == "attachment://Mara_portrait.png"


def test_dialogue_in_fountain_reads_as_formatted_cues() -> None:
    scene = (
        "INT. AIRLOCK - NIGHT\n\nMara checks the seal.\n\nMARA\n(quietly)\n"
        "We're not going back.\n\nJONAH\nWe never left."
    )
    text = fountain_to_markdown(scene)
    assert "**INT. AIRLOCK - NIGHT**" in text
    assert "**MARA**\n_(quietly)_\n> We're not going back." in text
    assert "**JONAH**\n> We never left." in text
    [page] = render(Reply(title="Mara & Jonah", body=scene, format="fountain"))
    assert page.embeds[0].description == text


def test_a_body_is_laid_out_by_its_format_not_by_how_it_looks() -> None:
    scene = "INT. AIRLOCK - NIGHT\n\nMARA\nWe're not going back.\n\nJONAH\nWe never left."
    [as_markup] = render(Reply(body=scene))
    assert as_markup.content == scene  # markup stays as written, however scene-like
    [as_scene] = render(Reply(body=scene, format="fountain"))
    assert as_scene.content == fountain_to_markdown(scene)
    assert "**MARA**\n> We're not going back." in (as_scene.content or "")


def test_a_preview_is_one_message_showing_the_newest_text() -> None:
    body = "\n".join(f"line {i} of a long draft" for i in range(1000))
    page = render_preview(Reply(title="Synopsis", body=body, partial=True))
    check_message(_payload(page))
    assert page.embeds[0].description is not None
    assert page.embeds[0].description.endswith("line 999 of a long draft")


def test_mentions_in_text_are_kept_as_written() -> None:
    # Nothing pings because every send carries allowed_mentions none (see test_mentions);
    # the text itself is the writer's and stays as it is.
    [page] = render(Reply.info("@everyone look, <@123> and <@&456> @here"))
    assert page.content == "@everyone look, <@123> and <@&456> @here"


_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=3000
)


@settings(max_examples=60, deadline=None)
@given(
    title=st.none() | st.text(min_size=1, max_size=400),
    body=st.lists(_text, max_size=6).map("\n\n".join),
    fields=st.lists(st.tuples(st.text(min_size=1, max_size=300), _text), max_size=30),
    footer=st.none() | st.text(min_size=1, max_size=2500),
)
def test_any_reply_renders_within_discords_limits(
    title: str | None, body: str, fields: list[tuple[str, str]], footer: str | None
) -> None:
    reply = Reply(
        body=body,
        title=title,
        footer=footer,
        fields=tuple(ReplyField(label, value) for label, value in fields),
    )
    pages = render(reply)
    for page in pages:
        check_message(_payload(page))
        assert page.content or page.embeds
        assert all(len(e) > 0 or e.image for e in page.embeds)
