"""Claim pairs worth judging: nearest neighbours by cosine similarity, via a FAISS index."""
from __future__ import annotations


def candidate_pairs(vec_a, vec_b, top_k: int = 5, min_similarity: float = 0.35) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for claim i of A and claim j of B, searched in both directions so a
    pair is found whichever side it ranks high on."""
    import faiss

    pairs: dict[tuple[int, int], float] = {}
    if len(vec_a) == 0 or len(vec_b) == 0:
        return []
    directions = [(vec_a, vec_b, False)]
    if vec_b is not vec_a:  # a self-search is symmetric already
        directions.append((vec_b, vec_a, True))
    for queries, base, flip in directions:
        index = faiss.IndexFlatIP(base.shape[1])
        index.add(base)
        sims, ids = index.search(queries, min(top_k, len(base)))
        for qi in range(len(queries)):
            for sim, bi in zip(sims[qi], ids[qi]):
                if bi < 0 or sim < min_similarity:
                    continue
                key = (int(bi), qi) if flip else (qi, int(bi))
                pairs[key] = float(sim)
    return sorted(((i, j, s) for (i, j), s in pairs.items()), key=lambda p: (p[0], -p[2]))
