"""Shapes driven by who the hero becomes: romance, coming of age, fish out of water, rivalry."""

from __future__ import annotations

from generation.offline.shapes import Shape
from generation.offline.vocab import _b

ROMANCE = Shape(
    "romance",
    "romance",
    _b(
        "love|fall for|falls for|romance|heart|wedding|marry|date|dating|kiss|crush|lovers|"
        "soulmate|sweetheart|engaged"
    ),
    _b(
        "hold onto {prize}|win {prize} without losing {hero.self}|keep {prize} out of {foe.poss} hands"
    ),
    _b(
        "{love} walks into {hero.poss} life|a misunderstanding throws {hero} and {love} together|"
        "{hero} is forced to share {prize} with {love}"
    ),
    (
        "Then {love} walks into {hero.poss} life at the worst possible moment.",
        "{hero} and {love} meet over a misunderstanding that costs them both money, and neither will apologise first.",
        "{hero} is forced to share {prize} with {love}, who wants it for entirely different reasons.",
        "A chance meeting with {love} turns {hero.poss} carefully arranged life upside down within a week.",
    ),
    (
        "They strike a deal to stay out of each other's way, which lasts about a day.",
        "{hero} decides that {love} is a distraction {hero.they} cannot afford, and spends the next month failing to stay away.",
        "{hero} agrees to help {love}, strictly for practical reasons.",
    ),
    (
        "The more time they spend together, the harder it is to pretend this is about {prize}.",
        "{ally} sees it first, and says so, loudly, to everyone.",
        "Old habits get in the way: {hero.poss} caution, {love.poss} pride, and a world that will not stop talking.",
    ),
    (
        "One night everything is said that should have stayed unsaid, and the next morning they both pretend it never happened.",
        "They kiss, and it is a mistake, and it is the best mistake either of them has made.",
        "Just as it is becoming real, {hero} learns that {secret}.",
    ),
    (
        "The truth comes out in the worst way, in front of everyone, and {love} leaves.",
        "{hero} chooses the safe option, and loses {love} for it.",
        "Pride wins the argument, and {hero} spends a very long season alone.",
    ),
    (
        "{hero} finally does the brave thing, in public, without a plan and with every reason to expect humiliation.",
        "It takes {threat} to bring them back into the same room, and this time neither of them runs.",
        "{hero} gives up what {hero.they} thought {hero.they} wanted most, and only then understands what {hero.they} {hero.was} really asking for.",
    ),
    _b(
        "the risk of being known|love as a decision rather than a feeling|"
        "second chances and the courage they take"
    ),
)

COMING_OF_AGE = Shape(
    "coming_of_age",
    "coming of age",
    _b(
        "grow up|growing up|teen|teenage|young|school|summer|first|coming of age|coming-of-age|"
        "graduat|adolescen|kid|youth|student|apprentice"
    ),
    _b(
        "become someone of {hero.their} own choosing|find out who {hero.they} really {hero.is}|"
        "earn a place of {hero.their} own"
    ),
    _b(
        "a funeral and a secret change everything|{hero} meets {ally}|"
        "a door opens that means leaving everyone behind"
    ),
    (
        "The summer everything changes for {hero} begins with a funeral and a secret nobody will explain.",
        "When {hero} is handed a responsibility {hero.they} {hero.is} nowhere near ready for, the easy years end in an afternoon.",
        "{hero} meets {ally}, who is everything {hero} is not allowed to be, and nothing is the same afterwards.",
        "A door opens for {hero}, an offer and a way out, and walking through it means leaving everyone behind.",
    ),
    (
        "{hero} starts lying to the people who love {hero.them}, a little at first, then a lot.",
        "{hero} decides to {goal}, without asking anyone's permission.",
        "{hero} follows {ally} into a world of late nights and borrowed confidence.",
    ),
    (
        "There are firsts: the first real argument, the first betrayal, the first time {hero} is taken seriously.",
        "{mentor} sees something in {hero} that {hero} cannot see, and pushes.",
        "The new life fits badly and then, suddenly, too well.",
    ),
    (
        "{hero} gets everything {hero.they} asked for, and finds out what it costs.",
        "The secret comes out, that {secret}, and the people {hero} trusted turn out to be just as lost.",
        "{hero} makes a choice that cannot be taken back, and for the first time owns it.",
    ),
    (
        "{ally} walks away, {mentor} is disappointed, and {hero} is alone with the person {hero.they} {hero.has} become.",
        "The old life won't take {hero} back, and the new one never really wanted {hero.them}.",
        "Everything {hero} built over the season comes apart in a single night.",
    ),
    (
        "{hero} stands up in front of everyone and says the true thing for the first time.",
        "Given the chance to run, {hero} stays, and faces {foe} on {hero.poss} own terms.",
        "{hero} chooses, not what {hero.they} {hero.was} told to choose, but what {hero.they} actually want{hero.s}.",
    ),
    _b(
        "the moment a life becomes your own|leaving home without losing it|"
        "the difference between being told and knowing"
    ),
)

FISH = Shape(
    "fish",
    "fish out of water",
    _b(
        "new town|moves to|relocat|stranger|outsider|foreign|inherit|sent to|arrives in|"
        "newcomer|culture clash|out of place|transferred"
    ),
    _b(
        "get back home as fast as possible|make it through one season here|"
        "prove {hero.self} to people who have already decided"
    ),
    _b(
        "{hero} is sent somewhere {hero.they} {hero.does} not belong|{hero} inherits a business {hero.they} know{hero.s} nothing about|"
        "{hero.poss} old life collapses overnight"
    ),
    (
        "Then {hero} is sent to {place}, where nobody speaks {hero.poss} language, literally or otherwise.",
        "A clerical error and a very long journey deliver {hero} to {place}, with no easy way back.",
        "{hero} inherits a business {hero.they} know{hero.s} nothing about, among people who want it closed.",
        "When {hero.poss} old life collapses overnight, {hero} has to start again among people who don't want {hero.them}.",
    ),
    (
        "{hero} decides to {goal}; the locals have other plans.",
        "{hero} gives it a month, then a season.",
        "{hero} makes a plan to win everyone over, which immediately makes everything worse.",
    ),
    (
        "Every custom {hero} breaks becomes a story the whole place tells by evening.",
        "{ally} becomes {hero.poss} unwilling translator, guide and conscience.",
        "Slowly, against every instinct, {hero} starts to be good at this.",
    ),
    (
        "Just as {hero} starts to belong, {hero.they} learn{hero.s} that {secret}, and everyone closes ranks.",
        "{hero} gets the chance to leave, the thing {hero.they} wanted from the start, and doesn't take it.",
        "The outsider's view turns out to be exactly what everyone needed, until it isn't.",
    ),
    (
        "{hero} makes the one mistake nobody here will forgive, and packs {hero.their} bags.",
        "Caught between two worlds, {hero} belongs to neither.",
        "{foe} uses {hero.poss} outsider status against {hero.them}, and it works.",
    ),
    (
        "{hero} comes back, uninvited, at the moment the place most needs someone who doesn't know the rules.",
        "Using everything {hero} learned in both lives, {hero} beats {foe} at a game that was rigged from the start.",
        "{hero} stands up for the place that never wanted {hero.them}, and that is when it finally does.",
    ),
    _b(
        "belonging as something you do, not something you are|home as a choice|"
        "seeing yourself through strangers' eyes"
    ),
)

RIVALRY = Shape(
    "rivalry",
    "rivalry",
    _b(
        "rival|rivalry|competition|contest|tournament|race|championship|compete|bake-off|election|"
        "trophy|prize|final|cup|audition"
    ),
    _b("win {prize}|beat {foe} at last|take {prize} and keep {hero.their} name"),
    _b(
        "{foe} enters the same race|a public humiliation sets {hero} against {foe}|"
        "{prize} is put up for grabs"
    ),
    (
        "Then {foe} enters the same race, for the same prize, with more money and fewer scruples.",
        "{hero} and {foe} are forced into the same competition for {prize}, and only one can win.",
        "A public humiliation at the hands of {foe} sets {hero} on a course that will consume a year.",
        "When {prize} is put up for grabs, {hero} finds {foe} already at the front of the queue.",
    ),
    (
        "{hero} vows to {goal}, and to beat {foe} doing it.",
        "{hero} trains, schemes and hires {ally}, who is either a genius or a fraud.",
        "{hero} enters the contest, telling everyone it's about {prize}, and lying.",
    ),
    (
        "Round after round, {hero} and {foe} trade wins, tricks and insults.",
        "Preparing for the competition turns out to be the easy part; living with it is harder.",
        "{ally} starts to think {hero} cares more about beating {foe} than about winning.",
    ),
    (
        "{hero} wins, spectacularly, and finds the victory strangely hollow.",
        "{hero} discovers that {secret}, and the competition stops being fair.",
        "{hero} and {foe} are forced to work together, and are horribly good at it.",
    ),
    (
        "{hero} cheats, just once, and {foe} is the one who finds out.",
        "Beaten badly, in front of everyone, {hero} quits.",
        "The rivalry costs {hero} {ally}, a reputation, and very nearly everything else.",
    ),
    (
        "In the final round {hero} makes a choice that loses the contest and wins something better.",
        "{hero} beats {foe} fair and square, by doing the one thing {foe} never could.",
        "The final showdown is decided by a single move {hero} learned from watching {foe}.",
    ),
    _b(
        "the enemies who make us|winning and what it is for|envy and admiration as the same feeling"
    ),
)

HEART = (ROMANCE, COMING_OF_AGE, FISH, RIVALRY)
