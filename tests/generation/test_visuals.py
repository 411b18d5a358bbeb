"""The image-prompt hook: a place by its look, and the place a pose names."""

from __future__ import annotations

from core.models import Bible, Location, Story
from generation.visuals import SPECIFIC, named_place, place_look

LAMP = Location("Lamp Room", id=1, description="The top of the tower.", look="Brass, salt glass.")
GALLERY = Location("Gallery", id=2, description="The walkway round the lamp.")
BIBLE = Bible(Story(id=1, key=("t", "l", "c")), locations=(GALLERY, LAMP))


def test_a_place_is_given_by_its_look_else_its_description() -> None:
    assert place_look(LAMP) == "in the Lamp Room: Brass, salt glass"
    assert place_look(GALLERY) == "in the Gallery: The walkway round the lamp"
    assert place_look(Location("Cellar")) == "in the Cellar"
    long = Location("Dock", look=" ".join(["word"] * 60))
    assert len(place_look(long, words=10).split()) == 13


def test_the_place_a_pose_names_is_found() -> None:
    assert named_place(BIBLE, "leaning on the rail of the gallery at dawn") == GALLERY
    assert named_place(BIBLE, "asleep in the lamp room") == LAMP
    assert named_place(BIBLE, "on the beach") is None
    assert "specific individual" in SPECIFIC
