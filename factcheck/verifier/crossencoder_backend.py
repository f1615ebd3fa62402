"""A sentence-transformers CrossEncoder directory (torch), loaded offline and only when asked."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Sequence

from ..errors import FactcheckError
from .base import contradiction_index, file_digest, read_config, softmax_column

WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def weights_file(directory: Path) -> Path | None:
    return next((directory / w for w in WEIGHTS if (directory / w).is_file()), None)


class CrossEncoderBackend:
    name = "cross-encoder"

    def __init__(self, directory: Path, batch_size: int = 32) -> None:
        for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                           ("TOKENIZERS_PARALLELISM", "false"), ("TRANSFORMERS_VERBOSITY", "error")):
            os.environ.setdefault(key, value)
        from sentence_transformers import CrossEncoder

        self.batch_size = batch_size
        self.calls = 0
        config = read_config(directory)
        self.column, self.classes = contradiction_index(config, str(directory / "config.json"))
        max_length = config.get("max_length")
        try:
            self.model = CrossEncoder(str(directory), device="cpu", local_files_only=True,
                                      max_length=max_length if isinstance(max_length, int) else None)
        except Exception as exc:  # the library raises many types for "not there"
            raise FactcheckError(f"cannot load CrossEncoder offline: {exc.__class__.__name__}: "
                                 f"{str(exc).splitlines()[0][:200] if str(exc) else ''}", str(directory))
        if getattr(self.model, "num_labels", self.classes) != self.classes:
            raise FactcheckError(f"the model has {self.model.num_labels} outputs but id2label names {self.classes}",
                                 str(directory / "config.json"))
        self.symmetric = bool(config.get("symmetric", False))
        weights = weights_file(directory)
        self.fingerprint = hashlib.sha256("\0".join([
            self.name, file_digest(weights) if weights else str(directory.resolve()), str(self.column),
            str(max_length)]).encode()).hexdigest()[:32]

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        out: list[float] = []
        for start in range(0, len(pairs), self.batch_size):
            chunk = [list(p) for p in pairs[start:start + self.batch_size]]
            logits = self.model.predict(chunk, batch_size=len(chunk), show_progress_bar=False,
                                        convert_to_numpy=True, activation_fn=_identity())
            self.calls += 1
            out += softmax_column(logits, self.column)
        return out


def _identity():
    import torch

    return torch.nn.Identity()
