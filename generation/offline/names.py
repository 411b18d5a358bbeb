"""Names for people the bible does not have yet (only used when the story has no cast)."""

from __future__ import annotations

import random

from generation.offline.pronouns import HE, SHE, THEY, Pronouns
from generation.offline.vocab import _b

GIVEN_F = _b(
    "Mara|Ines|Amara|Noor|Yara|Esme|Lena|Priya|Nadia|Ada|Marisol|Zainab|Hana|Ruth|Imogen|Dalia|"
    "Greta|Ilse|Keziah|Maeve|Odette|Pilar|Rosalind|Thandiwe|Ulla|Winnie|Zora|Celeste|Aiko|Sefa"
)
GIVEN_M = _b(
    "Jonah|Tobias|Felix|Caleb|Matteo|Idris|Rafael|Soren|Elias|Kofi|Theo|Luka|Oskar|Dmitri|"
    "Tariq|Bram|Ezra|Joaquin|Nikolai|Quentin|Santiago|Viktor|Xavier|Yusuf|Femi"
)
GIVEN_N = _b("Wren|Hollis|Lior|Sasha|Rowan|Jules|Ash|Noa|Kit|Remy|Sam|Ari|Sol|Emery|Quinn")

FAMILY = _b(
    "Okafor|Reyes|Lindqvist|Hale|Varga|Morrow|Achterberg|Castellanos|Nakamura|Quinn|Adeyemi|"
    "Brennan|Sorensen|Moreau|Kaur|Whitlock|Petrov|Abernathy|Delacroix|Mbeki|Harrow|Szabo|Ferreira|"
    "Oyelaran|Lachance|Rahimi|Costa|Ashdown|Kowalczyk|Blackwood|Ibarra|Fennimore|Takahashi|Vance"
)

FANTASY_F = _b(
    "Aurelle|Cressida|Elowen|Isolde|Lirael|Maelis|Rhosyn|Sabeth|Tamsin|Vesna|Ysolde|Anwen|Thessaly"
)
FANTASY_M = _b("Brannoc|Daeron|Fenwick|Gwydion|Orrin|Ulric|Wystan|Corvin|Peregrine")
FANTASY_N = _b("Kestrel|Merrow|Sparrow|Linden|Ash")

FANTASY_FAMILY = _b(
    "of the Marches|Ashgrove|Thornwood|Vael|Stormholt|Greywater|of Harrowdeep|Morrigan|"
    "Blackbriar|Ravensworth|Oakhallow|Silverfell"
)

WESTERN_F = _b("Eliza|Clementine|Hattie|Delphine|Cora|Lottie|Prudence|Tillie|Augusta")
WESTERN_M = _b("Josiah|Amos|Silas|Ezekiel|Jedediah|Wyatt|Abner|Rufus|Cyrus")

WESTERN_FAMILY = _b(
    "Boone|Calloway|McCready|Tolliver|Hatch|Pettibone|Garrity|Slade|Whitcomb|Rourke"
)


def invent_person(
    rng: random.Random, genre_keys: list[str], taken: set[str]
) -> tuple[str, Pronouns]:
    """A full name that suits the genre and is not in use yet, with fitting pronouns."""
    if "fantasy" in genre_keys:
        pools, family = (FANTASY_F, FANTASY_M, FANTASY_N), FANTASY_FAMILY
    elif "western" in genre_keys or "historical" in genre_keys:
        pools, family = (
            (WESTERN_F + GIVEN_F[:10], WESTERN_M + GIVEN_M[:10], GIVEN_N[:4]),
            WESTERN_FAMILY,
        )
    else:
        pools, family = (GIVEN_F, GIVEN_M, GIVEN_N), FAMILY
    which = rng.choices((0, 1, 2), weights=(45, 45, 10), k=1)[0]
    pronouns = (SHE, HE, THEY)[which] if which < 2 else rng.choice((THEY, THEY, SHE, HE))
    first = rng.choice(pools[which])
    for _ in range(30):
        if first.casefold() not in taken:
            break
        first = rng.choice(pools[which])
    return f"{first} {rng.choice(family)}", pronouns
