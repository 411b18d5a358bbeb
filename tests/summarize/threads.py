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


WREN = ("Wren Adeyemi (showrunner)", "U0WREN")
MILO = ("Milo Castellanos", "U0MILO")
PRITI = ("Priti Shah", "U0PRITI")
OREN = ("Oren Blum", "U0OREN")
CAT = ("saltycat", "U0CAT")


def orchard_thread() -> list[ThreadMessage]:
    """An animated-series room breaking an episode of "Glass Orchard": a reversed call, a
    sign-off and jokes, a studio and labels that are no characters, a writer addressed
    inside a run of capitals, an open request taken by a volunteer and a vague offer."""
    return thread(
        (
            WREN,
            "morning! breaking episode 6 of Glass Orchard. open items: who flies the "
            "glider, the C-plot, and Kiteworks wants a new title",
        ),
        (
            MILO,
            "my pitch: Bram flies the glider. he's a robot who's terrified of heights, "
            "so it's funny and it costs him something",
        ),
        (PRITI, "yes, Bram flying is the funniest version"),
        (WREN, "ok, Bram flies the glider in act 2. it's his big moment"),
        (
            OREN,
            "wait, if Bram flies then Captain Ilse Varga just watches the whole act. "
            "she's been passive for three episodes",
        ),
        (CAT, "Oren's right. Ilse should be the one who takes the risk"),
        (
            WREN,
            "scratch that. Captain Varga flies the glider herself, not Bram. Bram hides "
            "in the cargo net and narrates",
        ),
        (MILO, "ok yeah that's better"),
        (PRITI, "Bram narrating from the cargo net is so funny to me"),
        (OREN, "lol"),
        (
            WREN,
            "C-plot: the Weaver's loom keeps unravelling the town's flags. we keep it "
            "small, two scenes, and it pays off in the tag",
        ),
        (CAT, "is the Weaver a villain or just lonely?"),
        (WREN, "lonely. never a villain"),
        (MILO, "Kiteworks sent notes too, they think Glass Orchard sounds like a candle brand"),
        (WREN, "the title stays Glass Orchard. I'll tell Kiteworks on Friday's call"),
        (PRITI, "can someone draft the cargo net scene?"),
        (CAT, "I'll take it"),
        (OREN, "what if the flags spell a word when they unravel"),
        (MILO, "but that's exactly why it lands when she does"),
        (PRITI, "I'll try it"),
        (WREN, "<@U0MILO> I'll owe you a coffee for the glider pitch"),
        (WREN, "Oren, can you rework the act 2 break around Varga by Thursday?"),
        (OREN, "yep, Thursday"),
        (PRITI, "does the Weaver appear on screen in 6 or only her loom?"),
        (WREN, "not sure yet, let's decide when we board it"),
        (WREN, "ok that's a wrap on episode 6 for today. great room everyone"),
        (CAT, ":wave:"),
    )


ORCHARD_CAST = ("Ilse Varga", "Bram", "the Weaver")


def many(n: int, base: list[ThreadMessage] | None = None) -> list[ThreadMessage]:
    """``n`` messages: ``base`` (default the orchard thread) over and over, a minute apart."""
    base = base or orchard_thread()
    out = []
    for i in range(n):
        m = base[i % len(base)]
        ts = f"{1_700_000_000 + i * 60}.000100"
        out.append(
            ThreadMessage(m.author, m.author_id, ts, m.text, f"https://example.slack.com/p{i}")
        )
    return out
