"""What characters say in a scene, by intent, before a voice makes it theirs.

Each intent (open, deflect, press, counter, challenge, accuse, reveal, ultimatum, refuse,
soften, button; interjections for a third speaker; a monologue's movements) has several
drafts in a neutral register; the key sentence comes first so a terse voice keeps it.
Slots: {topic}, {my_want}, {your_want}, {flaw} (the addressee's, as a noun), {my_need},
{threat}, {you} (the addressee), {texture}.

``personal`` turns a sheet's third-person want ("get her brother home") into the
speaker's own words ("get my brother home") or the addressee's ("your brother").
"""

from __future__ import annotations

import re

from generation.offline.cast import Figure
from generation.offline.pronouns import Pronouns

OPEN = (
    "We need to talk about {topic}.",
    "{topic}. We need to talk about it.",
    "You know why I'm here. It's about {topic}.",
    "I've been thinking about {topic} all night.",
    "Don't pretend you haven't heard about {topic}.",
    "Tell me about {topic}. All of it.",
)
DEFLECT = (
    "Not now, {you}.",
    "I don't want to talk about {topic}.",
    "You came all the way down here for that?",
    "That's not what this is about, and you know it.",
    "Can it wait? I'm in the middle of something.",
    "There's nothing to talk about.",
)
PRESS = (
    "I need {my_want}. That's all it's ever been.",
    "All I want is {my_want}. You know that.",
    "You know what I want: {my_want}.",
    "I want {my_want}. I didn't come here to be talked out of it.",
)
COUNTER = (
    "And I need {my_want}. We can't both have it.",
    "What I want is {my_want}, and you're standing in the way.",
    "You want yours. I want {my_want}. Somebody has to lose.",
    "I want {my_want}. That's your problem, not mine.",
)
CHALLENGE = (
    "{your_want}? That's what this is about?",
    "You want {your_want}. Say it, then. Say it out loud.",
    "You keep saying you want {your_want}. I don't believe you.",
)
ACCUSE_FLAW = (
    "This is your {flaw} talking.",
    "It's always the same with you. Your {flaw}.",
    "Your {flaw} is going to get someone hurt.",
)
ACCUSE = (
    "You never listen. You never have.",
    "Don't you dare make this about me.",
    "You decided before I walked in.",
    "You always do this.",
)
REVEAL_NEED = (
    "Maybe what I need is {my_need}. Did you ever think of that?",
    "What I need is {my_need}. I just don't know how.",
)
REVEAL = (
    "You want the truth? I'm tired. I'm so tired of doing this alone.",
    "I can't keep doing this.",
    "I was scared. I'm still scared.",
    "I didn't tell you because I knew what you'd say.",
)
ULTIMATUM = (
    "Then this is it. After {topic}, we're done.",
    "Decide. Before {threat} decides for us.",
    "You have until morning.",
    "Walk away, or help me. There's no third option.",
)
REFUSE = (
    "No.",
    "Then I'll do it without you.",
    "Fine. But we do it my way.",
    "I can't. You know I can't.",
)
SOFTEN = (
    "I'm not your enemy, {you}.",
    "I know. I know.",
    "Look at me. We'll figure it out.",
    "I didn't mean that.",
)
BUTTON = (
    "You'd better be right about this.",
    "Don't make me regret it.",
    "Go. Before I change my mind.",
    "We'll see.",
    "This isn't over.",
)
INTERJECT = (
    "Both of you, stop. Listen to yourselves.",
    "If you two are finished, some of us want {my_want} too.",
    "I'm not picking a side. I'm picking {my_want}.",
    "You're both wrong, and we're running out of time.",
)
ECHO = ("Like I said. {echo}.", "{echo}. I meant it.")

MONO_OPEN = (
    "You want to know about {topic}? Fine.",
    "Nobody ever asks me about {topic}.",
    "I keep coming back to {topic}.",
)
MONO_WANT = (
    "All I ever wanted was {my_want}.",
    "What I want is {my_want}. It isn't complicated.",
)
MONO_FLAW = (
    "My {flaw}. Everyone says so. Maybe they're right.",
    "It's my {flaw}. It always has been.",
)
MONO_TURN = (
    "But that's not the whole story.",
    "And then it all went wrong.",
    "Here's what nobody tells you.",
)
MONO_END = (
    "So. That's it. That's everything.",
    "Tomorrow I'll try again.",
    "I'm still here. That has to count for something.",
)

OPENING_ACTION = (
    "{texture}. {me_caps} works alone, back to the door. {you_caps} watches from the doorway.",
    "{me_caps} and {you_caps}, face to face. {texture} all around them.",
    "{you_caps} is already waiting when {me_caps} arrives.",
    "{me_caps} hasn't slept. {you_caps} can tell.",
)
SOLO_ACTION = (
    "{texture}. {me_caps} sits alone.",
    "{me_caps}, alone, long after everyone else has gone.",
    "{me_caps} stands at the window. {texture}.",
)
MID_ACTION = (
    "{me} turns away.",
    "A long silence.",
    "{you} doesn't move.",
    "Somewhere, {texture}.",
    "{you} laughs, without humour.",
    "{me} sits. {you} stays standing.",
)
CLOSING_ACTION = (
    "{you} leaves. {me} stays, alone with {topic}.",
    "Neither of them moves.",
    "{me} is already gone.",
    "The door closes. {texture}.",
    "{you} watches {me.them} go.",
)

_PARTICLES = (
    "back|up|out|down|off|away|to|for|from|with|in|on|at|and|or|alone|again|go|be|"
    "a|an|the|that|this|what|if|because|so|but|into|before|after|free|safe|home|"
    "listen|laugh|cry|smile|stay|leave|talk|sing|look|know|understand|want|need|"
    "win|lose|go|come|see|hear|feel|fall|run|die|live|believe|forget|remember"
)


def personal(
    text: str, who: Figure, person: int, other: Figure | None = None, inward: bool = False
) -> str:
    """A sheet's phrase about ``who`` as ``who`` says it (person 1) or hears it (person 2).

    Possessives and reflexives change ("her brother" -> "my brother"). An object pronoun
    in a want usually means someone else ("win her back"), so it stays; in a need
    (``inward``) a final one means the character ("let someone help her" -> "help me").
    """
    my, myself = ("my", "myself") if person == 1 else ("your", "yourself")
    me = "me" if person == 1 else "you"
    if inward and who.pronouns.object:
        text = re.sub(rf"\b{re.escape(who.pronouns.object)}$", me, text.rstrip())
    p = who.pronouns
    out = text
    for name in {who.name, who.short}:
        out = re.sub(rf"\b{re.escape(name)}['’]s\b", my, out)
    if other is not None:
        for name in {other.name, other.short}:
            out = re.sub(rf"\b{re.escape(name)}['’]s\b", "your" if person == 1 else "my", out)
    if p.reflexive:
        out = re.sub(rf"\b{re.escape(p.reflexive)}\b", myself, out, flags=re.IGNORECASE)
    out = _own_subject(out, p, person)
    poss = p.possessive
    if poss and poss != p.object:
        out = re.sub(rf"\b{re.escape(poss)}\b", my, out, flags=re.IGNORECASE)
    elif poss:
        out = re.sub(
            rf"\b{re.escape(poss)}\b(?=\s+(?!(?:{_PARTICLES})\b)[^\W\d_])",
            my,
            out,
            flags=re.IGNORECASE,
        )
    return out


_BE = {
    "is": ("am", "are"),
    "was": ("was", "were"),
    "has": ("have", "have"),
    "does": ("do", "do"),
    "goes": ("go", "go"),
}
_PAST_OR_MODAL = re.compile(
    r"^(?:\w+ed|lost|had|did|made|left|took|got|saw|knew|said|felt|kept|let|gave|"
    r"thought|told|won|could|would|should|will|can|must|might|never|always|once|still)$",
    re.I,
)


def _own_subject(text: str, p: Pronouns, person: int) -> str:
    """A sheet's "she lost" or "she feels" as the character says it ("I lost", "I feel")
    or hears it ("you lost", "you feel"). Only a subject pronoun followed by a verb form
    we can conjugate changes; anything else is left as written."""
    subject = p.subject
    if not subject or p.plural_verbs:
        return text
    me = "I" if person == 1 else "you"

    def swap(m: re.Match[str]) -> str:
        verb = m.group(2)
        low = verb.lower()
        if low in _BE:
            return f"{me} {_BE[low][0 if person == 1 else 1]}"
        if _PAST_OR_MODAL.match(verb):
            return f"{me} {verb}"
        if low.endswith("ies") and len(low) > 4:
            return f"{me} {verb[:-3]}y"
        if low.endswith(("ches", "shes", "sses", "xes")):
            return f"{me} {verb[:-2]}"
        if low.endswith("s") and not low.endswith("ss") and len(low) > 2:
            return f"{me} {verb[:-1]}"
        return m.group(0)

    return re.sub(rf"\b({re.escape(subject)})\s+([A-Za-z]+)\b", swap, text, flags=re.I)
