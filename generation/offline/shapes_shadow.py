"""Shapes driven by guilt and secrets: mystery, revenge, fall from grace, redemption."""

from __future__ import annotations

from generation.offline.shapes import Shape
from generation.offline.vocab import _b

MYSTERY = Shape(
    "mystery",
    "mystery",
    _b(
        "murder|killer|killed|detective|investigat|mystery|missing|disappear|vanish|solve|clue|"
        "body|death|whodunit|case|secret|truth"
    ),
    _b(
        "find out what really happened|find the killer before the trail goes cold|"
        "prove who is lying"
    ),
    _b(
        "a body turns up where no body should be|a letter arrives from a dead woman|"
        "someone {hero} trusted vanishes without a word"
    ),
    (
        "Then a body turns up where no body should be, and {hero} is the only one who notices what is missing from the scene.",
        "A letter arrives, addressed to {hero}, from someone who has been dead for a week.",
        "When someone {hero} once trusted vanishes without a word, {hero} starts asking the questions nobody else will.",
        "{hero} comes across {prize}, and with it the first sign that an old death was no accident.",
    ),
    (
        "The authorities want it closed; {hero} wants it solved, and decides to {goal} whatever it costs.",
        "{hero} starts a file, then a wall of photographs, then a list of suspects that keeps getting longer.",
        "{hero} takes the case nobody else will touch, with {ally} reluctantly along.",
    ),
    (
        "Every witness has a version of events, and every version protects somebody.",
        "The clues lead {hero} into rooms {hero.they} {hero.was} never meant to enter, and to people who would rather forget.",
        "{ally} finds a thread; {hero} pulls it; something much larger starts to unravel.",
    ),
    (
        "Then the prime suspect turns up dead, and the case {hero} built collapses overnight.",
        "The answer to the first question is worse than anyone feared: {secret}.",
        "The evidence starts to point in one direction, and that direction is uncomfortably close to {hero}.",
    ),
    (
        "{hero} is taken off the case, publicly, and the one person who could help stops answering.",
        "The wrong person is arrested, the file is closed, and {hero} is the only one left who believes the truth is still out there.",
        "With {threat} closing in, {hero} begins to suspect the killer is always a step ahead because they have been close all along.",
    ),
    (
        "{hero} gathers everyone in one room and lays out the truth, piece by piece, until the only person left standing is the one who did it.",
        "The last clue is the one {hero} overlooked at the very start, and it leads straight to {foe}.",
        "{hero} sets a trap with {hero.self} as the bait, and the guilty party takes it.",
    ),
    _b(
        "the lies a community tells to stay together|truth and who gets to own it|"
        "the past refusing to stay buried"
    ),
)

REVENGE = Shape(
    "revenge",
    "revenge",
    _b(
        "revenge|avenge|vengeance|betray|betrayal|payback|settle the score|destroyed|ruined|"
        "framed|wronged|grudge|murdered"
    ),
    _b("make {foe} pay|take back everything {foe} took|see {foe} brought down"),
    _b(
        "{foe} takes everything from {hero.them} in a single night|{hero} learns who ruined {hero.their} life|"
        "a dying confession gives {hero.them} a name"
    ),
    (
        "Then {foe} takes everything from {hero} in a single night, and leaves {hero.them} alive to remember it.",
        "{hero} learns that the accident that ruined {hero.poss} life was arranged, and who arranged it: {foe}.",
        "Years after the betrayal, {hero} sees {foe} again, prospering, untouched and as powerful as ever.",
        "A dying confession gives {hero} a name, and the name is {foe}.",
    ),
    (
        "{hero} spends a year becoming someone {foe} would never recognise.",
        "{hero} makes a list, and starts at the bottom.",
        "{hero} swears to {goal}, and {mentor} warns that revenge digs two graves.",
    ),
    (
        "One by one {foe.poss} allies fall, and each victory feels less like justice and more like habit.",
        "{hero} gets close, closer than is safe, and discovers that hatred is easier from a distance.",
        "{ally} helps, then hesitates, then starts asking what happens when it's over.",
    ),
    (
        "{hero} finally has {foe} cornered, and hesitates, and the hesitation costs everything.",
        "Then {hero} learns that {secret}, and the list of the guilty gets longer, and closer to home.",
        "The plan works too well: an innocent person is caught in the fallout, and {hero} cannot look away.",
    ),
    (
        "{foe} strikes back, and this time the one who pays is {ally}.",
        "Exposed and hunted, {hero} becomes exactly what {foe} always said {hero.they} {hero.was}.",
        "{hero} wins a battle and loses {hero.self}: the person who started this no longer exists.",
    ),
    (
        "In the final confrontation {hero} has {foe} at last, and has to decide what the whole year was for.",
        "{hero} turns {foe.poss} own weapon against {foe.them}, in public, where the truth can't be buried again.",
        "{hero} walks into {foe.poss} house with a plan to end it, and walks out with something harder: the truth.",
    ),
    _b(
        "what revenge costs the one who takes it|justice and its counterfeits|grief that needs somewhere to go"
    ),
)

FALL = Shape(
    "fall",
    "fall from grace",
    _b(
        "power|ambition|ambitious|corrupt|corruption|rise|success|fame|greed|temptation|deal|"
        "fortune|rich|empire|throne|career|scandal|fall from grace"
    ),
    _b(
        "reach the top|hold on to everything {hero.they} {hero.has} built|get the one thing that will finally be enough"
    ),
    _b(
        "{hero} is offered a shortcut nobody would notice|{foe} offers {hero.them} a little more|"
        "one compromise puts {hero} in {foe.poss} debt"
    ),
    (
        "Then {hero} is offered a shortcut, a small one, that nobody would ever notice.",
        "{hero} is at the top of {hero.poss} world when {foe} offers {hero.them} a little more.",
        "One compromise, made for good reasons, puts {hero} in {foe.poss} debt.",
        "{hero} gets everything, the title, the money, the respect, and it is not enough.",
    ),
    (
        "{hero} takes the deal and tells {hero.self} it is only this once.",
        "{hero} decides to {goal} whatever it takes, and the phrase 'whatever it takes' starts doing a lot of work.",
        "{hero} crosses the first line quietly, and it is astonishing how easy it is.",
    ),
    (
        "Success comes fast, and every success needs a slightly bigger lie to hold it up.",
        "{ally} starts to notice, and {hero} starts to avoid {ally.them}.",
        "The money, the access, the applause: {hero} learns to love all of it, and then to need it.",
    ),
    (
        "At the height of {hero.poss} power, {hero} does something unforgivable, and gets away with it.",
        "The lie becomes public in a small way, and {hero} doubles down rather than confess.",
        "{hero} discovers that {secret}, and realises {hero.they} {hero.has} been working for {foe} all along.",
    ),
    (
        "Everything falls at once, the money, the name, the people, and {hero} ends up where {hero.they} started, with no one left.",
        "{ally} goes to the authorities, and {hero} cannot even blame {ally.them}.",
        "{hero} looks in the mirror and sees exactly the person {foe} hoped {hero.they} would become.",
    ),
    (
        "With nothing left to protect, {hero} finally tells the whole truth, and it burns down everything, {foe} included.",
        "{hero} has one last chance to save {hero.self} at someone else's expense, and for once refuses it.",
        "In a last act that is part confession and part revenge, {hero} hands over the evidence against {foe}, and against {hero.self}.",
    ),
    _b(
        "ambition and what it eats|the small compromises that become a life|how power rewrites the people who hold it"
    ),
)

REDEMPTION = Shape(
    "redemption",
    "redemption",
    _b(
        "redeem|redemption|atone|past|second chance|amends|former|ex-|retired|old life|guilt|"
        "forgive|mistake|return|comeback|disgraced"
    ),
    _b(
        "make up for what {hero.they} did|undo the worst thing {hero.they} ever did|earn back one person's trust"
    ),
    _b(
        "the past catches up with {hero.them}|{hero} is offered a chance to undo an old wrong|"
        "a stranger recognises {hero} from the old days"
    ),
    (
        "Then the past {hero} has spent years outrunning catches up, in the shape of {foe}.",
        "{hero} is given one chance to undo the worst thing {hero.they} ever did, and it comes with conditions.",
        "A stranger recognises {hero} from the old days, and {hero.poss} careful new life starts to come apart.",
        "When someone asks {hero} for help that only {hero.their} old skills can give, saying no is not an option.",
    ),
    (
        "{hero} agrees to {goal}, telling nobody why it matters so much.",
        "{hero} goes back to the people {hero.they} failed, one by one.",
        "{hero} picks up the old tools again, and swears this time will be different.",
    ),
    (
        "Making amends turns out to be harder than making mistakes.",
        "{ally} doesn't believe {hero} has changed, and isn't entirely wrong.",
        "The old skills come back too easily, and so does the old temper.",
    ),
    (
        "{hero} does the right thing, and it makes everything worse.",
        "The truth about the old crime surfaces: {secret}.",
        "{hero} is offered a way back into the old life, with all its rewards, and is tempted.",
    ),
    (
        "{hero} slips, exactly the way everyone expected, and loses the trust {hero.they} had only just rebuilt.",
        "{foe} makes sure everyone sees {hero} at {hero.poss} worst.",
        "The people {hero} came back to save are hurt because {hero} came back.",
    ),
    (
        "{hero} makes the sacrifice the old version of {hero.self} never would have.",
        "Standing between {foe} and the people {hero.they} once failed, {hero} finally stays put.",
        "{hero} confesses everything, and then does the brave, useful thing anyway.",
    ),
    _b(
        "whether people can change|forgiveness that has to be earned|the weight of the past and how to carry it"
    ),
)

SHADOW = (MYSTERY, REVENGE, FALL, REDEMPTION)
