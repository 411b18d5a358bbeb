"""Genre banks for crime fiction: crime, mystery and thriller.

Each bank is a ``Genre``; ``genres.GENRES`` lists them in matching order.
"""

from __future__ import annotations

from generation.offline.vocab import Genre, _b

CRIME = Genre(
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
)

MYSTERY = Genre(
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
    _b("drawing room|library|vicarage kitchen|parish hall|bookshop|archive room|study|pub snug"),
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
)

THRILLER = Genre(
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
)
