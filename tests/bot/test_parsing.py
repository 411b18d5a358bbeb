from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import parse, tokenize
from commands import build_registry
from commands.character import EditArgs, NamedArgs, NewArgs
from commands.outline import OutlineArgs
from commands.writing import DialogueArgs, SynopsisArgs
from core.errors import CommandError, InputTooLong, UsageError
from core.types import Args

REGISTRY = build_registry()


def args(line: str) -> Args:
    return parse(REGISTRY, line).args


def test_tokenize_keeps_apostrophes_and_groups_quotes() -> None:
    toks = [t.text for t in tokenize('new "Old Tom" can\'t sleep “at all”')]
    assert toks == ["new", "Old Tom", "can't", "sleep", "at all"]


def test_unclosed_quote_runs_to_end_of_line() -> None:
    assert [t.text for t in tokenize('a "b c')] == ["a", "b c"]


def test_character_new_takes_name_and_brief_as_typed() -> None:
    p = parse(REGISTRY, "/character new Mara a pilot who can't sleep,  ever")
    assert p.resolved.path == "character new"
    assert p.args == NewArgs(name="Mara", brief="a pilot who can't sleep,  ever")


def test_keyword_options_are_set_by_name_and_never_positionally() -> None:
    p = args('/character new "Old Tom" role:mentor pronouns:he/him a retired smuggler')
    assert p == NewArgs(
        name="Old Tom", role="mentor", pronouns="he/him", brief="a retired smuggler"
    )


def test_dialogue_names_before_colon() -> None:
    assert args("/dialogue Mara Jonah: the airlock argument") == DialogueArgs(
        characters=("Mara", "Jonah"), situation="the airlock argument"
    )


def test_dialogue_comma_names_allow_spaces() -> None:
    assert args("/dialogue Mara, Old Tom: the debt") == DialogueArgs(
        characters=("Mara", "Old Tom"), situation="the debt"
    )


def test_dialogue_without_colon_takes_capitalised_names() -> None:
    assert args("/dialogue Mara and Jonah the airlock") == DialogueArgs(
        characters=("Mara", "Jonah"), situation="the airlock"
    )


def test_choice_and_integer_are_checked() -> None:
    assert args("/synopsis page darker") == SynopsisArgs(length="page", direction="darker")
    assert args("/outline 5") == OutlineArgs(acts=5)
    with pytest.raises(UsageError, match="between 1 and 5"):
        parse(REGISTRY, "/outline 9")
    with pytest.raises(UsageError, match="must be one of"):
        parse(REGISTRY, "/story set colour blue")


def test_unknown_command_suggests_closest() -> None:
    with pytest.raises(UsageError, match="Did you mean /character"):
        parse(REGISTRY, "/charcter list")


def test_unknown_subcommand_suggests_closest_and_lists_all() -> None:
    with pytest.raises(UsageError, match=r"Did you mean /character edit\?.*new, show"):
        parse(REGISTRY, "/character edti Mara age 3")


def test_missing_subcommand_shows_usage() -> None:
    with pytest.raises(UsageError, match="needs a subcommand"):
        parse(REGISTRY, "/story")


def test_missing_argument_shows_usage_line() -> None:
    with pytest.raises(UsageError) as err:
        parse(REGISTRY, "/character show")
    assert "Usage: /character show <name>" in err.value.message


def test_names_are_cleaned_of_invisible_characters() -> None:
    assert args("/character show Ma\u200bra\u202e") == NamedArgs(name="Mara")


def test_oversized_input_is_refused() -> None:
    with pytest.raises(InputTooLong, match="50,016 characters; the limit is 8,000"):
        parse(REGISTRY, "/synopsis short " + "x" * 50_000)


def test_extra_words_are_reported() -> None:
    with pytest.raises(UsageError, match="don't know what to do"):
        parse(REGISTRY, "/story show everything now")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_fails_with_a_command_error(text: str) -> None:
    for line in (text, "/" + text, "/character " + text, "/dialogue " + text, "/story set " + text):
        with contextlib.suppress(CommandError):
            parse(REGISTRY, line)


def test_a_full_name_before_a_brief_is_the_name() -> None:
    registry = build_registry()

    def new(line: str) -> NewArgs:
        parsed = parse(registry, line).args
        assert isinstance(parsed, NewArgs)
        return parsed

    quell = new("/character new Mara Quell role:lead a salvage pilot who owes everyone")
    assert quell.name == "Mara Quell"
    assert quell.brief == "a salvage pilot who owes everyone"
    assert new("/character new Mara Quell A pilot").name == "Mara Quell"
    assert new('/character new "Old Tom" retired').name == "Old Tom"
    assert parse(registry, "/character show Mara Quell").args == NamedArgs(name="Mara Quell")
    jonah = new("/character new Jonah options:3 Mara's brother")
    assert jonah.name == "Jonah" and jonah.brief == "Mara's brother" and jonah.options == 3
    assert new("/character new Jonah Mara's brother").name == "Jonah"
    # a name followed by a choice is one word unless quoted
    assert parse(registry, "/character edit Mara age 40").args == EditArgs(
        name="Mara", field="age", value="40"
    )


def test_a_group_with_a_default_leaf_takes_the_words_when_no_subcommand_is_named() -> None:
    from commands.character import NamedArgs
    from commands.portrait import PoseArgs, SeedArgs, StyleArgs

    def read(line: str) -> tuple[str, Args]:
        parsed = parse(REGISTRY, line)
        return parsed.resolved.path, parsed.args

    assert read("/portrait Mara") == ("portrait draw", StyleArgs("Mara"))
    assert read("/portrait Mara noir") == ("portrait draw", StyleArgs("Mara", "noir"))
    assert read("/portrait draw Mara noir") == ("portrait draw", StyleArgs("Mara", "noir"))
    # a subcommand right after the subject takes over, with the subject read as a name
    assert read("/portrait Mara Quell pose leaning on the rail") == (
        "portrait pose",
        PoseArgs("Mara Quell", "leaning on the rail"),
    )
    assert read('/portrait "Old Tom" history') == ("portrait history", NamedArgs("Old Tom"))
    assert read("/portrait Mara seed 42") == ("portrait seed", SeedArgs("Mara", 42))
    assert read("/portrait pose Mara leaning") == ("portrait pose", PoseArgs("Mara", "leaning"))
    # the default's own name after the subject is a style word, as before subcommands
    assert read("/portrait Mara draw") == ("portrait draw", StyleArgs("Mara", "draw"))
    with pytest.raises(UsageError) as err:
        parse(REGISTRY, "/portrait")
    assert "Usage: /portrait draw <name>" in err.value.message
    with pytest.raises(UsageError, match="Missing pose"):
        parse(REGISTRY, "/portrait Mara pose")
    with pytest.raises(UsageError, match="don't know what to do with 'now'"):
        parse(REGISTRY, "/portrait Mara history now")
