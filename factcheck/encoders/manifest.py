"""Where ONNX exports live and what their manifest records.

An export is a directory: `model.onnx` (int8), `tokenizer.json`, `manifest.json`. The manifest
says what it was made from (model name, file hash), how to pool (mean over the attention mask, then
L2 normalisation, as the sentence-transformers model does) and how close it came to the
reference vectors, so a stale or foreign export is refused instead of silently giving other vectors.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import FactcheckError

MANIFEST = "manifest.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    source_model: str
    source_hash: str
    source_size: int
    dim: int
    pooling: str = "mean"
    normalize: bool = True
    max_seq_length: int = 256
    quantization: str = "dynamic int8, per channel; feed-forward output projections kept float"
    cosine_min: float = 0.0
    cosine_mean: float = 0.0
    reference_sentences: int = 0
    exported_with: dict = field(default_factory=dict)
    format: int = FORMAT


def cache_root() -> Path:
    """FACTCHECK_CACHE, else the user cache directory (platformdirs)."""
    env = os.environ.get("FACTCHECK_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("factcheck"))


def cache_dir_for(ref: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(ref).name if Path(ref).is_dir() else ref).strip("_") or "model"
    return cache_root() / "models" / f"{slug}-onnx-int8"


def is_export(path: Path) -> bool:
    return (path / MANIFEST).is_file() and (path / MODEL_FILE).is_file() and (path / TOKENIZER_FILE).is_file()


def read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Manifest.__dataclass_fields__}
        return Manifest(**known)
    except (OSError, ValueError, TypeError) as exc:
        raise FactcheckError(f"unreadable ONNX manifest: {exc}", str(path / MANIFEST))


def write_manifest(path: Path, manifest: Manifest) -> None:
    (path / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")


def source_weights(resolved_dir: Path) -> Path | None:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (resolved_dir / name).is_file():
            return resolved_dir / name
    return None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_onnx_model(ref: str) -> Path | None:
    """The export to use for `ref`: `ref` itself when it is an export directory, else the cached
    export of that model if it is still current (same weights file size; hash checked on doubt)."""
    p = Path(ref).expanduser()
    if p.is_dir() and is_export(p):
        return p
    cached = cache_dir_for(ref)
    if not is_export(cached):
        return None
    manifest = read_manifest(cached)
    if manifest.format != FORMAT or manifest.source_model != ref:
        return None
    from .st_backend import resolve_model

    resolved = Path(resolve_model(ref))
    weights = source_weights(resolved) if resolved.is_dir() else None
    if weights is None:
        return cached  # the source is gone (e.g. only the export was copied here): trust the export
    if weights.stat().st_size != manifest.source_size:
        return None
    return cached
