"""Genre banks for speculative fiction: science fiction, fantasy and horror.

Each bank is a ``Genre``; ``genres.GENRES`` lists them in matching order.
"""

from __future__ import annotations

from generation.offline.vocab import Genre, _b

SCIFI = Genre(
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
)

FANTASY = Genre(
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
)

HORROR = Genre(
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
)
