"""Moving a claims database between backends (embedded <-> Milvus) with its stored embeddings.

Nothing is re-encoded: vectors travel as stored, so the copy is exact and takes minutes where
re-encoding would take hours. Writes are by claim id and skip ids already in the target, so an
interrupted copy is resumed by running it again, and a finished one re-run copies nothing.
At the end every source id is looked up in the target: the copy reports success only if all are there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import FactcheckError
from .base import Store


@dataclass
class CopyReport:
    source: int = 0    # claims read from the source
    copied: int = 0    # written to the target by this run
    skipped: int = 0   # already in the target
    target: int = 0    # claims in the target afterwards


def copy_db(src: Store, dst: Store, batch_size: int = 1000, progress: Callable[[int], None] | None = None
            ) -> CopyReport:
    if src.location == dst.location:
        raise FactcheckError("source and destination are the same database", dst.location)
    if not src.model or not src.dim:
        raise FactcheckError("the source database is empty (no model recorded); nothing to copy", src.location)
    dst.bind_model(src.model, src.dim)  # refuses a target built with another model
    report = CopyReport()
    for records, vectors in src.iter_batches(batch_size):
        report.source += len(records)
        known = dst.known_ids([r.claim.id for r in records])
        todo = [i for i, r in enumerate(records) if r.claim.id not in known]
        if todo:
            report.copied += dst.add_batch([records[i].claim for i in todo], vectors[todo],
                                           added_at=[records[i].added_at for i in todo])
        report.skipped += len(records) - len(todo)
        if progress:
            progress(len(records))
    dst.after_add(added=report.copied)
    missing, ids = 0, []
    for rec in src.records():  # ids only: no vectors read twice
        ids.append(rec["id"])
        if len(ids) >= batch_size:
            missing += len(ids) - len(dst.known_ids(ids))
            ids = []
    if ids:
        missing += len(ids) - len(dst.known_ids(ids))
    if missing:
        raise FactcheckError(f"{missing} of {report.source} claims are not in the destination after the copy; "
                             "run the copy again", dst.location)
    report.target = dst.count()
    return report
