"""The embedded backend: SQLite + FAISS files in one directory (the default `claims_db/`).

This is `ClaimStore` (files and behaviour unchanged) seen through the `Store` interface; the
FAISS index stays derived and is kept up to date by `after_add` exactly as `db add` always did.
"""
from __future__ import annotations

import json
from typing import Iterator, Sequence

from ..claims import Claim
from .base import Condition, Hit, Record
from .store import ClaimStore


class EmbeddedStore(ClaimStore):
    @property
    def location(self) -> str:
        return str(self.dir)

    def is_empty(self) -> bool:
        return self.max_rowid() == 0  # not count(): that scans every row of a large database

    # -- search -------------------------------------------------------------------------------
    def search(self, vectors, k: int, min_similarity: float | None = None,
               where: Sequence[Condition] = ()) -> list[list[Hit]]:
        if where:
            rows = self._filtered_search(vectors, k, where)
        else:
            from .vindex import VectorIndex

            rows = VectorIndex(self).search(vectors, k)
        found = self.get(sorted({r for row in rows for r, _ in row}))
        return [[Hit(found[r].claim, s) for r, s in row
                 if r in found and (min_similarity is None or s >= min_similarity)] for row in rows]

    def _filtered_search(self, vectors, k: int, where: Sequence[Condition]) -> list[list[tuple[int, float]]]:
        """Exact search over the rows the filter selects (SQLite picks them; FAISS is not consulted,
        so a narrow filter on a huge database reads only its own rows)."""
        import numpy as np

        clauses, params = [], []
        for c in where:
            col = '"end"' if c.field == "end" else c.field
            if c.prefix:
                esc = c.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                clauses.append(f"COALESCE({col}, '') LIKE ? ESCAPE '\\'")
                params.append(esc + "%")
            else:
                clauses.append(f"{col} = ?")
                params.append(c.value)
        q = np.ascontiguousarray(vectors, dtype="float32")
        best: list[dict[int, float]] = [dict() for _ in range(len(q))]
        dim = self.dim or 0
        cur = self.conn.execute(f"SELECT rowid, vec FROM claims WHERE {' AND '.join(clauses)} ORDER BY rowid", params)
        while True:
            rows = cur.fetchmany(20000)
            if not rows:
                break
            rids = [r[0] for r in rows]
            mat = np.frombuffer(b"".join(r[1] for r in rows), dtype="float32").reshape(len(rows), dim)
            sims = q @ mat.T
            top = np.argsort(-sims, axis=1)[:, :k]
            for qi in range(len(q)):
                for j in top[qi]:
                    best[qi][rids[j]] = float(sims[qi, j])
                if len(best[qi]) > 4 * k:
                    best[qi] = dict(sorted(best[qi].items(), key=lambda x: -x[1])[:k])
        return [sorted(b.items(), key=lambda x: -x[1])[:k] for b in best]

    # -- iteration ----------------------------------------------------------------------------
    def iter_batches(self, batch_size: int = 1000) -> Iterator[tuple[list[Record], object]]:
        import numpy as np

        from .store import _LATER_COLUMNS

        dim = self.dim or 0
        last = 0
        later = ", ".join(self._later(n) for n in _LATER_COLUMNS)  # where a claim ends, its column, its ignores
        while True:
            rows = self.conn.execute('SELECT rowid, id, text, source, speaker, date, start, "end", line, tags, '
                                     f"added_at, vec, {later} FROM claims WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                     (last, batch_size)).fetchall()
            if not rows:
                return
            recs = [Record(Claim(text=r[2], source=r[3], speaker=r[4], date=r[5], id=r[1], start=r[6] or 0,
                                 end=r[7] or 0, line=r[8], tags=tuple(json.loads(r[9])) if r[9] else (),
                                 column=r[12], end_line=r[13], end_column=r[14],
                                 ignore=json.loads(r[15]) if r[15] else {}), r[10])
                    for r in rows]
            yield recs, np.frombuffer(b"".join(r[11] for r in rows), dtype="float32").reshape(len(rows), dim)
            last = rows[-1][0]

    # -- index --------------------------------------------------------------------------------
    def after_add(self, ann_threshold: int | None = None, added: int = 1) -> None:
        from .vindex import INDEX_FILE, update_index

        if added or not (self.dir / INDEX_FILE).exists():
            update_index(self, **({"ann_threshold": ann_threshold} if ann_threshold else {}))

    def rebuild(self, kind: str | None = None, ann_threshold: int | None = None) -> str:
        from .vindex import build_index

        if kind is not None:
            self.set_index_kind(kind)
        meta = build_index(self, **({"ann_threshold": ann_threshold} if ann_threshold else {}))
        return f"rebuilt {meta.type if meta else 'no'} index over {meta.count if meta else 0} claims"

    def set_index_kind(self, kind: str) -> None:
        from .vindex import INDEX_KINDS  # no FAISS import: the table is plain data
        from ..errors import FactcheckError

        if kind not in INDEX_KINDS:
            raise FactcheckError(f"--index must be one of {', '.join(INDEX_KINDS)}; got '{kind}'")
        super().set_index_kind(kind)

    def remove(self, ids) -> int:
        """Remove, then rebuild the index (as `db remove` always did) so verify stays clean."""
        from .vindex import build_index

        n = super().remove(ids)
        build_index(self)
        return n

    # -- reports ------------------------------------------------------------------------------
    def stats(self) -> dict:
        from .vindex import INDEX_FILE, read_meta

        meta = read_meta(self.dir)
        n = self.count()
        sizes = {p.name: p.stat().st_size for p in self.dir.iterdir() if p.is_file()}
        disk = sum(v for k, v in sizes.items() if k.startswith("claims.sqlite") or k == INDEX_FILE)
        return {"backend": "embedded", "claims": n, "model": self.model, "dim": self.dim,
                "index": {"type": meta.type if meta else None, "indexed": meta.count if meta else 0,
                          "not_indexed": n - (meta.count if meta else 0) if meta else n,
                          "recall_at_10": meta.recall_at_10 if meta else None,
                          "recall_measured_at": meta.recall_measured_at if meta else 0,
                          "nlist": meta.nlist if meta else 0, "nprobe": meta.nprobe if meta else 0,
                          "bytes": sizes.get(INDEX_FILE, 0)},
                "bytes_on_disk": disk, "bytes_per_claim": round(disk / n, 1) if n else None}

    def verify(self) -> tuple[list[str], list[str]]:
        from .verify import verify_db

        return verify_db(self)
