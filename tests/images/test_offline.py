"""The offline card: deterministic, distinct per character, labelled a placeholder."""

from __future__ import annotations

from generation.images.base import ImageRequest, Subject
from generation.images.offline import OfflineBackend, draw_card, look_of

MARA = Subject(
    "Mara",
    "protagonist",
    "she/her",
    "34",
    "short red hair, green eyes, a scar on her cheek, broad shoulders",
)
JONAH = Subject("Jonah", "antagonist", "he/him", "61", "tall, bald, grey beard, round glasses")


def test_the_same_character_and_seed_draw_the_same_card() -> None:
    assert draw_card(MARA, 7).tobytes() == draw_card(MARA, 7).tobytes()


def test_two_characters_get_different_cards() -> None:
    cast = [MARA, JONAH, Subject("Mara Quell"), Subject("Tom", "mentor")]
    drawn = {draw_card(c, 7).tobytes() for c in cast}
    assert len(drawn) == len(cast)


def test_features_come_from_the_appearance() -> None:
    mara, jonah = look_of(MARA), look_of(JONAH)
    assert mara.hair == (170, 50, 30) and mara.scar and mara.width > 1
    assert jonah.hair_style == "bald" and jonah.glasses and jonah.beard and jonah.dark_role
    assert mara.background != jonah.background


def test_expressions_change_the_face_not_the_character() -> None:
    neutral, joy = draw_card(MARA, 7, "neutral"), draw_card(MARA, 7, "joy")
    assert neutral.tobytes() != joy.tobytes()
    assert look_of(MARA) == look_of(MARA)


async def test_the_backend_says_it_is_a_placeholder() -> None:
    result = await OfflineBackend().generate(
        ImageRequest(prompts=("p",), seed=3, subject=MARA, labels=("portrait",))
    )
    assert result.placeholder and result.backend == "offline"
    top = result.images[0].crop((0, 0, 384, 30)).getcolors(10_000)
    assert top is not None and any(color == (255, 220, 80) for _n, color in top)
