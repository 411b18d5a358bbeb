"""Genre banks for stories of everyday life: romance, comedy and drama.

Each bank is a ``Genre``; ``genres.GENRES`` lists them in matching order.
"""

from __future__ import annotations

from generation.offline.vocab import Genre, _b

ROMANCE = Genre(
    "romance",
    "romance",
    _b(
        "romance|romantic|love|rom-com|romcom|romantic comedy|love story|wedding|dating|"
        "enemies to lovers|second chance"
    ),
    _b(
        "a vineyard in its last good year|a seaside town in the off-season|"
        "a bakery two doors down from the competition|a wedding hotel where nothing goes to plan"
    ),
    _b(
        "bakery kitchen|bookshop|wine cellar|hotel lobby|dance studio|apartment hallway|"
        "cafe|dressing room"
    ),
    _b("boardwalk|vineyard rows|train platform|rooftop garden|beach at dusk|market stall"),
    _b(
        "the family restaurant|a letter written ten years ago|the last ticket out|"
        "the lease on the shop|a grandmother's recipe book"
    ),
    _b(
        "a rival business|a disapproving family|an ex who hasn't moved on|the town's gossip network"
    ),
    _b(
        "pastry chef|wedding planner|ferry captain|vintner|music teacher|architect|"
        "florist|translator"
    ),
    _b(
        "a wedding|a misunderstanding|a job offer in another city|a secret engagement|"
        "a storm that strands them"
    ),
    _b("the wedding|the end of summer|the shop closes|the flight leaves|the festival"),
    _b(
        "warm bread and espresso|salt air and sunscreen|fairy lights in the rain|"
        "a record crackling in the next room|the smell of crushed grapes"
    ),
    _b(
        "a second chance|the family business|a heart that has been careful too long|"
        "a friendship worth more than pride"
    ),
    _b(
        "the rival wrote the anonymous review|the engagement was staged|the letter was never sent|"
        "the shop is already sold"
    ),
    _b("romance|rivalry|fish|coming_of_age"),
)

COMEDY = Genre(
    "comedy",
    "comedy",
    _b(
        "comedy|comic|funny|sitcom|farce|satire|satirical|parody|humor|humour|absurd|"
        "screwball|black comedy|mockumentary|workplace comedy"
    ),
    _b(
        "a failing regional theatre|a suburban cul-de-sac at war over a hedge|"
        "a budget airline's worst branch office|a rented castle hosting a disastrous family reunion"
    ),
    _b(
        "break room|kitchen|green room|open-plan office|community hall|karaoke bar|"
        "hotel suite|minivan"
    ),
    _b("parking lot|petting zoo|golf course|cul-de-sac|campsite|town square"),
    _b(
        "the prize marrow|the last reservation in town|a trophy nobody wants|"
        "the office's only working stapler|the deed to a haunted bungalow"
    ),
    _b("the homeowners' association|a rival choir|head office|the in-laws|a very determined goose"),
    _b(
        "substitute teacher|wedding DJ|party magician|assistant manager|tour guide|"
        "failed actor|driving instructor|dog walker"
    ),
    _b(
        "an inspection|a wedding toast gone wrong|a viral video|a mix-up with the twins|"
        "a talent show"
    ),
    _b("the inspection|the big show|the boss returns|the in-laws arrive|the judges' visit"),
    _b(
        "a smoke alarm nobody can switch off|the smell of burnt toast|a karaoke machine stuck on one song|"
        "a fog of cheap cologne|applause that is mostly sarcastic"
    ),
    _b(
        "{hero.their} dignity|the family name|the last shred of {hero.their} reputation|the whole town's pride"
    ),
    _b(
        "the rival has been secretly helping {hero.them}|the inspector is just a very confident tourist|"
        "the trophy was never real|everyone knew the secret except {hero.them}"
    ),
    _b("rivalry|fish|heist|romance"),
)

DRAMA = Genre(
    "drama",
    "drama",
    _b(
        "drama|family|literary|domestic|melodrama|character study|slice of life|"
        "tragedy|prestige|period drama|sports"
    ),
    _b(
        "a small town after the factory closes|a family farm in its last harvest|"
        "a hospital ward on the night shift|a city neighbourhood about to be rebuilt"
    ),
    _b("kitchen|hospital corridor|living room|bar|church hall|classroom|car|bedroom"),
    _b("front porch|bus stop|cemetery|river bank|football pitch|high street"),
    _b(
        "the family house|a scholarship|the deeds to the farm|a father's last letter|"
        "a place on the team"
    ),
    _b(
        "the bank|a developer with council friends|the family's expectations|the people who run the town"
    ),
    _b(
        "nurse|mechanic|schoolteacher|farmer|union organiser|bus driver|line cook|coach|"
        "social worker|paramedic"
    ),
    _b("a diagnosis|a foreclosure notice|an accident|a homecoming|a strike|a funeral"),
    _b("the bank forecloses|the funeral|the sale goes through|the season ends|the hearing"),
    _b(
        "a kettle coming to the boil|rain on a tin roof|the radio murmuring in another room|"
        "the smell of motor oil|fluorescent light at three in the morning"
    ),
    _b("the family|a home|a way of life|a second chance|the people who depend on {hero.them}"),
    _b(
        "the father knew about the debts all along|the letter was written by someone else|"
        "the accident was not an accident|the sister has been paying the bills"
    ),
    _b("coming_of_age|fall|redemption|rivalry|fish"),
)
