"""The phrases the detectors listen for: how people in a chat decide, reverse, defer,
answer, ask for work and take it.

Ordinary English conversational cues, nothing about any particular story or room. Every
pattern runs on folded (lower-case, accent-free) text of one sentence unless it says
otherwise. Collected here so the rules can be read, argued about and extended in one place.
"""

from __future__ import annotations

import re

# A decision stated outright, whoever says it.
DECISION = re.compile(
    r"(?<!n't )(?<!not )(?<!never )(?<!yet )\b(?:decided|we(?:'re| are) going with"
    r"|we(?:'ll| will) go with|let'?s go with|going with"
    r"|locked(?: in)?|lock(?:ing)? (?:it|that|this) in|final:|final answer|final call"
    r"|landing on|landed on|calling it|it'?s decided|decision:|confirmed:|it'?s settled"
    r"|that'?s settled|done deal|overrid(?:e|ing)\b|overruled|i'?m reversing|reversing myself"
    r"|we agreed|it'?s official|the plan is|new plan:|ruling:)"
)
# "Skyrend Pass it is." A choice named, then "it is" closing the sentence.
IT_IS = re.compile(
    r"(?<!what )(?<!how )(?<!where )(?<!that )(?<!this )\b\w+ it is(?: then)?[.! ]*$"
)
OK_COLON = re.compile(r"^(?:ok(?:ay)?|right|alright)(?: so| then)?:")
# Rulings that say they are rules: "house rule from now on: …", "retcon accepted: …".
RULING = re.compile(
    r"\b(?:from now on|going forward|house rule|new rule|rule is|retcon accepted|accepted:"
    r"|approved:|(?:it|that|this)'?s the cut|is the cut|that'?s the version|official(?:ly)?:)"
)
# A state settled by whoever runs the room: "Low Tide stays", "the read moves to Friday",
# "the motel scene is cut", "Thursday is off", "it becomes a phone call".
SETTLE = re.compile(
    r"\b(?:stays|stay put|remains|moves? to|moves? from|becomes|is now|are now|is cut|are cut"
    r"|gets cut|is out|are out|is off|are off|locks|delivers|we drop|we cut|we keep"
    r"|we use|we open|we end|we lose|we go|goes to|is dropped|changes to|switch(?:es)? to)\b"
)
# A sentence that only closes a statement before it: "noted.", "done.", "locked."
CLOSER = re.compile(
    r"^(?:noted|done|locked|settled|decided|final|official|deal|ok(?:ay)? done)[.!]*$"
)

# Never decisions: sign-offs, jokes and reactions, agenda lines, hedged pitches, someone
# else's note reported ("they want a new title", "Priscilla thinks…").
SIGN_OFF = re.compile(
    r"\b(?:that'?s a wrap|that'?s it for (?:today|now|tonight|the day)|that'?s it for \S+ notes"
    r"|that'?s (?:all|everything) for (?:today|now)|i think that'?s everything"
    r"|see (?:you|y'?all|everyone) (?:tomorrow|monday|next|later|soon)|good ?night(?: all)?"
    r"|thanks?,? (?:all|everyone|y'?all|team)|thank you (?:all|everyone|team)"
    r"|great (?:room|session|work|call|meeting|job)(?: today| tonight)?,? (?:everyone|all|team)"
    r"|great (?:room|session|call) today|go eat|signing off|logging off|i'?m out\b"
    r"|that'?s where we stop|calling it a (?:day|night))"
)
JOKE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|so funny|funniest|hilarious|i'?m dying|i'?m crying"
    r"|getting it tattooed|is poetry|poetry|iconic|a lifestyle|obsessed|incredible|chef'?s kiss"
    r"|on a mug|supremacy|canon forever)\b"
)
HEDGE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|but|hmm+|honestly|also)[,.]?\s+)*(?:what if|maybe|perhaps|could we"
    r"|could it|can we|should we|would it|i wonder|i think|i feel like|i guess|i'?d (?:love|like)"
    r"|i (?:like|love|hate)\b|not sure|probably|my vote is|i vote|i pitched)"
    r"|\b(?:might|would be|could be)\b"
)
REPORTED = re.compile(
    r"^(?:(?:ok(?:ay)?|so|fyi|and|also)[,.]?\s+)*"
    r"(?:they|he|she|[a-z]+(?:'s)? (?:team|people|notes?))"
    r" (?:want|wants|think|thinks|say|says|said|asked|asks|feel|feels|hate|hates|like|likes"
    r"|need|needs|are asking|were)\b"
    r"|\b(?:thinks|said that|says that|is asking|was (?:pretty )?firm|wants to know)\b"
)
AGENDA = re.compile(
    r"^(?:(?:ok(?:ay)?|so|alright|right)[,.]?\s+)*(?:first|next|last thing|one more|note \d+"
    r"|moving on|let'?s talk|quick (?:rules? )?thing|agenda|goals? for today"
    r"|the big (?:holes|items|ones?)|big items|recap|where are we|where were we)\b"
    r"|\b(?:open items|open questions|to do|todo|agenda|goals? for today|on the list):"
)

# The lead saying yes to what was just said (at the start of a message, after a name).
AFFIRM = re.compile(
    r"^(?:ok(?:ay)?[,.]?\s+)?(?:yes|yep|yeah|yup|agreed|love (?:it|this|that)|great|perfect"
    r"|sold|deal|approved|this is great|that'?s great|i'?m in|works(?: for me)?|good call"
    r"|let'?s do (?:it|that|this)|your call|fine by me|sounds good|done|ooh+|oh nice|exactly"
    r"|that'?s the (?:version|one|move|call)|i'?m sold|amazing|yes and|then)\b"
)
# Someone else agreeing with a proposal.
ACCEPT = re.compile(
    r"^(?:\+1|works(?: for me)?|fine by me|sounds good|agreed|agree|same|yes|yep|yeah|yup"
    r"|love (?:it|this|that)|i'?m in|sold|deal|great|perfect|ok(?:ay)?|sure|on board"
    r"|let'?s do it|chills|into it|fine|no objections?)\b"
)
OBJECT = re.compile(
    r"\b(?:but|disagree|not sure|problem|issue|nervous|hate|counterpoint|not a fan|don'?t love"
    r"|going back on|wait)\b"
)

# A later message undoing an earlier one.
REVERSAL = re.compile(
    r"\b(?:scratch that|actually,? no|overrul\w*|overrid\w*|revers\w*|take (?:that|it) back"
    r"|change of plan|changed my mind|walk(?:ing)? (?:that|it) back|never ?mind"
    r"|on second thought|no longer|not anymore|instead)\b"
)
# Phrases whose object is ruled out: "no flash-forward", "platinum is dead".
_OBJ = r"([a-z][\w'\-]*(?: [a-z][\w'\-]*){0,2})"
CONTRASTED = re.compile(
    r"\b(?:not|never|isn'?t|aren'?t|won'?t|doesn'?t|don'?t want|no longer|without)"
    r" (?:the |a |an |any )?" + _OBJ
)
"""A weaker ruling-out: "not Kyle" names the alternative to what is said of a subject."""
NEGATED = (
    re.compile(r"\bno (?:more )?" + _OBJ),
    CONTRASTED,
    re.compile(
        _OBJ + r"(?:'s| is| are| was| were) (?:now )?(?:dead|out|cut|gone|off the table|off"
        r"|shelved|scrapped|dropped|over|parked)\b"
    ),
    re.compile(_OBJ + r" goes? (?:in|into|to) the (?:someday|later|maybe|parking)\b"),
    re.compile(
        r"\b(?:drop|scrap|shelve|ditch|scratch|instead of|rather than) (?:the |that |this )?" + _OBJ
    ),
)
NEGATION_WORDS = frozenset(
    [
        "no",
        "not",
        "never",
        "don't",
        "doesn't",
        "isn't",
        "aren't",
        "won't",
        "wasn't",
        "weren't",
        "can't",
        "cannot",
        "nobody",
        "none",
        "without",
        "nor",
        "dont",
        "doesnt",
        "isnt",
        "arent",
        "wont",
        "didn't",
        "didnt",
        "hasn't",
        "haven't",
        "hadn't",
        "wouldn't",
        "shouldn't",
        "couldn't",
    ]
)

# Questions put off or not known: they stay open.
DEFER = re.compile(
    r"\b(?:park(?:ing|ed)? (?:it|this|that|them)\b|let'?s park\b|(?:it'?s|that'?s|is) parked\b"
    r"|parked (?:for|until)\b|tbd|to be decided|come back to|circle back"
    r"|for later|not today|another time|need to decide|decide (?:this|that|it) (?:later"
    r"|eventually)|eventually|don'?t know|do not know|dunno|no idea|not sure|unsure|unclear"
    r"|good question|hadn'?t (?:even )?thought|haven'?t thought|assum(?:e|ed)|who knows"
    r"|let me think|will answer|one sec|hold that thought|table (?:it|this|that)"
    r"|(?:haven'?t|hasn'?t|not|didn'?t) decided|undecided|(?:i'?ll|will) rule on"
    r"|for the pile|someday pile|no clue|open question)\b|^(?:it )?depends\b"
)
# The start of a message that changes the subject rather than answering.
TOPIC_SHIFT = re.compile(
    r"^(?:ok(?:ay)?[,.]?\s+|also\s+|and\s+)?(?:speaking of|unrelated|side ?note|total tangent"
    r"|tangent|random(?:ly)?|off[- ]topic|changing (?:the )?subject|different topic|quick aside"
    r"|btw|back to|one more for the pile|ok(?:ay)? focus|brb|afk)\b"
)
ANSWER = re.compile(r"\b(?:answer:|to answer|your answer|answering|in answer|re:)")
REASK = re.compile(r"\b(?:re:?|back to|again|anyone|still|bump|ping)\b")
PARTICLE = re.compile(
    r"^(?:yes|no|nope|yep|yeah|yup|nah|fine|sure|correct|exactly|definitely|absolutely"
    r"|because|probably|the answer)\b"
)
VOTE = re.compile(r"^(?:\+1|same|me too|seconded|this)\b")
ACK = re.compile(
    r"\b(?:thanks|thank you|thx|ty|cool|got it|noted|perfect|great|makes sense|gotcha|nice"
    r"|good|ah|ok(?:ay)?)\b"
)
PITCH = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|but|hmm+|wait|or|ooh)[,.]?\s+)*(?:what if|what about|how about"
    r"|could it be|could we|could they|could she|could he|maybe|or maybe|should we just)\b"
)
PROPOSE = re.compile(
    r"\b(?:my vote is|i vote|i pitched|i'?d pitch|i pitch|what about|how about|i propose"
    r"|we could|we should|what if)\b|\b(?:my )?(?:pitch|proposal|idea|suggestion):"
)
WHO = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|also|wait)[,.]?\s+)*(?:who(?:'s| is| will| wants| can|m)?\b"
    r"|(?:can|could|would|will) (?:someone|somebody|anyone|anybody)\b)"
)
PROMPT = re.compile(
    r"\b(?:ideas|thoughts|pitches|objections|anyone|where are we|where were we|who'?s in"
    r"|yes or no|go)\W*$"
)
QUESTION_MARK = re.compile(r"\?\s*[\"'’”)\]]*\s*$")
QUESTION_PREFIX = re.compile(r"^(?:q|question|quick q|qq|q for later)\s*:")
INTERROGATIVE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|also|and|but|wait|related|hey|ok so|random)[,.]?\s+)*"
    r"(?:what|where|when|why|how|is|are|does|do|did|has|have)\b"
)

# Asking a named person for work, right after their name.
REQUEST = re.compile(
    r"^[\s,:;\-]*(?:and\s+|also\s+)?(?:can you|could you|would you|will you|can u|could u|pls"
    r"|please|mind|i need you to|i'?d like you to|you(?:'re| are) on|you take|you own"
    r"|you(?:'ve| have) got|your job is to)\b"
)
YOURS = re.compile(r"\b(?:is|are) (?:all )?(?:yours|on you)\b")
YOURS_IDIOM = re.compile(r"\bfloor is yours|\byour (?:call|choice|character)\b")
# Taking work on yourself.
SELF = re.compile(
    r"(?:^|[\s,;:—\-(])(?:and\s+)?(?:i'?ll|i will|i can|i'?m going to|i am going to|let me"
    r"|i'?m gonna|i promise to|i volunteer to)\s+(?:also\s+|just\s+|then\s+)?([a-z][\w'\-]*)"
)
PROMISE = re.compile(r"\b(?:promise|will do|you have my word|count on me)\b")
THIRD_PERSON = re.compile(
    r"^\s*(?:will|'ll|is going to|is gonna|can|is taking|takes|owns|is on)\s+([a-z][\w'\-]*)"
)
# Accepting work one was just given: "on it", "yep, Monday", "Thursday works".
TAKEN = re.compile(r"^(?:on it|yep|yes|yeah|sure|will do|done|ok(?:ay)?|got it|\w+day works)\b")

# Verbs that name a deliverable; a request or an "I'll" must start with one to be work.
TASK_VERBS = frozenset(
    [
        "add",
        "adjust",
        "animate",
        "annotate",
        "answer",
        "archive",
        "arrange",
        "ask",
        "assemble",
        "audit",
        "back",
        "balance",
        "block",
        "bold",
        "book",
        "brainstorm",
        "break",
        "bring",
        "build",
        "buy",
        "call",
        "cast",
        "chase",
        "check",
        "circle",
        "clean",
        "clear",
        "collect",
        "color",
        "colour",
        "compile",
        "compose",
        "confirm",
        "contact",
        "coordinate",
        "copy",
        "correct",
        "cover",
        "create",
        "cut",
        "dig",
        "direct",
        "do",
        "double-check",
        "draft",
        "draw",
        "dub",
        "edit",
        "email",
        "expand",
        "export",
        "file",
        "fill",
        "film",
        "find",
        "finish",
        "fix",
        "flag",
        "flesh",
        "follow",
        "format",
        "gather",
        "get",
        "give",
        "grab",
        "handle",
        "hire",
        "host",
        "hunt",
        "illustrate",
        "ink",
        "interview",
        "invite",
        "join",
        "keep",
        "label",
        "lay",
        "layout",
        "lead",
        "letter",
        "list",
        "lock",
        "log",
        "look",
        "loop",
        "mail",
        "make",
        "map",
        "mark",
        "master",
        "merge",
        "message",
        "mix",
        "model",
        "move",
        "narrate",
        "note",
        "notify",
        "order",
        "organize",
        "own",
        "paint",
        "pass",
        "pay",
        "pencil",
        "photograph",
        "pick",
        "ping",
        "pitch",
        "plan",
        "play",
        "polish",
        "post",
        "prep",
        "prepare",
        "present",
        "price",
        "print",
        "produce",
        "proof",
        "proofread",
        "publish",
        "pull",
        "punch",
        "put",
        "read",
        "reach",
        "reread",
        "record",
        "redo",
        "redraw",
        "reduce",
        "remove",
        "rename",
        "render",
        "reorder",
        "repost",
        "research",
        "reserve",
        "resize",
        "restructure",
        "retcon",
        "review",
        "revise",
        "rework",
        "rewrite",
        "rig",
        "ring",
        "run",
        "save",
        "scan",
        "schedule",
        "score",
        "script",
        "scout",
        "sculpt",
        "send",
        "set",
        "settle",
        "share",
        "shoot",
        "shorten",
        "sketch",
        "slot",
        "sort",
        "source",
        "split",
        "start",
        "storyboard",
        "structure",
        "submit",
        "summarize",
        "swap",
        "sync",
        "tag",
        "take",
        "talk",
        "tape",
        "tell",
        "test",
        "text",
        "tidy",
        "time",
        "timeline",
        "trace",
        "track",
        "transcribe",
        "translate",
        "trim",
        "try",
        "tweak",
        "type",
        "update",
        "upload",
        "verify",
        "voice",
        "watch",
        "write",
    ]
)
# "I'll take it", "let me think": no deliverable.
NOT_WORK = re.compile(
    r"^(?:take (?:it|that|this)[.!]?$|take (?:the|a) (?:l|w|hit|heat|blame|loss|fall|win|bullet"
    r"|risk|chance|break|breather|nap)\b|owe you|think|see|know|guess|feel|hope|wonder|mean|go with"
    r"|be |try again|say|admit|bet|believe|imagine|tell (?:if|whether)|miss|live with)"
)
PRONOUN_OBJECT = re.compile(r"^\w+ (?:it|that|this|them|one)\b")

_DAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_ORD = r"\d{1,2}(?:st|nd|rd|th)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DUE = re.compile(
    rf"\b(?:by|before|due|until|till|no later than|on)\s+(?:(?:this|next|the end of|end of)\s+)?"
    rf"(?:{_DAY}(?:'s)?(?:\s+the\s+{_ORD})?(?:\s+(?:night|morning|afternoon|evening))?"
    rf"|the\s+{_ORD}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|tomorrow|tonight|today|eod|eow"
    rf"|(?:the )?end of (?:the )?(?:day|week|month)|next week|the weekend)\b"
    rf"|\b{_DAY}(?:\s+(?:night|morning))?\s+(?:latest|at the latest)\b"
    rf"|\b(?:tonight|tomorrow(?: morning| night)?|this weekend|first thing tomorrow)\b"
)
