"""`factcheck db ...`: the persistent claims database (default claims_db/, or a milvus:// URL)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import Format, ModelOpt, emit

app = typer.Typer(help="The claims database: add, search, stats, verify, rebuild, remove, export, copy.",
                  no_args_is_help=True)
# A string, not a Path: Path() would fold milvus://host into milvus:/host and make it a folder.
DbOpt = typer.Option("claims_db", "--db", envvar="FACTCHECK_DB",
                     help="Database directory, or milvus://HOST:PORT/COLLECTION (milvus+https:// for TLS; token "
                          "from env FACTCHECK_MILVUS_TOKEN) (env FACTCHECK_DB).")
IndexOpt = typer.Option(None, "--index", help="Index type: auto (flat, then ivf from --ann-threshold claims), flat, "
                        "ivf (IVF, half-precision vectors), ivf-flat (full precision), ivf-sq8 (8-bit, 4x "
                        "smaller, lower recall) or hnsw. Remembered for later adds.")


def _open(db: str, create: bool = False):
    from ..db.base import open_db

    return open_db(db, create=create)


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
        db: str = DbOpt, model: Optional[str] = ModelOpt,
        batch_size: int = typer.Option(256, "--batch-size", min=1, help="Claims per committed batch."),
        lock_timeout: float = typer.Option(600, "--lock-timeout", help="Seconds to wait for another writer."),
        ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold",
                                                    help="Use an approximate (IVF) index from this many claims "
                                                         "[default: 100000]."),
        index: Optional[str] = IndexOpt,
        quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Add claims; identical claims already stored are skipped, so re-running completes a killed add."""
    from ..db.base import writer_lock
    from ..db.ingest import add_claims, gather_claims
    from ..embedding import Encoder

    claims = list(gather_claims(paths))
    with writer_lock(db, lock_timeout):
        store = _open(db, create=True)
        if index is not None:
            store.set_index_kind(index)
        bar, advance = _progress(len(claims), "adding claims", quiet)
        try:
            report = add_claims(store, Encoder(model or store.model), claims, batch_size, advance, ann_threshold)
        finally:
            if bar:
                bar.stop()
        total = store.count()
        store.close()
    if not quiet:
        typer.echo(f"added {report.added} claims ({report.skipped} already stored) in {report.batches} batches; "
                   f"{total} claims in {store.location}", err=True)


@app.command()
def search(text: str = typer.Argument(..., help="Text to look up."), db: str = DbOpt,
           k: int = typer.Option(10, "-k", min=1),
           where: Optional[List[str]] = typer.Option(None, "--where", help="Only claims whose FIELD (source, speaker, "
                                                      "date, id) is VALUE, or starts with PREFIX given as PREFIX*; "
                                                      "repeatable (all must hold). E.g. source=desk-07/*"),
           min_similarity: Optional[float] = typer.Option(None, "--min-similarity", min=-1.0, max=1.0,
                                                          help="Hide hits below this similarity."),
           fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """Nearest stored claims, with similarity, source, speaker and date."""
    from ..db.base import parse_where
    from ..embedding import Encoder

    conditions = parse_where(where)  # bad input fails before the model loads
    store = _open(db)
    enc = Encoder(store.model)
    hits = store.search(enc.encode([text]), k, min_similarity, conditions)[0]
    rows = [{"similarity": round(h.similarity, 4), **h.claim.to_dict()} for h in hits]
    if fmt == Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        who = f" [{row['speaker']}]" if row["speaker"] else ""
        when = f" {row['date']}" if row["date"] else ""
        typer.echo(f"{row['similarity']:.3f}  {row['source']}{when}{who}\n       {row['text']}")


@app.command()
def stats(db: str = DbOpt, fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """Counts, model, index type and size, recall@10 of an approximate index."""
    out = _open(db).stats()
    if fmt == Format.json:
        typer.echo(json.dumps(out, indent=2))
        return
    ix = out["index"]
    if out.get("backend") == "milvus":
        typer.echo(f"claims: {out['claims']}\nmodel: {out['model']} (dim {out['dim']})\nindex: {ix['type']} "
                   f"{ix['params']} ({ix['load_state']})\nserver: {out['location']} ({out['server']}), "
                   f"consistency {out['consistency']}, partition key {out['partition_key']}")
        return
    n, disk = out["claims"], out["bytes_on_disk"]
    typer.echo(f"claims: {n}\nmodel: {out['model']} (dim {out['dim']})\nindex: {ix['type']} "
               f"({ix['indexed']} indexed, {ix['not_indexed']} searched exactly; recall@10 {ix['recall_at_10']} "
               f"measured at {ix['recall_measured_at']} claims)\n"
               f"disk: {disk} bytes ({out['bytes_per_claim']} per claim)")


@app.command()
def verify(db: str = DbOpt) -> None:
    """Check records, embeddings and index agree (counts and checksums). Exit 1 if they do not."""
    problems, notes = _open(db).verify()
    for n in notes:
        typer.echo(n)
    for p in problems:
        typer.echo(f"PROBLEM: {p}")
    typer.echo("OK" if not problems else f"{len(problems)} problem(s); 'factcheck db rebuild' repairs index problems")
    if problems:
        raise typer.Exit(1)


@app.command()
def rebuild(db: str = DbOpt, ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold"),
            index: Optional[str] = IndexOpt, lock_timeout: float = typer.Option(600, "--lock-timeout")) -> None:
    """Rebuild the index from stored embeddings (no re-encoding)."""
    from ..db.base import writer_lock

    store = _open(db)
    with writer_lock(db, lock_timeout):
        said = store.rebuild(index, ann_threshold)
    typer.echo(said, err=True)


@app.command()
def remove(ids: List[str] = typer.Argument(..., help="Claim ids."), db: str = DbOpt,
           lock_timeout: float = typer.Option(600, "--lock-timeout")) -> None:
    """Remove claims by id, then re-index."""
    from ..db.base import writer_lock

    store = _open(db)
    with writer_lock(db, lock_timeout):
        n = store.remove(ids)
    typer.echo(f"removed {n} of {len(ids)} claims", err=True)
    if n < len(ids):
        raise FactcheckError(f"{len(ids) - n} id(s) were not in the database", store.location)


@app.command("export")
def export_(db: str = DbOpt, output: Optional[Path] = typer.Option(None, "--output", "-o")) -> None:
    """All claims as JSONL (no embeddings)."""
    store = _open(db)
    emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in store.records()), output)


@app.command()
def copy(src: str = typer.Argument(..., help="Database to read: a directory or milvus://HOST:PORT/COLLECTION."),
         dst: str = typer.Argument(..., help="Database to write (created if missing)."),
         batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Claims per written batch."),
         lock_timeout: float = typer.Option(600, "--lock-timeout"),
         quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Copy every claim with its stored embedding to another database or backend (no re-encoding).
    Claims already in DST are skipped, so an interrupted copy is completed by running it again."""
    from ..db.base import writer_lock
    from ..db.copy import copy_db

    source = _open(src)
    with writer_lock(dst, lock_timeout):
        target = _open(dst, create=True)
        bar, advance = _progress(source.count(), "copying claims", quiet)
        try:
            report = copy_db(source, target, batch_size, advance)
        finally:
            if bar:
                bar.stop()
    if not quiet:
        typer.echo(f"copied {report.copied} claims ({report.skipped} already there); all {report.source} claims of "
                   f"{source.location} are in {target.location} ({report.target} claims there)", err=True)
