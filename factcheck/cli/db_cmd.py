"""`factcheck db ...`: the persistent claims database (default claims_db/, or a milvus:// URL)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import Backend, BackendOpt, ConfigOpt, Format, ModelOpt, emit, finite, settings_from

MAX_SEARCH_K = 10_000  # results printed by `db search`; more is never read, and FAISS sizes memory by k

app = typer.Typer(help="The claims database: add, frames, search, stats, verify, rebuild, remove, export, copy.",
                  no_args_is_help=True)
# A string, not a Path: Path() would fold milvus://host into milvus:/host and make it a folder.
DbOpt = typer.Option(None, "--db", help="Database directory, or milvus://HOST:PORT/COLLECTION (milvus+https:// for "
                     "TLS; token from env FACTCHECK_MILVUS_TOKEN). [default: env FACTCHECK_DB, else the config's "
                     "db, else claims_db/]")
IndexOpt = typer.Option(None, "--index", help="Index type: auto (flat, then ivf from --ann-threshold claims), flat, "
                        "ivf (IVF, half-precision vectors), ivf-flat (full precision), ivf-sq8 (8-bit, 4x "
                        "smaller, lower recall) or hnsw. Remembered for later adds.")


def _check_index_kind(kind: Optional[str]) -> None:
    """Before anything is created: a typo in --index must not leave an empty database behind."""
    from ..db.vindex import INDEX_KINDS  # no FAISS import: the table is plain data

    if kind is not None and kind not in INDEX_KINDS:
        import difflib

        close = difflib.get_close_matches(kind, list(INDEX_KINDS), n=1)
        raise FactcheckError(f"--index must be one of {', '.join(INDEX_KINDS)}; got '{kind}'"
                             + (f" (did you mean '{close[0]}'?)" if close else ""))


def _settings(db: Optional[str], config: Optional[Path], backend=None):
    """The same database (and model) compare and check would use: --db, env, config, claims_db/."""
    return settings_from(db=db, config=config, with_rules=False, backend=backend)


def _open(db: str, create: bool = False):
    from ..db.base import open_db

    return open_db(db, create=create)


def _check_path(db: str) -> None:
    """A directory --db is checked before any work (a URL is checked by connecting to it)."""
    from ..db.base import is_url

    if not is_url(db):
        from ..db.store import check_db_path

        check_db_path(db, create=True, write=True)



def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('ch') else 's')}"


@app.command()
def add(paths: List[Path] = typer.Argument(..., help="Articles (.txt/.md) or claim files (.yaml/.json/.jsonl), "
                                                     "directories or globs."),
        db: Optional[str] = DbOpt, model: Optional[str] = ModelOpt, backend: Optional[Backend] = BackendOpt,
        batch_size: int = typer.Option(256, "--batch-size", min=1, max=100_000, help="Claims per committed batch."),
        lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                           help="Seconds to wait for another writer."),
        ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold", min=1,
                                                    help="Use an approximate (IVF) index from this many claims "
                                                         "[default: 100000]."),
        index: Optional[str] = IndexOpt,
        config: Optional[Path] = ConfigOpt,
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display or summary.")) -> None:
    """Add claims; identical claims already stored are skipped, so re-running completes a killed add."""
    from ..db.base import writer_lock
    from ..db.ingest import add_claims, gather_claims
    from ..embedding import Encoder
    from ..progress import display

    _check_index_kind(index)
    settings = _settings(db, config, backend)
    db = settings.db
    _check_path(db)  # before reading anything: a bad --db wastes no work
    claims = list(gather_claims(paths))
    with writer_lock(db, lock_timeout):
        store = _open(db, create=True)
        if index is not None:
            store.set_index_kind(index)
        with display(quiet) as progress:
            with progress.task("adding claims", len(claims)) as advance:
                report = add_claims(store, Encoder(model or settings.model or store.model, backend=settings.backend),
                                    claims, batch_size, advance, ann_threshold)
        total = store.count()
        store.close()
    if not quiet:
        dup = f", {report.duplicates} repeated in the input" if report.duplicates else ""
        typer.echo(f"Added {_plural(report.added, 'claim')} ({report.skipped} already stored{dup}) in "
                   f"{_plural(report.batches, 'batch')}; {_plural(total, 'claim')} in {store.location}", err=True)


@app.command()
def search(text: str = typer.Argument(..., help="Text to look up."), db: Optional[str] = DbOpt,
           k: int = typer.Option(10, "-k", min=1, max=MAX_SEARCH_K,
                                 help="How many neighbours (at most the number of stored claims)."),
           where: Optional[List[str]] = typer.Option(None, "--where", help="Only claims whose FIELD (source, speaker, "
                                                      "date, id) is VALUE, or starts with PREFIX given as PREFIX*; "
                                                      "repeatable (all must hold). E.g. source=desk-07/*"),
           min_similarity: Optional[float] = typer.Option(None, "--min-similarity", min=-1.0, max=1.0,
                                                          callback=finite, help="Hide hits below this similarity."),
           fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
           backend: Optional[Backend] = BackendOpt, config: Optional[Path] = ConfigOpt) -> None:
    """Nearest stored claims, with similarity, source, speaker and date."""
    from ..db.base import parse_where
    from ..embedding import Encoder

    conditions = parse_where(where)  # bad input fails before the model loads
    settings = _settings(db, config, backend)
    store = _open(settings.db)
    enc = Encoder(store.model, backend=settings.backend)
    hits = store.search(enc.encode([text]), min(k, max(1, store.count())), min_similarity, conditions)[0]
    rows = [{"similarity": round(h.similarity, 4), **h.claim.to_dict()} for h in hits]
    if fmt == Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        who = f" [{row['speaker']}]" if row["speaker"] else ""
        when = f" {row['date']}" if row["date"] else ""
        typer.echo(f"{row['similarity']:.3f}  {row['source']}{when}{who}\n       {row['text']}")


@app.command()
def stats(db: Optional[str] = DbOpt, fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
          config: Optional[Path] = ConfigOpt) -> None:
    """Counts, model, index type and size, recall@10 of an approximate index."""
    out = _open(_settings(db, config).db).stats()
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
def verify(db: Optional[str] = DbOpt, config: Optional[Path] = ConfigOpt) -> None:
    """Check records, embeddings and index agree (counts and checksums). Exit 1 if they do not."""
    problems, notes = _open(_settings(db, config).db).verify()
    for n in notes:
        typer.echo(n)
    for p in problems:
        typer.echo(f"PROBLEM: {p}")
    typer.echo("OK" if not problems else f"{_plural(len(problems), 'problem')}; 'factcheck db rebuild' repairs "
               "index problems")
    if problems:
        raise typer.Exit(1)


@app.command()
def rebuild(db: Optional[str] = DbOpt,
            ann_threshold: Optional[int] = typer.Option(None, "--ann-threshold", min=1,
                                                        help="Approximate index from this many claims. "
                                                             "[default: 100000]"),
            index: Optional[str] = IndexOpt,
            lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                              help="Seconds to wait for another writer."),
            config: Optional[Path] = ConfigOpt) -> None:
    """Rebuild the index from stored embeddings (no re-encoding)."""
    from ..db.base import writer_lock

    _check_index_kind(index)
    db = _settings(db, config).db
    store = _open(db)
    with writer_lock(db, lock_timeout):
        said = store.rebuild(index, ann_threshold)
    typer.echo(said, err=True)


@app.command()
def remove(ids: List[str] = typer.Argument(..., help="Claim ids."), db: Optional[str] = DbOpt,
           lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                              help="Seconds to wait for another writer."),
           config: Optional[Path] = ConfigOpt) -> None:
    """Remove claims by id, then re-index."""
    from ..db.base import writer_lock

    db = _settings(db, config).db
    store = _open(db)
    with writer_lock(db, lock_timeout):
        n = store.remove(ids)
    typer.echo(f"removed {n} of {_plural(len(ids), 'claim')}", err=True)
    if n < len(ids):
        raise FactcheckError(f"{len(ids) - n} id(s) were not in the database", store.location)


@app.command()
def frames(db: Optional[str] = DbOpt,
           batch_size: int = typer.Option(256, "--batch-size", min=1, max=100_000,
                                          help="Claims parsed per committed batch."),
           lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                              help="Seconds to wait for another writer (per batch)."),
           config: Optional[Path] = ConfigOpt,
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display or summary.")) -> None:
    """Parse the frames of stored claims that have none yet, so checks never parse the archive.

    `db add` stores claims without parsing them (ingest runs at the encoder's speed); a check
    then reads each neighbour's frame from the database, and this pass puts it there ahead of
    time. Each batch is committed under the writer lock of `db add`, taken only to write, so both
    can run side by side; an interrupted pass is completed by running it again. `factcheck serve`
    does the same in the background."""
    from ..db.base import is_url, writer_lock
    from ..db.frames import fill_frames, frames_key, supports_frames
    from ..frames import check_parser, reader
    from ..progress import display

    settings = _settings(db, config)
    db = settings.db
    if is_url(db):
        raise FactcheckError("frames are kept by the embedded database only; a Milvus collection's claims are "
                             "parsed when a check first needs them", db)
    _check_path(db)
    if settings.parser:
        check_parser(settings.parser)
    store = _open(db)
    if not supports_frames(store):
        raise FactcheckError("this database keeps no frames", store.location)
    parser = reader(settings.parser)
    with display(quiet) as progress:
        missing = store.count_without_frames(frames_key(parser.name))
        with progress.task("claim frames", missing, unit="claims") as advance:
            report = fill_frames(store, parser, batch_size, lambda: writer_lock(db, lock_timeout), advance,
                                 count=False)
    store.close()
    if not quiet:
        dropped = f"; removed {_plural(report.dropped, 'stale frame')}" if report.dropped else ""
        if not missing:
            typer.echo(f"Every claim already has its frame{dropped}; {store.location}", err=True)
            return
        typer.echo(f"Stored {_plural(report.stored, 'frame')} of {_plural(missing, 'claim')} that had none "
                   f"({_plural(report.parsed, 'sentence')} parsed, {_plural(report.batches, 'batch')}){dropped}; "
                   f"{store.location}", err=True)


@app.command("export")
def export_(db: Optional[str] = DbOpt,
            output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
            config: Optional[Path] = ConfigOpt) -> None:
    """All claims as JSONL (no embeddings)."""
    from ..userfile import check_writable

    check_writable(output)
    store = _open(_settings(db, config).db)
    emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in store.records()), output)


@app.command()
def copy(src: str = typer.Argument(..., help="Database to read: a directory or milvus://HOST:PORT/COLLECTION."),
         dst: str = typer.Argument(..., help="Database to write (created if missing)."),
         batch_size: int = typer.Option(1000, "--batch-size", min=1, max=100_000, help="Claims per written batch."),
         lock_timeout: float = typer.Option(600, "--lock-timeout", min=0, callback=finite,
                                           help="Seconds to wait for another writer."),
         config: Optional[Path] = ConfigOpt,
         quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display or summary.")) -> None:
    """Copy every claim with its stored embedding to another database or backend (no re-encoding).
    Claims already in DST are skipped, so an interrupted copy is completed by running it again."""
    from ..db.base import writer_lock
    from ..db.copy import copy_db
    from ..progress import display

    _settings(None, config)  # a typo in the configuration is refused here as in every command
    _check_path(dst)  # before anything is read: a bad destination wastes no work
    source = _open(src)
    with writer_lock(dst, lock_timeout):
        target = _open(dst, create=True)
        with display(quiet) as progress:
            with progress.task("copying claims", source.count()) as advance:
                report = copy_db(source, target, batch_size, advance)
    if not quiet:
        typer.echo(f"Copied {_plural(report.copied, 'claim')} ({report.skipped} already there); all "
                   f"{_plural(report.source, 'claim')} of {source.location} are in {target.location} "
                   f"({_plural(report.target, 'claim')} there)", err=True)
