"""What the warm service remembers between requests: sentence embeddings by text, and archive claims.

A desk re-checks the same draft as it is edited (the page re-checks as you type), so most of a
request's claims were encoded a few seconds earlier; a vector depends on the claim's text alone
(the model is fixed for the life of the process) and is never written to, so a remembered one is
exactly what recomputing would give. Frames are remembered by the frame reader itself
(factcheck.frames.cache), for the CLI as well. Bounded LRU, one lock.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Iterable, Sequence

DEFAULT_SIZE = 20_000  # sentences: ~30 MB of 384-dim float32 vectors


class LRU:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_many(self, keys: Iterable) -> dict:
        out = {}
        with self._lock:
            for k in keys:
                v = self._data.get(k)
                if v is None:
                    self.misses += 1
                else:
                    self._data.move_to_end(k)
                    out[k] = v
                    self.hits += 1
        return out

    def put_many(self, items: Iterable[tuple]) -> None:
        with self._lock:
            for k, v in items:
                self._data[k] = v
                self._data.move_to_end(k)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class CachedEncoder:
    """The loaded encoder, with the vectors of texts it has already seen remembered; everything
    but encode() is the encoder's own."""

    def __init__(self, inner, size: int = DEFAULT_SIZE) -> None:
        self.inner = inner
        self.cache = LRU(size)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts: Sequence[str], progress: bool = False):
        import numpy as np

        texts = list(texts)
        known = self.cache.get_many(set(texts))
        todo = sorted({t for t in texts if t not in known})
        if todo:
            fresh = self.inner.encode(todo)
            new = {t: np.array(v, dtype="float32") for t, v in zip(todo, fresh)}
            for v in new.values():
                v.setflags(write=False)
            self.cache.put_many(new.items())
            known.update(new)
        out = np.zeros((len(texts), int(self.inner.dim)), dtype="float32")
        for i, t in enumerate(texts):
            out[i] = known[t]
        return out


class StoredClaims:
    """Stored claims found by search, one Claim object per stored claim across requests.

    A claim's features (tokens, lemmas, quantities, its frame) are computed lazily and kept on the
    Claim object; the store builds new objects on every search, so each request recomputed them
    for every archive neighbour (about 1 s of a 1,000-word check against 100k claims). A claim is
    reused only while it is equal, field for field, to what the store returned, so a claim removed
    and stored again under its id with other text is taken as new. The features are pure functions
    of the fields; two threads computing one at the same moment store the same value.
    """

    def __init__(self, size: int = DEFAULT_SIZE // 4) -> None:
        self.cache = LRU(size)

    def canonical(self, rows: list[list]) -> list[list]:
        from dataclasses import replace

        known = self.cache.get_many({h.claim.id for row in rows for h in row})
        fresh = {}
        out = []
        for row in rows:
            new_row = []
            for h in row:
                same = known.get(h.claim.id) or fresh.get(h.claim.id)
                if same is not None and same == h.claim:
                    h = replace(h, claim=same)
                else:
                    fresh[h.claim.id] = h.claim
                new_row.append(h)
            out.append(new_row)
        self.cache.put_many(fresh.items())
        return out


class RememberingStore:
    """A store whose search answers with the remembered Claim objects (see StoredClaims);
    everything else is the store's own."""

    def __init__(self, store, claims: StoredClaims) -> None:
        self.store, self.claims = store, claims

    def __getattr__(self, name):
        return getattr(self.store, name)

    def search(self, vectors, k: int, min_similarity: float | None = None, where=()):
        return self.claims.canonical(self.store.search(vectors, k, min_similarity, where))
