"""Small hand-written threads for the summarizer tests.

None of them shares a name, a topic or a phrasing habit with the annotated samples in
../shared/samples: they check that the detectors' rules are general.
"""

from __future__ import annotations

from generation.summarize.model import ThreadMessage

NOOR = ("Noor Haddad", "U0NOOR")
FELIX = ("Felix Moreau", "U0FELIX")
INES = ("Inês Carvalho", "U0INES")
FOX = ("bramble_fox", "U0FOX")
OSKAR = ("Oskar Lind", "U0OSKAR")


def thread(*lines: tuple[tuple[str, str], str]) -> list[ThreadMessage]:
    """Messages one second apart, each with a link like Slack's permalinks."""
    out = []
    for i, ((name, uid), text) in enumerate(lines):
        ts = f"{1_700_000_000 + i * 60}.000100"
        out.append(ThreadMessage(name, uid, ts, text, f"https://example.slack.com/p{i}"))
    return out


def held_out_thread() -> list[ThreadMessage]:
    """An audio-drama room on Slack: a reversal, answered / open / parked questions,
    assignments by handle, by first name, by mention and by the speaker."""
    return thread(
        (
            NOOR,
            "ok team, audio drama ep 4 breakdown. big items: the finale location, "
            "the villain's motive, who narrates",
        ),
        (FELIX, "I still like the lighthouse for the finale. foghorn, storm, the works"),
        (INES, "lighthouse feels very done. what about the flooded subway station?"),
        (FOX, "subway!! the echo would sound amazing on audio :headphones:"),
        (NOOR, "we're going with the lighthouse for the finale. it's iconic"),
        (
            OSKAR,
            "wait, didn't we set the ep 1 storm at a lighthouse already? "
            "same set twice in one season",
        ),
        (FELIX, "oh. yeah we did"),
        (
            NOOR,
            "scratch that — the finale moves to the flooded subway station. the lighthouse is out",
        ),
        (INES, "does the narrator know who the killer is from the start?"),
        (FOX, "no — she only finds out in ep 6, that's the whole unreliable-narrator trick"),
        (OSKAR, "how long is each episode running? 25 min?"),
        (FELIX, "good question, I don't know. let's come back to it"),
        (INES, "who's voicing Detective Amara Osei? we never cast her"),
        (NOOR, "TBD, park it until the budget call"),
        (NOOR, "@bramble_fox can you mix the subway ambience by Friday?"),
        (FOX, "on it, friday"),
        (NOOR, "Inês, could you rewrite the cold open so Amara narrates it? before next Tuesday"),
        (INES, "yep"),
        (OSKAR, "I'll draft the episode 5 outline tonight"),
        (NOOR, "<@U0FELIX> please update the cast sheet with the new subway scenes"),
        (FELIX, "will do"),
        (OSKAR, "what's the villain's motive, actually? revenge or money?"),
        (FELIX, "money. he's drowning in debt to the Harbor Syndicate"),
        (NOOR, "agreed: the motive is money — his gambling debt to the Harbor Syndicate"),
        (INES, "what does the title card say at the top of each episode? still the old one?"),
        (FOX, ":shrug:"),
        (OSKAR, "lol"),
    )
