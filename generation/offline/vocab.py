"""Genre word banks: places, prizes, forces, threats, textures, stakes and secrets.

A story's genre text ("space western", "cosy mystery") is matched against each genre's
trigger words; several matches blend their banks, so a space western gets both airlocks
and cattle. Bank entries are grammar templates (see ``grammar``), mostly plain phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _b(*chunks: str) -> tuple[str, ...]:
    """Bank entries written several to a line, separated by "|"."""
    return tuple(p.strip() for c in chunks for p in c.split("|") if p.strip())


@dataclass(frozen=True, slots=True)
class Genre:
    key: str
    label: str
    triggers: tuple[str, ...]
    places: tuple[str, ...]  # where a story could be set, with an article
    rooms: tuple[str, ...]  # interiors for scene headings, without article
    outside: tuple[str, ...]  # exteriors for scene headings
    prizes: tuple[str, ...]  # what people want to get hold of
    forces: tuple[str, ...]  # organised opposition, named or not
    jobs: tuple[str, ...]  # occupations for invented people
    threats: tuple[str, ...]
    deadlines: tuple[str, ...]  # "before ..." phrases, without "before"
    textures: tuple[str, ...]  # sensory fragments
    stakes: tuple[str, ...]
    secrets: tuple[str, ...]  # clauses: "the colony was never meant to last"
    shapes: tuple[str, ...]  # story shapes this genre leans toward


GENRES: tuple[Genre, ...] = (
    Genre(
        "scifi",
        "science fiction",
        _b(
            "sci-fi|science fiction|scifi|space|sf|cyberpunk|future|futuristic|dystopia|"
            "dystopian|robot|android|alien|planet|colony|starship|spaceship|orbit|station|ai|"
            "mars|moon|galaxy|interstellar|cyber|solarpunk|time travel"
        ),
        _b(
            "a mining colony under a dead sun|a relay station at the edge of charted space|"
            "the crowded decks of a generation ship two centuries from anywhere|a flooded megacity run by algorithms|"
            "an orbital habitat where air is rationed by the hour|a research outpost on a frozen moon"
        ),
        _b(
            "cargo bay|airlock|bridge|med bay|mess hall|reactor room|crew quarters|server vault|"
            "docking ring|observation deck"
        ),
        _b("landing pad|ice field|crater rim|hull exterior|dome perimeter|launch gantry"),
        _b(
            "a stolen navigation core|the last working terraformer|a black box from a lost freighter|"
            "the colony's water rights|a prototype drive|an AI that remembers the old Earth|"
            "the access codes to the orbital array"
        ),
        _b(
            "the Meridian Mining Company|the colonial authority|the Helix Consortium|"
            "the station's governing council|the Drift syndicates|a corporate security division"
        ),
        _b(
            "salvage pilot|station medic|reactor tech|cargo hauler|systems engineer|"
            "xenobiologist|dockworker|navigator|signals officer|data courier"
        ),
        _b(
            "a hull breach|the oxygen reserves failing|a quarantine lockdown|a rogue maintenance AI|"
            "a solar storm|a reactor running hot|a signal nobody can trace"
        ),
        _b(
            "the relief ship docks|the reactor goes critical|the air runs out|the orbit decays|"
            "the company wipes the logs|the last shuttle launches"
        ),
        _b(
            "recycled air|the hum of the reactor|frost on the viewports|warning lights pulsing amber|"
            "the groan of the hull|static on every channel|the smell of scorched circuitry"
        ),
        _b(
            "every life on the station|the colony's last season of air|the only way home|"
            "two thousand sleepers in their pods|the truth about the signal"
        ),
        _b(
            "the colony was never meant to survive|the distress call was sent from inside|"
            "the company knew about the fault for years|the crew's memories have been edited|"
            "the ship's AI has been lying to protect the crew"
        ),
        _b("survival|heist|mystery|escape|quest|rebellion"),
    ),
    Genre(
        "fantasy",
        "fantasy",
        _b(
            "fantasy|magic|magical|dragon|wizard|witch|sorcer|kingdom|realm|fae|fairy|elf|elves|"
            "sword|myth|mythic|quest|throne|prophecy|epic|sword and sorcery|grimdark"
        ),
        _b(
            "a river kingdom where the old gods sleep|a walled city ruled by a council of mages|"
            "a mountain realm cut off by winter|a border march haunted by the fae|"
            "a drowned empire's last free port"
        ),
        _b(
            "great hall|tower library|tavern back room|temple crypt|throne room|herb cellar|"
            "war tent|scriptorium"
        ),
        _b("ruined bridge|forest road|castle wall|market square|mountain pass|standing stones"),
        _b(
            "a crown that chooses its bearer|the last dragon's egg|a book of true names|"
            "a key to the sealed vault of the old kings|a sword that cannot be unmade|"
            "the heart of a fallen star"
        ),
        _b(
            "the Ashen Court|the Order of the Pale Lantern|the usurper's guard|the Synod of Mages|"
            "the raiders from the northern fjords|a cabal of hedge witches"
        ),
        _b(
            "hedge witch|disgraced knight|cartographer|apprentice mage|smuggler|court scribe|"
            "tavern keeper|ranger|forger of seals|shepherd"
        ),
        _b(
            "a curse spreading through the wells|a dragon waking|a civil war|a blight on the harvest|"
            "the wards failing|an army at the passes"
        ),
        _b(
            "the midwinter eclipse|the coronation|the wards fall|the snows close the passes|"
            "the blood moon rises|the old king dies"
        ),
        _b(
            "woodsmoke and wet stone|candle wax on old vellum|the clang of the forge|"
            "a cold wind off the peaks|torchlight on carved runes|the smell of rain on moss"
        ),
        _b(
            "the throne|the realm's last free city|the magic itself|a people's name and history|"
            "the lives of everyone in the valley"
        ),
        _b(
            "the prophecy was forged|the heir died years ago and was replaced|"
            "the magic is fed by the people it protects|the mentor struck the bargain that caused the curse|"
            "the dragon is the only thing holding the border"
        ),
        _b("quest|coming_of_age|revenge|rebellion|fall"),
    ),
    Genre(
        "crime",
        "crime",
        _b(
            "crime|heist|caper|gangster|mob|mafia|noir|neo-noir|cop|police|con|conman|heist|"
            "criminal|cartel|robbery|thief|detective story|hardboiled"
        ),
        _b(
            "a port city where every cop has a price|a casino town on the edge of the desert|"
            "a rain-soaked city in the last days of an election|a border town split by two crews"
        ),
        _b(
            "back office|interrogation room|diner booth|pawn shop|casino floor|motel room|"
            "precinct bullpen|warehouse"
        ),
        _b("loading dock|parking garage|rooftop|alley|pier|freeway overpass"),
        _b(
            "a ledger of every bribe in the city|two million in unmarked bills|a diamond nobody can sell|"
            "the evidence locker's contents|a witness who can end a career|the deed to the harbour"
        ),
        _b(
            "the Halloran crew|internal affairs|the cartel's accountants|the mayor's fixers|"
            "a rival crew|the district attorney's office"
        ),
        _b(
            "getaway driver|safecracker|bartender|bail bondsman|beat cop|fence|bookkeeper|"
            "court stenographer|locksmith|private investigator"
        ),
        _b(
            "a double-cross|a wiretap|a body in the trunk|a witness going missing|a raid|"
            "a debt coming due"
        ),
        _b(
            "the grand jury convenes|the shipment leaves port|the election|the debt comes due|"
            "the witness testifies|dawn"
        ),
        _b(
            "neon on wet asphalt|cigarette smoke and bad coffee|sirens a few blocks off|"
            "the flicker of a motel sign|rain drumming on a car roof"
        ),
        _b(
            "a clean record|a kid's future|the whole crew's freedom|a life outside the business|"
            "everything the crew ever stole"
        ),
        _b(
            "the job was a setup from the start|the inside man works for the police|"
            "the money was counterfeit all along|the client is the mark|"
            "the detective on the case is on the payroll"
        ),
        _b("heist|revenge|fall|mystery|redemption"),
    ),
    Genre(
        "mystery",
        "mystery",
        _b(
            "mystery|whodunit|detective|murder|investigation|sleuth|cozy|cosy|case|clue|"
            "disappearance|missing|who killed|unsolved"
        ),
        _b(
            "a seaside village with too many secrets|a country house cut off by floods|"
            "a university town in the dead of winter|a village on an island reachable only at low tide"
        ),
        _b(
            "drawing room|library|vicarage kitchen|parish hall|bookshop|archive room|study|pub snug"
        ),
        _b("cliff path|churchyard|harbour wall|garden maze|railway platform|boathouse"),
        _b(
            "a missing page from the parish register|a letter never posted|the victim's last photograph|"
            "a will rewritten the night before|a key that fits no lock in the house"
        ),
        _b(
            "the family that owns the village|the county police|a respectable board of trustees|"
            "the killer still among the guests"
        ),
        _b(
            "retired schoolteacher|village doctor|crime novelist|archivist|junior constable|"
            "pub landlady|insurance investigator|gardener"
        ),
        _b(
            "a second body|a storm that cuts the phone lines|a confession that can't be true|"
            "a fire in the archive|an alibi collapsing"
        ),
        _b(
            "the tide comes in|the inquest|the funeral|the heir arrives|the snow melts|"
            "the case is closed for good"
        ),
        _b(
            "the tick of a hall clock|damp tweed and pipe smoke|a gull crying over the harbour|"
            "dust on the piano lid|the creak of the back stairs"
        ),
        _b(
            "an innocent person's freedom|the village's peace|a reputation built over forty years|"
            "the truth about an old death"
        ),
        _b(
            "the victim faked an earlier death|two of the suspects are the same person|"
            "the detective's friend wrote the anonymous letters|the murder happened a day earlier than anyone thinks"
        ),
        _b("mystery|fish|redemption|revenge"),
    ),
    Genre(
        "horror",
        "horror",
        _b(
            "horror|haunted|ghost|demon|possession|monster|terror|scary|slasher|occult|"
            "supernatural|creepy|eldritch|cosmic horror|folk horror|zombie|vampire|werewolf"
        ),
        _b(
            "a lakeside town where the winters last too long|a hospital closed for thirty years|"
            "a farmhouse at the end of a dead-end road|a village that celebrates a festival nobody explains"
        ),
        _b("cellar|attic|nursery|hospital ward|chapel|kitchen|stairwell|boiler room"),
        _b("frozen lake|cornfield|woods at the edge of town|churchyard|empty road|quarry"),
        _b(
            "a reel of film nobody should watch|the diary of the first owner|a child's drawing that keeps changing|"
            "a bone carved with names|the key to the locked room"
        ),
        _b(
            "the thing beneath the house|the town's old families|a congregation with an appetite|"
            "whatever answered the first call"
        ),
        _b(
            "night nurse|estate agent|folklorist|priest|caretaker|paranormal podcaster|"
            "substitute teacher|locksmith"
        ),
        _b(
            "the lights failing|a disappearance|a voice on the baby monitor|the dead returning|"
            "a sickness in the livestock|footsteps where no one walks"
        ),
        _b(
            "the solstice|the last ferry leaves|the lights go out|the festival night|"
            "the third knock|the thaw"
        ),
        _b(
            "the smell of wet earth|a radiator ticking in the dark|breath fogging in a warm room|"
            "scratching behind the walls|the hum of a dead phone line"
        ),
        _b(
            "{hero.their} sanity|a child's life|the souls of the town|{hero.their} own name|everyone who stays"
        ),
        _b(
            "the house chose {hero.them} long before {hero.they} arrived|the protector is the one it feeds on|"
            "the rituals were keeping it asleep|the first victim was never human"
        ),
        _b("survival|mystery|fall|escape"),
    ),
    Genre(
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
    ),
    Genre(
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
        _b(
            "the homeowners' association|a rival choir|head office|the in-laws|a very determined goose"
        ),
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
    ),
    Genre(
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
    ),
    Genre(
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
    ),
    Genre(
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
        _b(
            "print shop|drawing room|barracks|jazz club|counting house|field hospital|convent|"
            "ballroom"
        ),
        _b("dockyard|battlefield|market square|cathedral steps|country lane|quayside"),
        _b(
            "a forbidden pamphlet|the regiment's pay chest|a letter of safe conduct|"
            "the king's seal|a manifest that proves the fraud"
        ),
        _b(
            "the censor's office|the garrison command|a family of old money|the crown's agents|"
            "the occupying army"
        ),
        _b(
            "printer|nurse|clerk|seamstress|stevedore|court musician|scribe|soldier|mapmaker|typist"
        ),
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
    ),
    Genre(
        "thriller",
        "thriller",
        _b(
            "thriller|spy|espionage|political|conspiracy|techno-thriller|action|assassin|"
            "agent|suspense|psychological|paranoid|cia|mi6|government"
        ),
        _b(
            "a capital city in the week of a summit|a border town in the cold season|"
            "a data centre under a Scandinavian mountain|an embassy district under curfew"
        ),
        _b(
            "safe house|embassy office|server room|hotel suite|situation room|newsroom|"
            "hospital room|train compartment"
        ),
        _b("border checkpoint|rooftop|underground car park|bridge|airfield|harbour"),
        _b(
            "a drive holding the names of every asset|a recording of the minister|"
            "a defector's testimony|the launch codes|the source's identity"
        ),
        _b("the agency|a private security firm|the minister's inner circle|a foreign service"),
        _b(
            "analyst|journalist|interpreter|hacker|bodyguard|diplomat's aide|forensic accountant|"
            "courier"
        ),
        _b("a leak|an assassination|a blackout|a kidnapping|an abandoned operation"),
        _b("the summit opens|the vote|the broadcast|the exchange at the border|midnight"),
        _b(
            "fluorescent hum in a windowless room|rain on a taxi window|a burner phone buzzing|"
            "the click of a lock|the smell of cold coffee"
        ),
        _b("a source's life|a democracy|{hero.their} own identity|a war nobody wants|a family"),
        _b(
            "the handler is the leak|the operation was a cover for a second one|"
            "the defector never defected|the journalist's source is dead and someone is using their name"
        ),
        _b("mystery|escape|heist|revenge|fall"),
    ),
    Genre(
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
    ),
)

BY_KEY = {g.key: g for g in GENRES}


def match_genres(*texts: str) -> list[Genre]:
    """Genres whose trigger words occur in the texts, strongest first (may be empty)."""
    joined = " ".join(t.lower() for t in texts if t)
    if not joined.strip():
        return []
    scored: list[tuple[int, int, Genre]] = []
    for index, genre in enumerate(GENRES):
        hits = sum(1 for t in genre.triggers if re.search(rf"\b{re.escape(t)}", joined))
        if hits:
            scored.append((-hits, index, genre))
    return [g for _, _, g in sorted(scored, key=lambda s: (s[0], s[1]))]
