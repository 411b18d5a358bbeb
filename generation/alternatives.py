"""Choosing alternatives that really differ: maximal marginal relevance over word bigrams.

Several takes of a synopsis or a sheet tend to share their phrasing, so showing the room
the first N of them shows one idea N times. Instead a command writes more candidates than
it shows and keeps the N that overlap least with each other while still being typical of
the pool (MMR, Carbonell & Goldstein 1998): each pick maximises
``lam * relevance - (1 - lam) * max similarity to what was already picked``.

Similarity is the Jaccard overlap of word-bigram sets, which is also the figure replies
report ("options share 6% of their word pairs"). Everything here is pure: texts in,
indices and numbers out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations, pairwise

from generation.textkit import STOPWORDS, jaccard, words


def bigrams(text: str) -> frozenset[tuple[str, str]]:
    """The set of adjacent word pairs of a text (folded words, as generation/textkit.py
    reads them: no case, no accents, no punctuation)."""
    ws = words(text)
    return frozenset(pairwise(ws))


def similarity(a: str, b: str) -> float:
    """Word-bigram Jaccard similarity in [0, 1]: 1 for the same phrasing, 0 for none shared."""
    return jaccard(bigrams(a), bigrams(b))


def mean_pairwise_similarity(texts: Sequence[str]) -> float:
    """The mean bigram Jaccard over all pairs of texts (0.0 for fewer than two)."""
    grams = [bigrams(t) for t in texts]
    pairs = list(combinations(grams, 2))
    if not pairs:
        return 0.0
    return sum(jaccard(a, b) for a, b in pairs) / len(pairs)


def mmr(
    texts: Sequence[str], k: int, *, lam: float = 0.3, relevance: Sequence[float] | None = None
) -> list[int]:
    """Indices of ``k`` texts chosen by maximal marginal relevance, in the order picked.

    ``relevance`` defaults to each text's mean similarity to the others (how typical it is
    of the pool, which keeps an outlier such as a truncated take from winning on novelty
    alone); ``lam`` weighs it against novelty (0: pure diversity). Ties go to the earlier
    text, so the result is deterministic. Empty texts are never preferred over real ones.
    """
    n = len(texts)
    k = max(0, min(k, n))
    grams = [bigrams(t) for t in texts]
    sim = [[1.0 if i == j else jaccard(grams[i], grams[j]) for j in range(n)] for i in range(n)]
    if relevance is None:
        relevance = [sum(row) - 1.0 for row in sim]
        relevance = [r / (n - 1) if n > 1 else 0.0 for r in relevance]
    chosen: list[int] = []
    left = [i for i in range(n)]
    while len(chosen) < k and left:

        def score(i: int) -> tuple[bool, float, int]:
            novelty = max((sim[i][j] for j in chosen), default=0.0)
            return (bool(grams[i]), lam * relevance[i] - (1 - lam) * novelty, -i)

        best = max(left, key=score)
        chosen.append(best)
        left.remove(best)
    return chosen


def distinctive_words(
    texts: Sequence[str], index: int, limit: int = 3, skip: frozenset[str] = frozenset()
) -> list[str]:
    """Words of ``texts[index]`` that the other texts lack, most frequent first: a label."""
    others: set[str] = set()
    for j, t in enumerate(texts):
        if j != index:
            others.update(words(t))
    counts = Counter(
        w
        for w in words(texts[index])
        if len(w) > 3
        and w not in STOPWORDS
        and w not in others
        and w not in skip
        and not w.isdigit()
    )
    return [w for w, _ in counts.most_common(limit)]
