"""Sentence encoders behind one small interface, chosen by `--backend`.

Two backends produce the same vectors (cosine >= 0.99, measured at export and recorded in the
manifest): `onnx` (onnxruntime + tokenizers, int8; imports in ~0.1 s, the default once exported)
and `torch` (sentence-transformers; ~4 s to import). Everything above this package sees only
`load_encoder(...)` and the `Encoder` protocol.
"""
from __future__ import annotations

from .base import BACKENDS, DEFAULT_MODEL, Encoder, load_encoder

__all__ = ["BACKENDS", "DEFAULT_MODEL", "Encoder", "load_encoder"]
