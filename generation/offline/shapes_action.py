"""Shapes driven by a plan and a clock: heist, quest, survival, escape, rebellion."""

from __future__ import annotations

from generation.offline.shapes import Shape
from generation.offline.vocab import _b

HEIST = Shape(
    "heist",
    "heist",
    _b("steal|heist|rob|robbery|vault|crew|con|thief|casino|loot|score|smuggl|bank|diamond"),
    _b("steal {prize}|pull off one last job and walk away clean|take {prize} from {foe}"),
    _b(
        "an old partner offers one last score|{foe} takes the one thing {hero.they} still care{hero.s} about|"
        "a perfect job falls into {hero.poss} lap"
    ),
    (
        "Then an offer arrives that {hero} can't refuse: one last job, lifting {prize} from under the nose of {foe}.",
        "When {foe} takes the one thing {hero} still cares about, the only way to {goal} is to steal {prize} first.",
        "{hero} learns that {prize} will change hands {deadline}, and that nobody is guarding it as well as they think.",
        "A stranger with a price on their head brings {hero} a plan, a floor map and a promise: {prize}, split evenly, if nobody gets greedy.",
    ),
    (
        "{hero} assembles a crew of people {hero.they} {hero.does} not trust, {ally} among them, and starts counting the days.",
        "{hero} says yes, which is the first mistake, and recruits {ally}, which is the second.",
        "The plan comes together on a kitchen table: blueprints, stolen schedules, and a part for {ally} that nobody wants to play.",
    ),
    (
        "Rehearsals go badly: a lock that won't open, a guard who changes shift early, {ally} asking questions {hero} can't answer.",
        "Getting inside means becoming someone else, and {hero} is better at it than {hero.they} would like to admit.",
        "Every dry run uncovers a new problem, and {threat} turns a tight schedule into an impossible one.",
    ),
    (
        "The job goes perfectly, which is how {hero} knows something is wrong: {secret}.",
        "Halfway through the job the vault is empty, and {hero} realises {prize} was moved days ago by someone on the inside.",
        "Then the crew learns the truth, that {secret}, and every one of them is now a loose end.",
    ),
    (
        "With the crew scattered and {foe} holding every card, {hero} is left with nothing but the floor plan and a grudge.",
        "{ally} takes the fall, and {hero} watches the only honest person in the plan pay for it.",
        "The money is gone, the crew is gone, and {hero} is the only one {foe} is still looking for.",
    ),
    (
        "{hero} runs the job one more time, the old way, counting on the one thing {foe} never guards against: a thief with nothing left to lose.",
        "The final play is a con inside a con, and it only works if {hero} lets {foe} believe {hero.they} {hero.has} already lost.",
        "On the night itself, {hero} walks in through the front door, in plain sight, and walks out with {prize} and the truth.",
    ),
    _b("trust among thieves|what people owe each other|the price of getting out"),
)

QUEST = Shape(
    "quest",
    "quest",
    _b(
        "quest|journey|find|search|seek|map|relic|artifact|artefact|treasure|voyage|expedition|"
        "retrieve|lost|legend"
    ),
    _b("find {prize}|bring {prize} home|reach the place where {prize} was lost"),
    _b(
        "a dying stranger hands {hero.them} a map|{threat} reaches {hero.poss} door|"
        "the old stories turn out to be true"
    ),
    (
        "A dying stranger presses a map into {hero.poss} hands, and with it the road to {prize}.",
        "When {threat} reaches {hero.poss} doorstep, the old stories about {prize} stop sounding like stories.",
        "{mentor} arrives with a warning and a request: someone has to {goal}, and everyone else has already failed.",
        "The message is three words long, and it sends {hero} out of the only world {hero.they} {hero.has} ever known, toward {prize}.",
    ),
    (
        "{hero} leaves at first light with {ally} and a map nobody can fully read.",
        "Against every sensible instinct, {hero} takes the road, and {ally} insists on coming too.",
        "{hero} accepts the task, mostly to prove {mentor} wrong.",
    ),
    (
        "The road tests them: {threat}, a bridge that isn't where the map says, and a bargain with people who smile too much.",
        "Each stage of the journey asks {hero} to give something up, and the pack gets lighter as the doubts get heavier.",
        "{ally} turns out to be braver than anyone expected, and {hero} less so.",
    ),
    (
        "When they finally reach the place the map promised, {prize} is not there, only a clue and a warning: {secret}.",
        "At the halfway mark, {hero} learns the quest was never meant to succeed: {secret}.",
        "The journey forces {hero} to choose between the road and {ally}, and {hero.they} choose{hero.s} the road.",
    ),
    (
        "Lost, hurt and alone, {hero} finally understands what the journey has cost.",
        "{mentor} is gone, the map is ash, and the only way forward is one {hero} swore never to take.",
        "In the coldest part of the journey {hero} turns back, and for one long night the quest is over.",
    ),
    (
        "At the end of the road {hero} faces {foe}, and learns that {prize} was only ever the second most valuable thing {hero.they} carried.",
        "{hero} reaches {prize} at last, only to face the choice the whole journey has been circling: take it, or let it go.",
        "In the final test {hero} stops running from what {mentor} saw in {hero.them} and walks straight into {threat}.",
    ),
    _b(
        "what we carry and what we leave behind|the difference between a map and the road|"
        "finding out who you are by going somewhere else"
    ),
)

SURVIVAL = Shape(
    "survival",
    "survival",
    _b(
        "survive|survival|stranded|trapped|storm|disaster|outbreak|crash|wilderness|alone|zombie|"
        "siege|flood|quarantine|pandemic|shipwreck|dying"
    ),
    _b("get everyone out alive|keep the group alive until help comes|make it through the night"),
    _b(
        "{threat} cuts {hero.them} off from everyone|the rescue never comes|"
        "a routine shift turns into a fight to stay alive"
    ),
    (
        "Then {threat} hits without warning, and within an hour {hero} is cut off from everyone and everything.",
        "{hero.poss} routine shift ends with {threat}, and a group of strangers who have no reason to trust each other.",
        "When the rescue that was promised doesn't come, {hero} realises that nobody is coming at all.",
        "A wrong turn, a broken radio and {threat}: by nightfall {hero} has to {goal} or die trying.",
    ),
    (
        "{hero} takes charge because nobody else will, and hates every minute of it.",
        "{hero} draws up a plan: ration everything, trust no one, {goal}.",
        "{hero} and {ally} make a pact to get out together, or not at all.",
    ),
    (
        "Hunger, cold and arguments: the group fractures along every line it has.",
        "Every small victory, clean water, a working light, is paid for with something else.",
        "{ally} keeps everyone laughing; {hero} keeps everyone alive; neither of them sleeps.",
    ),
    (
        "A way out appears, and then the truth behind it: {secret}.",
        "Rescue comes at last, and it is worse than being alone.",
        "They find other survivors, and learn that people are more dangerous than {threat}.",
    ),
    (
        "Supplies run out, the group turns on itself, and {hero} has to decide who gets left behind.",
        "{ally} is lost, and {hero} keeps going only because stopping would mean admitting it.",
        "The last plan fails, and {hero} sits down in the dark to wait for the end.",
    ),
    (
        "{hero} makes one last impossible crossing, carrying what is left of the group toward the only chance they have.",
        "{hero} turns {threat} itself into a way out, a gamble nobody else would have taken.",
        "To save the others, {hero} goes back in, the one direction everyone swore never to go again.",
    ),
    _b(
        "what people become when the rules stop|the cost of keeping others alive|"
        "hope as a discipline rather than a feeling"
    ),
)

ESCAPE = Shape(
    "escape",
    "escape",
    _b(
        "escape|prison|prisoner|captive|kidnap|flee|break out|cage|asylum|cult|locked|imprison|"
        "hostage|jail"
    ),
    _b("get out|break out and take the others along|get free of {foe}"),
    _b(
        "the doors lock behind {hero.them}|{hero} overhears what {foe} has planned|"
        "{hero.they} wake{hero.s} up a prisoner"
    ),
    (
        "Then the doors lock, and {hero} learns that nobody who arrives here is meant to leave.",
        "{hero} wakes up a prisoner, with {threat} outside and {foe} deciding what happens next.",
        "When {hero} overhears what {foe} has planned, staying becomes more dangerous than running.",
        "{hero} gets one chance to get out, and it has to be taken {deadline}.",
    ),
    (
        "{hero} starts to plan: guard rotations, blind spots, and a short list of people who might help.",
        "{hero} recruits {ally}, who has tried to escape before and has the scars to prove it.",
        "{hero} decides to {goal}, and to take as many people along as {hero.they} can.",
    ),
    (
        "Every preparation risks discovery, and the walls seem to listen.",
        "{hero} learns the place: its habits, its weaknesses, the guard who can be bribed.",
        "A first attempt fails, and the price is paid by someone else.",
    ),
    (
        "The plan is discovered, and the only reason {hero} isn't punished is that {foe} wants to watch {hero.them} try again.",
        "{hero} learns that {secret}, and escaping stops being enough.",
        "Someone on the inside offers help, for a price {hero} won't understand until it is too late.",
    ),
    (
        "{ally} betrays the plan, or seems to, and {hero} is alone in the dark again.",
        "Tighter security, a lost ally, and {threat}: the walls close in.",
        "{hero} gives up, or lets {foe} believe {hero.they} {hero.has}.",
    ),
    (
        "On the night it all has to work nothing goes to plan, and {hero} improvises the last hundred metres.",
        "{hero} walks out through the front, in a disguise nobody questions, with {foe} looking straight at {hero.them}.",
        "The escape becomes a revolt, and {hero} is at the front of it.",
    ),
    _b(
        "the prisons we build for ourselves|freedom that has to be shared to count|"
        "what it takes to stop obeying"
    ),
)

REBELLION = Shape(
    "rebellion",
    "rebellion",
    _b(
        "rebel|rebellion|revolution|resist|resistance|uprising|regime|tyrant|oppress|occupation|"
        "overthrow|dictator|empire|union|strike|protest"
    ),
    _b("bring down {foe}|free {place} from {foe}|expose what {foe} has done"),
    _b(
        "{foe} makes an example of a neighbour|a protest turns into a riot|"
        "{hero} finds proof of what {foe} has done"
    ),
    (
        "Then {foe} tightens {foe.their} grip, and {hero} watches a neighbour made an example of.",
        "{hero} finds {prize}, proof of what {foe} has done, and every instinct says to bury it.",
        "A protest {hero} joined almost by accident turns into a riot, and by morning {hero.poss} face is on every wanted notice.",
        "{hero} is asked to carry one message for the resistance, and there is no such thing as one message.",
    ),
    (
        "{hero} joins the cause with the least enthusiasm of anyone in the room.",
        "{hero} decides to {goal}, even if it means fighting {foe} in the open.",
        "{mentor} teaches {hero} the rules of a war fought in kitchens and back rooms.",
    ),
    (
        "The movement grows, and so do its disagreements.",
        "{hero} learns to lie, to hide and to lead, not necessarily in that order.",
        "Small victories draw big reprisals, and {hero} starts to count the cost in names.",
    ),
    (
        "The uprising wins its first real victory, and {foe} answers with {threat}.",
        "{hero} learns that {secret}, and the cause splits in two.",
        "A leader falls, and the movement turns to {hero}, who never wanted to be anyone's symbol.",
    ),
    (
        "Betrayed from inside, the movement is broken in a single night.",
        "{hero} is captured and offered a deal: name the others, and live.",
        "{ally} is taken, and {hero} is the reason.",
    ),
    (
        "{hero} chooses the one act everyone will see, and {foe} cannot hide from it.",
        "The final confrontation isn't a battle; it's {hero} telling the truth in the one place it can't be silenced.",
        "{hero} leads the last push against {foe}, knowing that winning and surviving are not the same thing.",
    ),
    _b(
        "the courage of ordinary people|what a cause asks of the people who serve it|"
        "power and the stories that keep it standing"
    ),
)

ACTION = (HEIST, QUEST, SURVIVAL, ESCAPE, REBELLION)
