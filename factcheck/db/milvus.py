"""The Milvus backend: one collection per claims database, for archives one machine cannot hold.

`milvus://host:19530/collection` (gRPC, plain), `milvus+https://host:443/collection` (TLS);
`?db=NAME` picks a Milvus database. The token comes only from FACTCHECK_MILVUS_TOKEN and is never
printed. pymilvus is imported here, so only commands that open a Milvus store pay for it.

Why it is built this way:
- Writes are `upsert` by claim id, never `insert` (which would duplicate a retried batch), so a
  batch cut off by a crash or a lost connection is simply sent again.
- Reads use Strong consistency: `db add` in one process then `compare` in another sees every
  acknowledged claim (Session consistency only covers the writing client).
- `source` is the partition key: a desk's claims share partitions, so `--where source=desk-07/*`
  scans less, and desks spread over query nodes.
- The model and dimension live in the collection's description, so a different model is refused
  and a collection factcheck did not create is never written to.
"""
from __future__ import annotations

import json
import logging
import os
import re
from typing import Iterable, Iterator, Sequence
from urllib.parse import parse_qs, urlsplit

from ..claims import Claim
from ..errors import FactcheckError
from .base import APP_ID, Condition, Hit, Record
from .store import record_checksum

TOKEN_ENV = "FACTCHECK_MILVUS_TOKEN"
TIMEOUT_ENV = "FACTCHECK_MILVUS_TIMEOUT"
SCHEMA_VERSION = 1
DEFAULT_PORT = 19530
# Partitions of the `source` partition key, fixed when factcheck creates the collection. 64 spreads
# a large archive's desks over query nodes; a small one loads faster with few: on the test server
# a rebuild-and-load of a few hundred claims took 28 s with 64 partitions and 10 s with 4.
DEFAULT_PARTITIONS = 64
MAX_PARTITIONS = 1024
CONSISTENCY = "Strong"
# Field sizes are byte limits in Milvus; a longer value is refused before anything is written.
LIMITS = {"id": 512, "text": 65535, "source": 2048, "speaker": 1024, "date": 64, "tags": 8192}
SCALARS = ["id", "text", "source", "speaker", "date", "start", "end", "line", "tags", "added_at", "checksum"]
# --index -> Milvus index type and build params. HNSW (graph) is the default: recall@5 ~1.0 at
# 100k-200k claims, no training, and it stays good as segments are added.
INDEXES = {"auto": ("HNSW", {"M": 16, "efConstruction": 200}), "hnsw": ("HNSW", {"M": 16, "efConstruction": 200}),
           "flat": ("FLAT", {}), "ivf": ("IVF_FLAT", {"nlist": 1024}), "ivf-flat": ("IVF_FLAT", {"nlist": 1024}),
           "ivf-sq8": ("IVF_SQ8", {"nlist": 1024})}
SEARCH_PARAMS = {"HNSW": lambda k: {"ef": max(64, 2 * k)}, "IVF_FLAT": lambda k: {"nprobe": 32},
                 "IVF_SQ8": lambda k: {"nprobe": 32}, "FLAT": lambda k: {}}
QUERY_CHUNK = 256   # query vectors per search request: keeps each reply far below gRPC's message cap
ID_CHUNK = 1000     # ids per `id in [...]` lookup


def parse_url(url: str) -> tuple[str, str, str, str, int]:
    """milvus[+https]://host[:port]/collection[?db=NAME][&partitions=N] -> (client uri, collection,
    db name, shown, partitions of a collection factcheck creates)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if parts.username or parts.password:
        raise FactcheckError(f"credentials in a database URL are not accepted; set {TOKEN_ENV} instead")
    if not parts.hostname:
        raise FactcheckError("a Milvus URL needs a host: milvus://HOST:19530/COLLECTION", _shown(parts))
    try:
        port = parts.port or (443 if scheme == "milvus+https" else DEFAULT_PORT)
    except ValueError:
        raise FactcheckError("the port in the Milvus URL is not a number", _shown(parts))
    collection = parts.path.strip("/")
    if not collection:
        raise FactcheckError("name the collection: milvus://HOST:PORT/COLLECTION", _shown(parts))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,254}", collection):
        raise FactcheckError(f"'{collection}' is not a valid Milvus collection name (letters, digits and '_', "
                             "starting with a letter or '_')", _shown(parts))
    query = parse_qs(parts.query)
    unknown = set(query) - {"db", "partitions"}
    if unknown:
        raise FactcheckError(f"unknown Milvus URL parameter '{sorted(unknown)[0]}' (only ?db=NAME and "
                             "?partitions=N)", _shown(parts))
    db_name = query.get("db", [""])[0]
    raw = query.get("partitions", [str(DEFAULT_PARTITIONS)])[0]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PARTITIONS:
        raise FactcheckError(f"?partitions must be a whole number from 1 to {MAX_PARTITIONS}; got '{raw}'",
                             _shown(parts))
    uri = f"{'https' if scheme == 'milvus+https' else 'http'}://{parts.hostname}:{port}"
    return uri, collection, db_name, _shown(parts), int(raw)


def _shown(parts) -> str:
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def _expr_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expr(where: Sequence[Condition]) -> str:
    out = []
    for c in where:
        if c.prefix:
            if "%" in c.value:
                raise FactcheckError(f"--where on Milvus cannot match a literal '%' (in '{c.value}')")
            out.append(f"{c.field} like {_expr_str(c.value + '%')}")
        elif c.field == "source":
            # Milvus 2.3 routes upserted rows to a different partition than `source == x` prunes
            # to, so equality on the partition key misses them; a closed range is not pruned.
            out.append(f"({c.field} >= {_expr_str(c.value)} and {c.field} <= {_expr_str(c.value)})")
        else:
            out.append(f"{c.field} == {_expr_str(c.value)}")
    return " and ".join(out)


class MilvusStore:
    def __init__(self, url: str, create: bool = False) -> None:
        self.uri, self.collection, self.db_name, self.location, self.partitions = parse_url(url)
        self._client = None
        self._info: dict | None = None
        self._pending_kind: str | None = None
        self.timeout = float(os.environ.get(TIMEOUT_ENV, "60"))
        exists = self._call("open", lambda c: c.has_collection(self.collection))
        if exists:
            self._info = self._read_info()
        elif not create:
            raise FactcheckError("no claims database here; create one with 'factcheck db add'", self.location)

    # -- connection ---------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            try:
                from pymilvus import MilvusClient
            except ImportError:
                raise FactcheckError("the Milvus backend needs pymilvus: pip install 'pymilvus>=2.4'")
            # pymilvus logs every failed RPC with a traceback on stderr; the error reaches the user
            # once, as one line, from _call. (Its iterator also warns on every 2.3 server.)
            for name in ("pymilvus", "pymilvus.milvus_client"):
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
            token = os.environ.get(TOKEN_ENV, "")
            try:
                self._client = MilvusClient(uri=self.uri, token=token, db_name=self.db_name, timeout=self.timeout)
            except Exception as exc:  # pymilvus raises its own types and grpc's; none is a user bug here
                raise FactcheckError(f"cannot reach Milvus: {_reason(exc, token)}", self.location)
        return self._client

    def _call(self, what: str, fn):
        token = os.environ.get(TOKEN_ENV, "")
        try:
            return fn(self.client)
        except FactcheckError:
            raise
        except Exception as exc:
            raise FactcheckError(f"Milvus {what} failed: {_reason(exc, token)}; stored batches are kept, "
                                 "re-run to complete", self.location)

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:
                pass
            self._client = None

    # -- model binding ------------------------------------------------------------------------
    def _read_info(self) -> dict:
        desc = self._call("describe", lambda c: c.describe_collection(self.collection))
        try:
            info = json.loads(desc.get("description") or "")
        except ValueError:
            info = None
        if not isinstance(info, dict) or info.get("app") != APP_ID:
            raise FactcheckError("foreign Milvus collection (not written by factcheck); nothing was changed",
                                 self.location)
        fields = {f["name"]: f for f in desc.get("fields", [])}
        missing = [f for f in ["vec", *SCALARS] if f not in fields]
        if missing:
            raise FactcheckError(f"collection lacks field(s) {', '.join(missing)}; nothing was changed", self.location)
        info["_fields"] = fields
        return info

    @property
    def model(self) -> str | None:
        return self._info.get("model") if self._info else None

    @property
    def dim(self) -> int | None:
        return int(self._info["dim"]) if self._info else None

    def bind_model(self, model: str, dim: int) -> None:
        if self._info is None:
            self._create(model, dim)
        elif self.model != model or self.dim != dim:
            raise FactcheckError(f"database was built with model '{self.model}' (dim {self.dim}); refusing to add "
                                 f"vectors from '{model}' (dim {dim}). Use --model {self.model} or a new --db",
                                 self.location)

    def _create(self, model: str, dim: int) -> None:
        from pymilvus import DataType, MilvusClient

        desc = json.dumps({"app": APP_ID, "model": model, "dim": dim, "schema_version": SCHEMA_VERSION})
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False, description=desc)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=LIMITS["id"])
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("text", DataType.VARCHAR, max_length=LIMITS["text"])
        schema.add_field("source", DataType.VARCHAR, max_length=LIMITS["source"], is_partition_key=True)
        schema.add_field("speaker", DataType.VARCHAR, max_length=LIMITS["speaker"])
        schema.add_field("date", DataType.VARCHAR, max_length=LIMITS["date"])
        for f in ("start", "end", "line"):
            schema.add_field(f, DataType.INT64)
        # Tags as a JSON string, not a JSON field: Milvus 2.3 accepts only objects in JSON fields.
        schema.add_field("tags", DataType.VARCHAR, max_length=LIMITS["tags"])
        schema.add_field("added_at", DataType.DOUBLE)
        schema.add_field("checksum", DataType.VARCHAR, max_length=32)
        index_type, params = INDEXES[self._pending_kind or "auto"]
        ip = self.client.prepare_index_params()
        ip.add_index(field_name="vec", index_type=index_type, metric_type="IP", params=params)
        self._call("create collection", lambda c: c.create_collection(
            self.collection, schema=schema, index_params=ip, consistency_level=CONSISTENCY,
            num_partitions=self.partitions))
        self._pending_kind = None
        self._info = self._read_info()

    # -- writes -------------------------------------------------------------------------------
    def known_ids(self, ids: Sequence[str]) -> set[str]:
        if self._info is None:
            return set()
        out: set[str] = set()
        ids = list(ids)
        for i in range(0, len(ids), ID_CHUNK):
            chunk = ids[i:i + ID_CHUNK]
            rows = self._call("lookup", lambda c, chunk=chunk: c.query(self.collection, ids=chunk, output_fields=["id"],
                                                           consistency_level=CONSISTENCY, timeout=self.timeout))
            out.update(r["id"] for r in rows)
        return out

    def add_batch(self, claims: Sequence[Claim], vectors, added_at: Sequence[float] | None = None) -> int:
        import time

        import numpy as np

        vecs = np.ascontiguousarray(vectors, dtype="float32")
        known = self.known_ids([c.id for c in claims])
        times = list(added_at) if added_at is not None else [time.time()] * len(claims)
        rows, seen = [], set()
        for c, v, t in zip(claims, vecs, times):
            if c.id in known or c.id in seen:
                continue
            seen.add(c.id)
            rows.append(self._row(c, v, t))
        if rows:
            self._call("upsert", lambda cl: cl.upsert(self.collection, rows, timeout=self.timeout))
        return len(rows)

    def _row(self, c: Claim, v, added_at: float) -> dict:
        row = {"id": c.id, "vec": v.tolist(), "text": c.text, "source": c.source or "", "speaker": c.speaker or "",
               "date": c.date or "", "start": int(c.start or 0), "end": int(c.end or 0),
               "line": -1 if c.line is None else int(c.line), "tags": json.dumps(list(c.tags)),
               "added_at": float(added_at), "checksum": record_checksum(c.id, c.text, v.tobytes())}
        for f, limit in LIMITS.items():
            if len(row[f].encode()) > limit:
                raise FactcheckError(f"claim {c.id[:80]}: '{f}' is longer than Milvus' {limit}-byte field",
                                     c.file or c.source)
        return row

    def remove(self, ids: Iterable[str]) -> int:
        known = sorted(self.known_ids(list(ids)))
        for i in range(0, len(known), ID_CHUNK):
            chunk = known[i:i + ID_CHUNK]
            self._call("delete", lambda c, chunk=chunk: c.delete(self.collection, ids=chunk, timeout=self.timeout))
        return len(known)

    # -- reads --------------------------------------------------------------------------------
    def count(self) -> int:
        if self._info is None:
            return 0
        rows = self._call("count", lambda c: c.query(self.collection, filter="", output_fields=["count(*)"],
                                                      consistency_level=CONSISTENCY, timeout=self.timeout))
        return int(rows[0]["count(*)"]) if rows else 0

    def is_empty(self) -> bool:
        if self._info is None:
            return True
        rows = self._call("query", lambda c: c.query(self.collection, filter='id != ""', output_fields=["id"],
                                                      limit=1, consistency_level=CONSISTENCY, timeout=self.timeout))
        return not rows

    def _index(self) -> dict | None:
        names = self._call("describe index", lambda c: c.list_indexes(self.collection))
        if not names:
            return None
        return self._call("describe index", lambda c: c.describe_index(self.collection, names[0]))

    def search(self, vectors, k: int, min_similarity: float | None = None,
               where: Sequence[Condition] = ()) -> list[list[Hit]]:
        import numpy as np

        q = np.ascontiguousarray(vectors, dtype="float32")
        if self._info is None or not len(q):
            return [[] for _ in range(len(q))]
        ix = self._index()
        itype = (ix or {}).get("index_type", "FLAT")
        params = {"metric_type": "IP", "params": SEARCH_PARAMS.get(itype, lambda k: {})(k)}
        expr = filter_expr(where)
        out: list[list[Hit]] = []
        for i in range(0, len(q), QUERY_CHUNK):
            chunk = q[i:i + QUERY_CHUNK].tolist()
            res = self._call("search", lambda c, chunk=chunk: c.search(
                self.collection, data=chunk, limit=k, filter=expr, output_fields=SCALARS, search_params=params,
                consistency_level=CONSISTENCY, timeout=self.timeout))
            for row in res:
                hits = [Hit(_claim(h["entity"] | {"id": h["id"]}), float(h["distance"])) for h in row]
                out.append([h for h in hits if min_similarity is None or h.similarity >= min_similarity])
        return out

    def _iterate(self, fields: list[str], batch_size: int) -> Iterator[list[dict]]:
        """Pages in primary-key order (`id > last`, limit): Milvus returns a limited query sorted
        by key. Not pymilvus' query_iterator: on a 64-partition collection it made one round trip
        per partition even for 300 rows (64 pages, each a Strong read: 26 s against a server
        with the default 200 ms time tick; this way 1 page, 0.4 s)."""
        if self._info is None:
            return
        out = list(dict.fromkeys(["id", *fields]))
        last: str | None = None
        while True:
            expr = 'id != ""' if last is None else f"id > {_expr_str(last)}"
            batch = self._call("read", lambda c, expr=expr: c.query(
                self.collection, filter=expr, output_fields=out, limit=batch_size, consistency_level=CONSISTENCY,
                timeout=self.timeout))
            if not batch:
                return
            yield list(batch)
            if len(batch) < batch_size:
                return
            last = batch[-1]["id"]

    def records(self) -> Iterator[dict]:
        for batch in self._iterate(SCALARS, 1000):
            for r in batch:
                c = _claim(r)
                yield {"id": c.id, "text": c.text, "source": c.source, "speaker": c.speaker, "date": c.date,
                       "start": c.start, "end": c.end, "line": c.line, "tags": list(c.tags),
                       "added_at": r["added_at"]}

    def iter_batches(self, batch_size: int = 1000) -> Iterator[tuple[list[Record], object]]:
        import numpy as np

        for batch in self._iterate(["vec", *SCALARS], batch_size):
            yield ([Record(_claim(r), r["added_at"]) for r in batch],
                   np.asarray([r["vec"] for r in batch], dtype="float32"))

    # -- index and reports --------------------------------------------------------------------
    def set_index_kind(self, kind: str) -> None:
        if kind not in INDEXES:
            raise FactcheckError(f"--index must be one of {', '.join(INDEXES)}; got '{kind}'")
        self._pending_kind = kind

    def after_add(self, ann_threshold: int | None = None, added: int = 1) -> None:
        """Milvus indexes sealed segments itself and searches growing ones exactly; only a changed
        --index needs work here."""
        if self._pending_kind and self._info is not None:
            want = INDEXES[self._pending_kind][0]
            if (self._index() or {}).get("index_type") != want:
                self.rebuild(self._pending_kind)
            self._pending_kind = None

    def rebuild(self, kind: str | None = None, ann_threshold: int | None = None) -> str:
        if self._info is None:
            return "no index (empty database)"
        if kind is not None:
            self.set_index_kind(kind)
        current = self._index()
        if self._pending_kind is None and current:
            by_type = {v[0]: k for k, v in INDEXES.items() if k != "auto"}
            self._pending_kind = by_type.get(current.get("index_type"), "auto")
        index_type, params = INDEXES[self._pending_kind or "auto"]
        self._call("flush", lambda c: c.flush(self.collection, timeout=self.timeout))
        self._call("release", lambda c: c.release_collection(self.collection, timeout=self.timeout))
        if current:
            self._call("drop index", lambda c: c.drop_index(self.collection, current["index_name"],
                                                            timeout=self.timeout))
        ip = self.client.prepare_index_params()
        ip.add_index(field_name="vec", index_type=index_type, metric_type="IP", params=params)
        self._call("create index", lambda c: c.create_index(self.collection, ip, timeout=self.timeout))
        self._call("load", lambda c: c.load_collection(self.collection, timeout=max(self.timeout, 600)))
        self._pending_kind = None
        return f"rebuilt {index_type} index over {self.count()} claims"

    def stats(self) -> dict:
        n = self.count()
        ix = self._index() if self._info is not None else None
        load = self._call("load state", lambda c: c.get_load_state(self.collection)) if self._info else {}
        ix = ix or {}
        counts = ("total_rows", "indexed_rows", "pending_index_rows")
        params = {k: v for k, v in ix.items() if k not in ("field_name", "index_name", "metric_type", "index_type",
                                                           "state", *counts)}
        return {"backend": "milvus", "location": self.location, "claims": n, "model": self.model, "dim": self.dim,
                "index": {"type": ix.get("index_type"), "metric": ix.get("metric_type"), "params": params,
                          **{k: int(ix[k]) for k in counts if k in ix},
                          "load_state": str(load.get("state", "")).split(".")[-1].rstrip(">")},
                "consistency": CONSISTENCY, "partition_key": "source",
                "server": self._call("version", lambda c: c.get_server_version())}

    def verify(self) -> tuple[list[str], list[str]]:
        problems: list[str] = []
        notes: list[str] = []
        if self._info is None:
            return ["no collection"], notes
        fields = self._info["_fields"]
        vdim = int(fields["vec"].get("params", {}).get("dim", 0))
        if vdim != self.dim:
            problems.append(f"vector field has dim {vdim}, the collection records dim {self.dim}")
        ix = self._index()
        if ix is None:
            problems.append("no vector index; 'factcheck db rebuild' creates one")
        elif ix.get("metric_type") != "IP":
            problems.append(f"vector index uses metric {ix.get('metric_type')}, factcheck needs IP")
        state = str(self._call("load state", lambda c: c.get_load_state(self.collection)).get("state", ""))
        if "Loaded" not in state:
            problems.append(f"collection is not loaded ({state}); 'factcheck db rebuild' loads it")
            return problems, notes
        counted = self.count()
        seen: set[str] = set()
        rows = dups = 0
        bad: list[str] = []
        import numpy as np

        for batch in self._iterate(["vec", "id", "text", "checksum"], 2000):
            for r in batch:
                rows += 1
                if r["id"] in seen:
                    dups += 1
                seen.add(r["id"])
                v = np.asarray(r["vec"], dtype="float32")
                if len(bad) < 10 and (len(v) != self.dim or record_checksum(r["id"], r["text"], v.tobytes())
                                      != r["checksum"]):
                    bad.append(r["id"])
        notes.append(f"{counted} claims; model {self.model} (dim {self.dim}); index "
                     f"{(ix or {}).get('index_type')}; consistency {CONSISTENCY}")
        if rows != counted:
            problems.append(f"count(*) says {counted} claims but {rows} were read")
        if dups:
            problems.append(f"{dups} duplicate claim ids")
        if bad:
            problems.append(f"{len(bad)}{'+' if len(bad) >= 10 else ''} records fail their checksum (e.g. {bad[0]})")
        return problems, notes



def _claim(r: dict) -> Claim:
    tags = r.get("tags") or "[]"
    try:
        tags = tuple(json.loads(tags))
    except ValueError:
        tags = ()
    line = r.get("line")
    return Claim(text=r["text"], source=r.get("source", ""), speaker=r.get("speaker") or None,
                 date=r.get("date") or None, id=r["id"], start=r.get("start") or 0, end=r.get("end") or 0,
                 line=None if line is None or line < 0 else int(line), tags=tags)


def _reason(exc: Exception, token: str) -> str:
    """One line from a pymilvus/grpc error, with the token scrubbed should a server echo it."""
    msg = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    msg = " ".join(str(msg).split())[:300]
    return msg.replace(token, "***") if token else msg
