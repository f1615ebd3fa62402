"""The one interface every verifier backend offers, and the directory reading they share.

A backend turns (premise, hypothesis) text pairs into P(contradiction), in batches, with nothing
else: caching, calibration and combination with the rules sit above it and are backend-free.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Protocol, Sequence

from ..errors import FactcheckError

CONTRADICTION = "contradiction"


class Backend(Protocol):
    name: str
    fingerprint: str   # changes when the model's weights, tokenizer or head change: keys the score cache
    symmetric: bool    # True only when config.json says the model reads both orders alike
    batch_size: int
    calls: int         # model invocations so far (one per batch): lets tests and -v see batching

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(contradiction) of each (premise, hypothesis), in order."""
        ...


def read_config(directory: Path) -> dict:
    path = directory / "config.json"
    if not path.is_file():
        raise FactcheckError("verifier directory has no config.json (it must name the labels in id2label)",
                             str(directory))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise FactcheckError("config.json is not UTF-8 text", str(path))
    except json.JSONDecodeError as exc:
        raise FactcheckError(f"invalid JSON: {exc.msg}", str(path), exc.lineno, exc.colno)
    if not isinstance(data, dict):
        raise FactcheckError("config.json must hold a JSON object", str(path))
    return data


def contradiction_index(config: dict, where: str, num_outputs: int | None = None) -> tuple[int, int]:
    """(index of the label named 'contradiction', number of labels) from config.json's id2label."""
    id2label = config.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise FactcheckError("config.json needs id2label, e.g. {\"0\": \"entailment\", \"1\": \"neutral\", "
                             "\"2\": \"contradiction\"}", where)
    try:
        labels = {int(k): str(v).strip().lower() for k, v in id2label.items()}
    except (TypeError, ValueError):
        raise FactcheckError("id2label keys must be class indices (\"0\", \"1\", ...)", where)
    if sorted(labels) != list(range(len(labels))) or len(labels) not in (2, 3):
        raise FactcheckError(f"id2label must number 2 or 3 classes from 0, got {sorted(labels)}", where)
    hits = [k for k, v in labels.items() if v == CONTRADICTION]
    if len(hits) != 1:
        raise FactcheckError(f"id2label must name exactly one class 'contradiction', got {list(labels.values())}",
                             where)
    if num_outputs is not None and num_outputs != len(labels):
        raise FactcheckError(f"the model outputs {num_outputs} classes but id2label names {len(labels)}", where)
    return hits[0], len(labels)


def file_digest(path: Path, edge: int = 1 << 20) -> str:
    """Size plus the first and last MiB: tells model files apart without reading 100 MB each run."""
    h = hashlib.sha256()
    size = path.stat().st_size
    h.update(str(size).encode())
    with path.open("rb") as fh:
        h.update(fh.read(edge))
        if size > edge:
            fh.seek(max(edge, size - edge))
            h.update(fh.read(edge))
    return h.hexdigest()


def softmax_column(logits, column: int) -> list[float]:
    import numpy as np

    z = np.asarray(logits, dtype="float64")
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return [float(x) for x in e[:, column] / e.sum(axis=1)]
