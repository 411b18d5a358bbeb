"""Generic beats that fit any shape: setups, wants, pressure, dark moments, endings.

The shapes in ``shapes_*`` carry the beats that make a heist a heist; these carry what
every story has, written so they combine with any of them.
"""

from __future__ import annotations

ORDINARY = (
    "In {place}, {hero.intro} has spent years keeping {hero.their} head down.",
    "{hero.intro} is good at exactly one thing, and in {place} that is not enough.",
    "{hero.intro} lives by one rule in {place}: don't get involved.",
    "{place} runs on favours and silence, and {hero.intro} owes more of both than anyone.",
    "{hero.intro} keeps things running in {place}, barely, and at a cost nobody sees.",
    "For {hero.intro} the days in {place} have settled into a pattern: work, sleep, and not thinking about the past.",
    "Everyone in {place} knows {hero.intro} and nobody really does, which is how {hero} likes it.",
    "{hero.intro} arrived in {place} with one bag and a plan, and the plan did not survive the first winter.",
)

OPENERS = (
    "{title} is {a} {mood} {genre_label} set in {place}.",
    "{title}: {a} {mood} {genre_label} about what people will do for {stakes}.",
    "{a} {mood} {genre_label}, {title} puts {stakes} on the line.",
)

OPENERS_UNTITLED = (
    "This is {a} {mood} {genre_label} set in {place}.",
    "{a} {mood} {genre_label} about what people will do for {stakes}.",
)

WANT = (
    "What {hero} wants is simple to say and hard to get: {want_noun}.",
    "{hero} {hero_wants}, and has for a long time.",
    "More than anything, {hero} {hero_wants}.",
    "{hero.They} {hero_wants_p}, though {hero.they} would never say so out loud.",
    "The plan is modest: {hero} {hero_wants}, and nothing more.",
)

NEED = (
    "What {hero} needs, and cannot see, is {need_noun}.",
    "What {hero.they} actually need{hero.s} is {need_noun}, the one thing {hero.they} won't go looking for.",
    "Underneath it all, {hero} needs {need_noun}, and the story will not let {hero.them} avoid it.",
)

FLAW_NP = (
    "The trouble is {hero.poss} {flaw}.",
    "{hero.Their} {flaw} has cost {hero.them} before, and it will again.",
    "{hero.Their} {flaw} is the problem, and everyone can see it except {hero}.",
)

FLAW_CLAUSE = (
    "The trouble is that {flaw}.",
    "There is one problem, and everyone but {hero} can see it: {flaw}.",
)

FLAW_PRESSURE_NP = (
    "The pressure brings out the worst in {hero}: {hero.their} {flaw} starts making the decisions.",
    "{hero.Their} {flaw} costs {hero.them} the one ally {hero.they} can't afford to lose.",
)

FLAW_PRESSURE_CLAUSE = (
    "Under pressure the old problem comes back: {flaw}.",
    "It is the old flaw, in the end, that does the damage: {flaw}.",
)

FOE = (
    "{foe} stands in the way, with every advantage {hero} lacks.",
    "{foe} is the obstacle, patient and well armed.",
    "Opposing {hero.them} at every turn is {foe}.",
)

FOE_WANTS = (
    "{foe} {foe_wants}, and {hero} is in the way.",
    "Standing in the way is {foe}, who {foe_wants}.",
)

TESTS = (
    "The first attempts go badly, and {hero} learns that the rules in {place} were never written for {hero.them}.",
    "Progress comes in inches: a favour called in, a lie that holds, a door that opens a crack.",
    "{ally} proves more useful, and more trouble, than {hero} bargained for.",
    "{hero} bends a rule, then breaks one, then stops counting.",
    "Every step toward the goal costs a little more than the last.",
    "{threat} complicates everything, and {hero} has to improvise.",
)

CLOSING = (
    "{foe} is closer than {hero} thinks, and moving faster.",
    "{threat} turns every plan into a gamble, and {hero} keeps losing the bets.",
    "{ally} asks for the truth; {hero} gives {ally.them} half of it.",
    "{foe} learns exactly what {hero} is planning and answers with a move nobody sees coming.",
    "Time is running out: everything has to be done {deadline}.",
    "The harder {hero} pushes, the more {foe} seems to know about {hero.their} next move.",
)

DARK = (
    "By the end of the second act {hero} has lost the plan, the people, and very nearly the will to go on.",
    "At the lowest point {hero} is forced to see what {mentor} saw from the start.",
    "Everything {hero} has done to {goal} has only made things worse.",
    "Alone, with {threat} at the door, {hero} has to face the thing {hero.they} {hero.has} been running from.",
)

CLIMAX = (
    "{hero} stops waiting for a better plan and acts, with {foe} finally out of moves.",
    "Everything comes down to one night, one choice, and {hero} facing {foe} without a script.",
    "It ends where it began, in {place}, with {hero} finally doing the thing {hero.they} {hero.has} been afraid of all along.",
)

RESOLUTION = {
    "happy": (
        "{hero} gets what {hero.they} came for and, more surprisingly, what {hero.they} needed: {need_noun}.",
        "In the end {hero} wins, though not the way {hero.they} planned, and {place} is better for it.",
        "When the dust settles {hero} is no longer alone, and that turns out to be the real prize.",
        "{hero} walks away with {prize}, and with {ally}, which matters more.",
    ),
    "bittersweet": (
        "{hero} wins, and pays for it: what {hero.they} {hero.has} gained cannot give back what {hero.they} lost.",
        "The goal is reached, but {hero} is not the person who set out to reach it, and is not sure the trade was fair.",
        "{hero} lets go of what {hero.they} wanted and, in letting go, understands what {hero.they} needed all along: {need_noun}.",
        "It ends with {hero} alone, at peace, and honest at last about what it cost.",
    ),
    "tragic": (
        "{hero} gets what {hero.they} wanted, and it destroys {hero.them}.",
        "{hero} fails, so completely that only {ally} remembers what {hero.they} tried to do.",
        "In the end {foe} wins, and {hero} learns too late what {hero.they} really needed: {need_noun}.",
        "The last image is of {place} going on as if {hero} had never been there.",
    ),
    "open": (
        "The story ends on a choice {hero} hasn't made yet, and a door still open.",
        "{hero} walks out into {place} with the answer, and no idea what to do with it.",
        "The last scene leaves {hero} at the beginning of something else entirely.",
        "Whether {hero} has won or lost is a question the final scene refuses to answer.",
    ),
}

MENTOR = (
    "{mentor} sees the pattern before {hero} does and says so once, plainly; it is the last advice {hero} takes for a while.",
    "{mentor} has been here before, and the scars show in every warning {mentor.they} give{mentor.s}.",
    "Help comes from {mentor}, with a condition {hero} doesn't like: honesty.",
)

ALLY = (
    "{ally} is the one person who tells {hero} the truth, which is why {hero} keeps {ally.them} at arm's length.",
    "{ally} has {ally.their} own reasons for being here, and they come out at the worst possible time.",
    "{ally} holds the whole thing together with jokes, stubbornness and one badly timed lie.",
)

LOVE = (
    "With {love}, {hero} has to learn something harder than anything the plot demands: letting someone in.",
    "Between {hero} and {love} there is something neither will name, and it complicates every decision.",
)

FOE_PAGE = (
    "{foe} is no monster; {foe} simply wants the same ground, and has fewer doubts about how to hold it.",
    "{foe} has been watching {hero} for longer than {hero} knows.",
    "Every move {foe} makes is reasonable on its own, which is what makes the whole so frightening.",
)

THEME = (
    "Underneath the plot, it is a story about {theme}.",
    "At heart, it is about {theme}.",
    "What it is really about is {theme}.",
)

IMAGERY = (
    "Through all of it: {texture}.",
    "And always, in the background, {texture}.",
)

DIRECTION_CLAUSE = (
    "And underneath everything, {direction}.",
    "Then the story turns: {direction}.",
    "Worse still, {direction}.",
)

DIRECTION_NP = (
    "One thread runs through all of it: {direction}.",
    "At the centre of it all is {direction}.",
)

LOGLINES = (
    "When {hook}, {hero.intro} must {goal} {deadline}, or lose {stakes}.",
    "After {hook}, {hero.intro} has one chance to {goal}, even if it means facing {foe}.",
    "In {place}, {hero.intro} must {goal} {deadline}, unaware that {secret}.",
    "{hero.intro} sets out to {goal}, but when {hook}, the price becomes {stakes}.",
    "To {goal}, {hero.intro} must team up with {ally} and outwit {foe} {deadline}.",
    "{hero.intro} {hero_wants}; when {hook}, the only way to get it runs straight through {foe}.",
    "{a} {mood} {genre_label}: when {hook}, {hero.intro} must {goal} {deadline}.",
)

DEFAULT_FLAWS = (
    "pride",
    "need for control",
    "habit of running",
    "temper",
    "refusal to ask for help",
    "talent for lying",
    "loyalty to the wrong people",
    "fear of being ordinary",
)

DEFAULT_NEEDS = (
    "to let someone else carry part of the weight",
    "to forgive {hero.self}",
    "to stop running",
    "to trust someone again",
    "to tell the truth, once, all of it",
    "to choose something for {hero.self}",
    "a home that is more than a hiding place",
)
