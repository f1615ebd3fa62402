"""The torch backend: sentence-transformers, loaded offline (the reference the ONNX export is
measured against, and what `factcheck model export` exports)."""
from __future__ import annotations

import gc
import os
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..errors import FactcheckError


def resolve_model(name_or_path: str) -> str:
    """A model reference -> something SentenceTransformer can load without the network: a
    directory, or a Python package that ships the model (`get_model_path()`), or a cached name."""
    if Path(name_or_path).expanduser().is_dir():
        return str(Path(name_or_path).expanduser().resolve())
    module = name_or_path.replace("-", "_")
    try:
        import importlib

        pkg = importlib.import_module(module)
        getter = getattr(pkg, "get_model_path", None)
        if getter is not None:
            return str(getter())
    except ImportError:
        pass
    return name_or_path


class SentenceTransformerEncoder:
    backend = "torch"

    def __init__(self, ref: str, batch_size: int = 32) -> None:
        self.name = ref
        self.batch_size = batch_size
        self._model = load_sentence_transformer(resolve_model(ref))
        getdim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getdim())

    def encode(self, texts: Sequence[str], progress: bool = False):
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        vecs = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype="float32")


@lru_cache(maxsize=4)
def load_sentence_transformer(resolved: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:
        pass
    try:
        model = SentenceTransformer(resolved, device="cpu")
    except Exception as exc:  # the library raises many types for "not there"
        raise FactcheckError(f"cannot load embedding model {resolved!r} offline: {exc.__class__.__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''}")
    # torch and transformers leave ~450k long-lived objects behind; without this every full
    # garbage collection walks them all, which cost ~0.25 s per 5,000 judged pairs.
    gc.freeze()
    return model
