"""`factcheck db ...`: the persistent claims database (default claims_db/)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import Backend, BackendOpt, Format, ModelOpt, configured_backend, emit, finite

MAX_SEARCH_K = 10_000  # results printed by `db search`; more is never read, and FAISS sizes memory by k

app = typer.Typer(help="The claims database: add, search, stats, verify, rebuild, remove, export.",
                  no_args_is_help=True)
DbOpt = typer.Option(Path("claims_db"), "--db", envvar="FACTCHECK_DB", help="Database directory (env FACTCHECK_DB).")
IndexOpt = typer.Option(None, "--index", help="Index type: auto (flat, then ivf from --ann-threshold claims), flat, "
                        "ivf (IVF, half-precision vectors), ivf-flat (full precision), ivf-sq8 (8-bit, 4x "
                        "smaller, lower recall) or hnsw. Remembered for later adds.")


def _check_index_kind(kind: Optional[str]) -> None:
    from ..db.vindex import INDEX_KINDS  # no FAISS import: the table is plain data

    if kind is not None and kind not in INDEX_KINDS:
        raise FactcheckError(f"--index must be one of {', '.join(INDEX_KINDS)}; got '{kind}'")


def _index_kind(store, kind: Optional[str]) -> None:
    if kind is None:
        return
    _check_index_kind(kind)
    store.set_index_kind(kind)


def _open(db: Path, create: bool = False):
    from ..db.store import ClaimStore

    return ClaimStore(db, create=create)


def _progress(total: int, label: str, quiet: bool):
    """A progress bar on a terminal; nothing when piped or --quiet."""
    if quiet or not sys.stderr.isatty() or total < 50:
        return None, lambda n: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task(label, total=total)
    bar.start()
    return bar, lambda n: bar.advance(task, n)


@app.command()
def add(paths: List[Path] = typer.Argument(..., help="Articles (.txt/.md) or claim files (.yaml/.json/.jsonl), "
                                                     "directories or globs."),
        db: Path = DbOpt, model: Optional[str] = ModelOpt, backend: Optional[Backend] = BackendOpt,
        batch_size: int = typer.Option(256, "--batch-size", min=1, max=100_000, help="Claims per committed batch."),
        lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                           help="Seconds to wait for another writer."),
        ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold", min=1,
                                                    help="Use an approximate (IVF) index from this many claims "
                                                         "[default: 100000]."),
        index: Optional[str] = IndexOpt,
        quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Add claims; identical claims already stored are skipped, so re-running completes a killed add."""
    from ..db.ingest import add_claims, gather_claims, writer_lock
    from ..db.store import check_db_path
    from ..embedding import Encoder

    _check_index_kind(index)
    check_db_path(db, create=True, write=True)  # before reading anything: a bad --db wastes no work
    claims = list(gather_claims(paths))
    with writer_lock(db, lock_timeout):
        store = _open(db, create=True)
        _index_kind(store, index)
        bar, advance = _progress(len(claims), "adding claims", quiet)
        try:
            report = add_claims(store, Encoder(model or store.model, backend=configured_backend(backend)), claims, batch_size, advance, ann_threshold)
        finally:
            if bar:
                bar.stop()
        total = store.count()
    if not quiet:
        typer.echo(f"added {report.added} claims ({report.skipped} already stored) in {report.batches} batches; "
                   f"{total} claims in {db}", err=True)


@app.command()
def search(text: str = typer.Argument(..., help="Text to look up."), db: Path = DbOpt,
           k: int = typer.Option(10, "-k", min=1, max=MAX_SEARCH_K,
                                 help="Results to show (at most the number of stored claims)."), fmt: Format = typer.Option(Format.text, "--format", "-f"),
           backend: Optional[Backend] = BackendOpt) -> None:
    """Nearest stored claims, with similarity, source, speaker and date."""
    from ..db.vindex import VectorIndex
    from ..embedding import Encoder

    store = _open(db)
    enc = Encoder(store.model, backend=configured_backend(backend))
    hits = VectorIndex(store).search(enc.encode([text]), min(k, max(1, store.max_rowid())))[0]
    found = store.get([r for r, _ in hits])
    rows = [{"similarity": round(s, 4), **found[r].claim.to_dict()} for r, s in hits if r in found]
    if fmt == Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        who = f" [{row['speaker']}]" if row["speaker"] else ""
        when = f" {row['date']}" if row["date"] else ""
        typer.echo(f"{row['similarity']:.3f}  {row['source']}{when}{who}\n       {row['text']}")


@app.command()
def stats(db: Path = DbOpt, fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """Counts, model, index type and size, recall@10 of an approximate index."""
    from ..db.vindex import INDEX_FILE, read_meta

    store = _open(db)
    meta = read_meta(store.dir)
    n = store.count()
    sizes = {p.name: p.stat().st_size for p in store.dir.iterdir() if p.is_file()}
    disk = sum(v for k, v in sizes.items() if k.startswith("claims.sqlite") or k == INDEX_FILE)
    out = {"claims": n, "model": store.model, "dim": store.dim,
           "index": {"type": meta.type if meta else None, "indexed": meta.count if meta else 0,
                     "not_indexed": n - (meta.count if meta else 0) if meta else n,
                     "recall_at_10": meta.recall_at_10 if meta else None,
                     "recall_measured_at": meta.recall_measured_at if meta else 0,
                     "nlist": meta.nlist if meta else 0, "nprobe": meta.nprobe if meta else 0,
                     "bytes": sizes.get(INDEX_FILE, 0)},
           "bytes_on_disk": disk, "bytes_per_claim": round(disk / n, 1) if n else None}
    if fmt == Format.json:
        typer.echo(json.dumps(out, indent=2))
        return
    ix = out["index"]
    typer.echo(f"claims: {n}\nmodel: {out['model']} (dim {out['dim']})\nindex: {ix['type']} "
               f"({ix['indexed']} indexed, {ix['not_indexed']} searched exactly; recall@10 {ix['recall_at_10']} "
               f"measured at {ix['recall_measured_at']} claims)\n"
               f"disk: {disk} bytes ({out['bytes_per_claim']} per claim)")


@app.command()
def verify(db: Path = DbOpt) -> None:
    """Check records, embeddings and index agree (counts and checksums). Exit 1 if they do not."""
    from ..db.verify import verify_db

    problems, notes = verify_db(_open(db))
    for n in notes:
        typer.echo(n)
    for p in problems:
        typer.echo(f"PROBLEM: {p}")
    typer.echo("OK" if not problems else f"{len(problems)} problem(s); 'factcheck db rebuild' repairs index problems")
    if problems:
        raise typer.Exit(1)


@app.command()
def rebuild(db: Path = DbOpt, ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold", min=1),
            index: Optional[str] = IndexOpt,
            lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite)) -> None:
    """Rebuild the index from stored embeddings (no re-encoding)."""
    from ..db.ingest import writer_lock
    from ..db.vindex import build_index

    _check_index_kind(index)
    store = _open(db)
    with writer_lock(db, lock_timeout):
        _index_kind(store, index)
        meta = build_index(store, **({"ann_threshold": ann_threshold} if ann_threshold else {}))
    typer.echo(f"rebuilt {meta.type if meta else 'no'} index over {meta.count if meta else 0} claims", err=True)


@app.command()
def remove(ids: List[str] = typer.Argument(..., help="Claim ids."), db: Path = DbOpt,
           lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite)) -> None:
    """Remove claims by id, then re-index."""
    from ..db.ingest import writer_lock
    from ..db.vindex import build_index

    store = _open(db)
    with writer_lock(db, lock_timeout):
        n = store.remove(ids)
        build_index(store)
    typer.echo(f"removed {n} of {len(ids)} claims", err=True)
    if n < len(ids):
        raise FactcheckError(f"{len(ids) - n} id(s) were not in the database", str(db))


@app.command("export")
def export_(db: Path = DbOpt, output: Optional[Path] = typer.Option(None, "--output", "-o")) -> None:
    """All claims as JSONL (no embeddings)."""
    from ..userfile import check_writable

    check_writable(output)
    store = _open(db)
    emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in store.records()), output)
