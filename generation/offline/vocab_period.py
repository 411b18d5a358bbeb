"""Genre banks for period and journey stories: western, historical and adventure.

Each bank is a ``Genre``; ``genres.GENRES`` lists them in matching order.
"""

from __future__ import annotations

from generation.offline.vocab import Genre, _b

WESTERN = Genre(
    "western",
    "western",
    _b(
        "western|frontier|cowboy|outlaw|gunslinger|ranch|wild west|sheriff|prairie|"
        "space western|weird west"
    ),
    _b(
        "a railroad town on the edge of the territories|a cattle ranch in a drought year|"
        "a mining camp that doubled overnight|a frontier fort nobody relieves"
    ),
    _b("saloon|jailhouse|general store|bunkhouse|church|assay office|ranch house"),
    _b("main street|corral|canyon|railway cut|dry riverbed|homestead"),
    _b(
        "the deed to the spring|a strongbox of payroll gold|the railroad survey|"
        "a herd of stolen horses|the last water rights in the valley"
    ),
    _b("the railroad company|the cattle baron's riders|a posse with a grudge|the Pinkertons"),
    _b(
        "bounty hunter|schoolteacher|blacksmith|deputy|cattle drover|gambler|preacher|"
        "telegraph operator|homesteader"
    ),
    _b("a drought|a stampede|a hanging|a gang riding in|a fever in the camp|a range war"),
    _b(
        "the train arrives|the rains come|the circuit judge rides in|sundown|"
        "the herd reaches the railhead"
    ),
    _b(
        "dust on every surface|the creak of saddle leather|a piano out of tune|"
        "heat shimmer on the flats|coyotes in the dark"
    ),
    _b(
        "the town's survival|a homestead|{hero.their} good name|a family's land|the last honest badge"
    ),
    _b(
        "the sheriff sold the town years ago|the deed was forged|the outlaw is {hero.their} own kin|"
        "the railroad caused the drought"
    ),
    _b("revenge|redemption|survival|quest|rivalry"),
)

HISTORICAL = Genre(
    "historical",
    "historical",
    _b(
        "historical|period|victorian|regency|medieval|renaissance|edwardian|1920s|1940s|"
        "1950s|1960s|wartime|war|ww2|wwii|ancient|rome|roman|tudor|elizabethan|century"
    ),
    _b(
        "a shipbuilding town in the winter of 1912|a Roman garrison at the edge of the empire|"
        "a Harlem jazz club in 1926|a London print shop during the Blitz|a court in the last year of a reign"
    ),
    _b("print shop|drawing room|barracks|jazz club|counting house|field hospital|convent|ballroom"),
    _b("dockyard|battlefield|market square|cathedral steps|country lane|quayside"),
    _b(
        "a forbidden pamphlet|the regiment's pay chest|a letter of safe conduct|"
        "the king's seal|a manifest that proves the fraud"
    ),
    _b(
        "the censor's office|the garrison command|a family of old money|the crown's agents|"
        "the occupying army"
    ),
    _b("printer|nurse|clerk|seamstress|stevedore|court musician|scribe|soldier|mapmaker|typist"),
    _b("an air raid|a plague year|a mutiny|a trial|an election riot|a flood"),
    _b("the ships sail|the siege begins|the armistice|the coronation|the verdict"),
    _b(
        "coal smoke and horse dung|gaslight on wet cobbles|the clatter of a press|"
        "candle tallow and ink|a brass band in the distance"
    ),
    _b("a family's name|a cause|the lives of the garrison|a free press|a way of life"),
    _b(
        "the hero of the last war was a deserter|the letter was forged by the crown|"
        "the mutiny was arranged by the officers"
    ),
    _b("fall|rebellion|romance|redemption|survival"),
)

ADVENTURE = Genre(
    "adventure",
    "adventure",
    _b(
        "adventure|pirate|treasure|expedition|explorer|jungle|voyage|swashbuckling|"
        "road trip|journey|survival|island"
    ),
    _b(
        "an archipelago that does not appear on any chart|a river town at the edge of the jungle in the rainy season|"
        "a desert outpost with one working truck|a trading port at the edge of the charts"
    ),
    _b("ship's cabin|hold|camp tent|trading post|temple chamber|jeep|lighthouse"),
    _b("river rapids|cliff face|jungle clearing|reef|dune sea|rope bridge"),
    _b(
        "a map drawn in a dead man's hand|the lost city's gate key|a chest from a sunken galleon|"
        "the compass that points to the island"
    ),
    _b(
        "a rival expedition|a mercenary captain|the smugglers who own the river|"
        "a collector with bottomless money"
    ),
    _b("sailor|pilot|guide|cartographer|diver|mechanic|translator|botanist|stowaway"),
    _b("a storm|a shipwreck|a landslide|fever|a mutiny|a fuel leak"),
    _b("the monsoon breaks|the tide turns|the fuel runs out|the rival reaches the coast"),
    _b(
        "salt spray and tar|insects singing in the heat|diesel and river mud|"
        "the snap of a sail|stars so thick they look like frost"
    ),
    _b("the crew's lives|a fortune|a name in the history books|the way home"),
    _b(
        "the map is a trap laid by the rival|the guide has been there before|"
        "the treasure was moved a century ago|the island is moving"
    ),
    _b("quest|survival|heist|rivalry|coming_of_age"),
)
