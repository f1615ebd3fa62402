"""Claim frames of the archive, read ahead of time: `factcheck db frames` and the service's
background pass.

A check judges each new claim against its stored neighbours, and the rules that read frames need
both sides' frames. Parsing a neighbour during the check is what made a new draft slow (~250
neighbours of a 1,000-word draft: ~3 s of spaCy on this machine), so the archive's frames are
parsed beforehand and kept in the database's `frames` table, where a check finds them.

Stored frames are keyed by everything a frame depends on besides its text (the pipeline, spaCy's
and the pipeline's versions, a digest of the frame-building code: factcheck.frames.cache's
reader key), so an upgrade makes them invisible rather than wrong; the next pass reads afresh.

The pass never holds the writer lock while it parses: it parses a batch, then takes the lock
(the same file lock as `db add`) only to write that batch, so `db add` beside it waits at most a
write. Each batch commits on its own, and claims that have a frame are skipped, so an
interrupted pass is completed by running it again. Claims are read newest first: recent claims
are the likeliest neighbours of the next draft.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Callable

DEFAULT_BATCH = 256


def frames_key(parser: str) -> str:
    """The `parser` value stored frames are written and looked up under."""
    from ..frames.cache import reader_key

    return reader_key(parser)


def supports_frames(store) -> bool:
    """Whether the store keeps frames (the embedded store does; Milvus does not)."""
    return hasattr(store, "without_frames") and hasattr(store, "put_parsed_frames")


@dataclass
class FramesReport:
    missing: int = 0   # claims without a current frame when the pass started
    parsed: int = 0    # texts parsed (a text stored under several ids is parsed once)
    stored: int = 0    # frames written
    dropped: int = 0   # stale frames removed (other code or versions, claims removed)
    batches: int = 0
    stopped: bool = False  # `keep_going` said stop before the pass was complete


def fill_frames(store, reader, batch_size: int = DEFAULT_BATCH,
                write_lock: Callable[[], AbstractContextManager] | None = None,
                progress: Callable[[int], None] | None = None,
                keep_going: Callable[[], bool] | None = None, count: bool = True,
                drop_stale: bool = True) -> FramesReport:
    """Parse and store the frames of every stored claim that lacks one.

    reader: a factcheck.frames.FrameReader. write_lock: a fresh context manager per write (the
    CLI's file lock; the service adds its in-process lock). progress: called with the number of
    claims done after each batch. keep_going: asked before each batch (the service pauses while
    checks run, and stops on shutdown); False ends the pass, resumable. drop_stale: first forget
    frames no current reader uses (a scan of the table: the service does it once per process)."""
    lock = write_lock or nullcontext
    key = frames_key(reader.name)
    report = FramesReport()
    if drop_stale:
        with lock():
            report.dropped = store.drop_stale_frames(reader.name, key)
    if count:
        report.missing = store.count_without_frames(key)
    below = None
    while True:
        if keep_going is not None and not keep_going():
            report.stopped = True
            return report
        rows = store.without_frames(key, below, batch_size)
        if not rows:
            return report
        below = rows[-1][0]
        texts = sorted({text for _, _, text in rows})
        known = {t: f for t, f in reader.cache.lookup(texts).items() if f is not None}
        todo = [t for t in texts if t not in known]
        if todo:
            known.update(zip(todo, reader.read(todo)))
        report.parsed += len(todo)
        with lock():
            report.stored += store.put_parsed_frames([(cid, text, known[text]) for _, cid, text in rows], key)
        report.batches += 1
        if progress is not None:
            progress(len(rows))
