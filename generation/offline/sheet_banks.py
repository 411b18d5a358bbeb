"""Word banks for character sheets: temperaments, wants, histories, looks, nicknames.

A temperament bundles what belongs together (a trait, the flaw it grows into, the need
that answers it, a way of talking, a habit, lines the character might say), so a sheet
reads as one person rather than fifteen random fields. Templates use {c} for the
character (see ``grammar`` and ``cast.Figure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generation.offline.vocab import _b


@dataclass(frozen=True, slots=True)
class Temperament:
    key: str
    traits: tuple[str, ...]  # adjectives, the first is the core
    flaw: str
    need: str
    voice: str
    habits: tuple[str, ...]
    lines: tuple[str, ...]


TEMPERAMENTS: tuple[Temperament, ...] = (
    Temperament(
        "guarded",
        _b("guarded|observant|self-reliant|wry"),
        "refusal to let anyone close",
        "to let someone in",
        "Clipped and dry; answers questions with questions.",
        _b(
            "keeps a packed bag by the door|sits with {c.their} back to the wall|"
            "remembers every favour and every slight"
        ),
        _b(
            "Don't make me regret this.|I work alone. It's not personal.|"
            "Ask me again and the answer's still no."
        ),
    ),
    Temperament(
        "reckless",
        _b("reckless|brave|impulsive|funny"),
        "habit of jumping before looking",
        "to stay and face the consequences",
        "Fast and loud; all exclamation marks and bad ideas.",
        _b(
            "volunteers before the question is finished|drives everything too fast|"
            "laughs at exactly the wrong moment"
        ),
        _b(
            "How hard can it be?|I've done dumber things before breakfast.|"
            "Plans are just lies about the future."
        ),
    ),
    Temperament(
        "meticulous",
        _b("meticulous|precise|principled|private"),
        "need for control",
        "to accept what {c.they} cannot fix",
        "Formal and precise; never uses a contraction.",
        _b(
            "labels everything|arrives ten minutes early and resents it|"
            "rewrites other people's lists"
        ),
        _b(
            "I do not guess. I check.|There is a procedure for this.|"
            "Precision is a kindness, whatever you may think."
        ),
    ),
    Temperament(
        "charming",
        _b("charming|quick-witted|restless|generous"),
        "talent for lying",
        "to be known rather than liked",
        "Warm and easy; full of nicknames and stories.",
        _b(
            "knows everyone's name by the second meeting|tips too much|"
            "never tells the same story the same way twice"
        ),
        _b(
            "Trust me, darling, I've got a plan.|Everybody loves a good story.|Relax. I know a guy."
        ),
    ),
    Temperament(
        "anxious",
        _b("anxious|conscientious|kind|perceptive"),
        "fear of getting it wrong",
        "to trust {c.self}",
        "Nervous and halting; trails off and starts again.",
        _b(
            "apologises to furniture|checks the lock three times|"
            "rehearses conversations in the shower"
        ),
        _b(
            "I— sorry. I just think we should check.|Is it bad? It's bad, isn't it.|"
            "I'm fine. I'm totally fine."
        ),
    ),
    Temperament(
        "proud",
        _b("proud|brilliant|exacting|loyal"),
        "pride",
        "to ask for help",
        "Formal and cutting; polite in a way that draws blood.",
        _b("corrects people's grammar|never sits in the back|keeps every award in a drawer"),
        _b(
            "I have never needed anyone's permission.|You may go. I will manage.|"
            "Help is for people who plan badly."
        ),
    ),
    Temperament(
        "cynical",
        _b("cynical|sharp|funny|secretly soft-hearted"),
        "contempt for hope",
        "to believe in something again",
        "Sardonic and dry; a rhetorical question for everything.",
        _b("bets against {c.their} own team|reads the last page first|keeps a flask and a grudge"),
        _b(
            "What could possibly go wrong?|Hope is a tax on people who can't count.|"
            "Oh, good. Another miracle."
        ),
    ),
    Temperament(
        "loyal",
        _b("loyal|steady|warm|stubborn"),
        "loyalty to the wrong people",
        "to choose {c.self} for once",
        "Warm and plain-spoken; says 'we' where others say 'I'.",
        _b(
            "remembers birthdays|cooks for people instead of talking|"
            "never leaves a table until everyone has eaten"
        ),
        _b(
            "We stick together. That's the whole rule.|Eat something. Then we'll talk.|"
            "I'm not going anywhere."
        ),
    ),
    Temperament(
        "ambitious",
        _b("ambitious|disciplined|persuasive|lonely"),
        "hunger for recognition",
        "to find a worth no one can take away",
        "Measured and polished; a little too rehearsed.",
        _b(
            "keeps a five-year plan on the fridge|networks at funerals|"
            "sleeps four hours and says it's enough"
        ),
        _b(
            "Second place is the first loser.|I've earned this.|"
            "Nobody remembers the people who almost did it."
        ),
    ),
    Temperament(
        "gentle",
        _b("gentle|patient|funny|conflict-shy"),
        "inability to say no",
        "to say no and mean it",
        "Soft and kind; rambles when nervous, apologises when right.",
        _b("feeds stray animals|talks to plants|always takes the worst chair"),
        _b(
            "Oh, it's no trouble, honestly.|Could we maybe not shout?|"
            "Everyone's doing their best. Mostly."
        ),
    ),
    Temperament(
        "volatile",
        _b("hot-tempered|passionate|fiercely protective|honest"),
        "temper",
        "to stay with a feeling instead of swinging at it",
        "Loud and blunt; fiery when crossed.",
        _b(
            "breaks things and then fixes them|says the quiet part loudly|"
            "apologises with food, never words"
        ),
        _b(
            "Say that again. I dare you.|I'm not angry. I'm loud. It's different.|"
            "Nobody touches my people."
        ),
    ),
    Temperament(
        "dreamer",
        _b("dreamy|imaginative|distracted|hopeful"),
        "refusal to see what is in front of {c.them}",
        "to live in the world as it is",
        "Lyrical and wandering; speaks in pictures.",
        _b(
            "fills notebooks with maps of places that don't exist|loses track of time|"
            "collects other people's stories"
        ),
        _b(
            "Some nights the sky looks like it's listening.|What if it isn't over?|"
            "Everything is a door, if you look long enough."
        ),
    ),
    Temperament(
        "talker",
        _b("talkative|curious|enthusiastic|easily distracted"),
        "inability to keep a secret",
        "to listen",
        "Rambling and breathless; a digression in every answer.",
        _b(
            "starts three projects a week|knows a fact about everything|"
            "narrates {c.their} own life out loud"
        ),
        _b(
            "Okay, so, funny story, and it's relevant, I promise.|"
            "Did you know octopuses have three hearts? Anyway.|I'm getting to the point!"
        ),
    ),
    Temperament(
        "stoic",
        _b("stoic|dependable|watchful|dry"),
        "silence when it matters most",
        "to say what {c.they} feel{c.s} out loud",
        "Terse; few words, all of them load-bearing.",
        _b(
            "fixes things without being asked|stands where {c.they} can see the exits|"
            "listens more than {c.they} talk{c.s}"
        ),
        _b("Noted.|Later.|It'll hold."),
    ),
    Temperament(
        "earthy",
        _b("earthy|stubborn|shrewd|warm-hearted"),
        "stubbornness",
        "to change {c.their} mind",
        "Colloquial drawl; folksy sayings and slang.",
        _b(
            "fixes engines with whatever's lying around|knows the weather by the ache in {c.their} knee|"
            "never throws anything away"
        ),
        _b(
            "Well, that's a fine mess and no mistake.|Ain't nothing a little grease can't fix.|"
            "I reckon we'll see."
        ),
    ),
)

QUIRKS = _b(
    "never leaves a debt unpaid|keeps a list of everyone who ever lied to {c.them}|"
    "talks to machines more than people|is one bad night away from quitting|"
    "can't walk past someone in trouble|has been running from the same mistake for years|"
    "knows where every body in town is buried, some literally|still writes letters nobody answers"
)

WANTS = _b(
    "to get {prize} before anyone else does|to get out of {place} for good|"
    "to clear {c.their} name|to pay off a debt that keeps growing|"
    "to win back the standing {c.they} lost|to find out what really happened to {c.their} mentor|"
    "to keep {c.their} family together|to be the best at the one thing {c.they} {c.is} good at|"
    "to build something that outlasts {c.them}|to make the people who laughed at {c.them} listen"
)

FOE_WANTS = _b(
    "to keep control of {place}|to own {prize}|to be feared rather than forgotten|"
    "to finish what {c.they} started years ago|to make sure nobody ever takes from {c.them} again"
)

MENTOR_WANTS = _b(
    "to see one student get it right|to undo the mistake {c.they} made years ago|"
    "to hand over the work before it is too late"
)

ORIGINS = _b(
    "in a crowded flat above a bar|on the road, never more than a season in one place|"
    "in a family that prized silence|as the youngest of five, fighting for air|"
    "with a grandmother who trusted nobody and taught {c.them} the same|"
    "in the shadow of an older sibling everyone adored|in a town that no longer exists|"
    "in a house full of books and unpaid bills"
)

EVENTS = _b(
    "took the blame for something {c.they} didn't do|watched a business {c.they} built go under in a month|"
    "lost the one person who believed in {c.them}|made a bargain {c.they} still pay{c.s} for|"
    "walked away from a promising career without explaining why|"
    "was the only survivor of an accident nobody talks about|"
    "broke a promise that cost someone dearly|won something big, and lost it even faster"
)

SECRETS = _b(
    "Nobody knows {c.they} still send{c.s} money to the family {c.they} walked out on.|"
    "{c.They} {c.has} never told anyone what really happened that night.|"
    "{c.They} still keep{c.s} the letter that started it all, unopened.|"
    "There is a name {c.they} won't say out loud.|"
    "{c.They} {c.was} paid to keep quiet once, and took the money."
)

BUILDS = _b(
    "tall and rangy|short and compact|broad-shouldered|wiry|soft-bellied and solid|"
    "slight and quick|heavyset and graceful|long-limbed"
)
FEATURES = _b(
    "a nose that healed crooked|a scar through one eyebrow|ink-stained fingers|"
    "a gap-toothed smile {c.they} rarely use{c.s}|eyes that never settle|a burn scar on one hand|"
    "freckles {c.they} hate{c.s}|a voice much deeper than expected"
)
CLOTHES = {
    "scifi": _b(
        "a patched flight jacket|a company jumpsuit with the logo torn off|"
        "thermal layers and a battered wrist terminal"
    ),
    "fantasy": _b(
        "a travel-stained cloak|a leather jerkin with a dozen hidden pockets|robes one size too big"
    ),
    "western": _b("a dust-coloured duster|a good hat and bad boots|a preacher's black coat"),
    "historical": _b(
        "a coat mended at both elbows|a starched collar and a borrowed waistcoat|"
        "a uniform that no longer fits"
    ),
    "default": _b(
        "a coat older than most of {c.their} friends|boots resoled three times|"
        "whatever was clean|one good suit, worn too often|a jacket with too many pockets"
    ),
}
DETAILS = _b(
    "Always carries a pencil behind one ear.|Wears a ring on a chain, never on a finger.|"
    "Smells faintly of engine oil and oranges.|Never takes off the watch, even though it stopped years ago.|"
    "Keeps {c.their} hair cropped short for practical reasons {c.they} will list at length."
)

SUPPORT_ROLES = _b("ally|mentor|rival|love interest|wildcard|foil|informant")

NICKNAMES = {
    "medic": "Doc",
    "doctor": "Doc",
    "nurse": "Doc",
    "pilot": "Flyboy",
    "engineer": "Sparks",
    "tech": "Sparks",
    "captain": "Skip",
    "sheriff": "Sheriff",
    "priest": "Father",
    "teacher": "Teach",
    "cook": "Chef",
    "thief": "Magpie",
    "hacker": "Ghost",
    "driver": "Wheels",
    "sailor": "Salt",
    "soldier": "Sarge",
    "detective": "Shamus",
    "smuggler": "Fox",
}
