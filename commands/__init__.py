"""What writers can ask for. ``build_registry`` is the one list of commands."""

from __future__ import annotations

from bot.registry import Hooks, Registry
from commands.ask import ASK
from commands.character import CHARACTER
from commands.draft import DRAFT
from commands.followup import follow_up, on_action
from commands.forget import confirmed_by_button
from commands.help import HELP
from commands.location import LOCATION
from commands.outline import OUTLINE
from commands.portrait import PORTRAIT
from commands.portrait_actions import with_image_actions, with_image_follow_ups
from commands.scene import SCENE
from commands.story import STORY
from commands.summarize import SUMMARIZE
from commands.writing import DIALOGUE, SYNOPSIS


def build_registry() -> Registry:
    return Registry(
        [
            HELP,
            STORY,
            CHARACTER,
            SYNOPSIS,
            OUTLINE,
            LOCATION,
            DIALOGUE,
            SCENE,
            DRAFT,
            SUMMARIZE,
            PORTRAIT,
            ASK,
        ]
    )


def build_hooks() -> Hooks:
    return Hooks(
        follow_up=with_image_follow_ups(follow_up),
        action=with_image_actions(on_action),
        commands={"forget": confirmed_by_button},
    )
