"""ONNX export of an NLI cross-encoder, run by onnxruntime with a `tokenizers` tokenizer.

Layout: model.onnx (or onnx/model.onnx), tokenizer.json, config.json with id2label. Many exports
fix the sequence length in the graph (int8 exports especially); feeding any other length fails,
so the length comes from the graph's static dimension first, then config.json's max_length.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Sequence

from ..errors import FactcheckError
from .base import contradiction_index, file_digest, read_config, softmax_column

DEFAULT_MAX_LENGTH = 512
_PAD_TOKENS = ("[PAD]", "<pad>", "<PAD>")


def model_file(directory: Path) -> Path | None:
    for rel in ("model.onnx", "onnx/model.onnx"):
        if (directory / rel).is_file():
            return directory / rel
    return None


class OnnxBackend:
    name = "onnx"

    def __init__(self, directory: Path, batch_size: int = 32, threads: int | None = None) -> None:
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._np = np
        self.batch_size = batch_size
        self.calls = 0
        path = model_file(directory)
        if path is None:
            raise FactcheckError("no model.onnx in the verifier directory", str(directory))
        config = read_config(directory)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.log_severity_level = 3
        # No busy-waiting between ops: on a shared CPU spinning threads only steal time from others.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors for a bad file
            raise FactcheckError(f"cannot load ONNX model: {str(exc).splitlines()[0][:200]}", str(path))
        inputs = {i.name: i for i in self.session.get_inputs()}
        unknown = set(inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if "input_ids" not in inputs or unknown:
            raise FactcheckError(f"ONNX inputs must be input_ids [, attention_mask, token_type_ids], got "
                                 f"{sorted(inputs)}", str(path))
        self._inputs = {n: (np.int32 if "int32" in i.type else np.int64) for n, i in inputs.items()}
        dims = inputs["input_ids"].shape
        self.static_length = dims[1] if len(dims) == 2 and isinstance(dims[1], int) and dims[1] > 0 else None
        cfg_len = config.get("max_length")
        if cfg_len is not None and (not isinstance(cfg_len, int) or cfg_len < 8):
            raise FactcheckError("config.json max_length must be an integer >= 8", str(directory / "config.json"))
        self.max_length = self.static_length or cfg_len or DEFAULT_MAX_LENGTH
        out = self.session.get_outputs()[0]
        width = out.shape[-1] if out.shape and isinstance(out.shape[-1], int) else None
        self.column, self.classes = contradiction_index(config, str(directory / "config.json"), width)
        self._output = out.name
        self.symmetric = bool(config.get("symmetric", False))

        tok_path = directory / "tokenizer.json"
        if not tok_path.is_file():
            raise FactcheckError("no tokenizer.json in the verifier directory", str(directory))
        try:
            self.tokenizer = Tokenizer.from_file(str(tok_path))
        except Exception as exc:
            raise FactcheckError(f"cannot read tokenizer: {str(exc).splitlines()[0][:200]}", str(tok_path))
        padding = self.tokenizer.padding
        self.pad_id = config.get("pad_token_id")
        if not isinstance(self.pad_id, int):
            self.pad_id = padding["pad_id"] if padding else next(
                (i for i in map(self.tokenizer.token_to_id, _PAD_TOKENS) if i is not None), 0)
        # Padding is done here, per batch (to the static length when the graph demands one).
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length, strategy="longest_first")
        self.fingerprint = hashlib.sha256("\0".join([
            self.name, file_digest(path), file_digest(tok_path), str(self.max_length), str(self.column),
            str(self.classes)]).encode()).hexdigest()[:32]

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        np = self._np
        out: list[float] = []
        for start in range(0, len(pairs), self.batch_size):
            chunk = pairs[start:start + self.batch_size]
            encs = self.tokenizer.encode_batch([(a, b) for a, b in chunk])
            width = self.static_length or max(len(e.ids) for e in encs)
            ids = np.full((len(encs), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(encs), width), dtype=np.int64)
            types = np.zeros((len(encs), width), dtype=np.int64)
            for r, e in enumerate(encs):
                n = min(len(e.ids), width)
                ids[r, :n] = e.ids[:n]
                mask[r, :n] = 1
                types[r, :n] = e.type_ids[:n]
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            feed = {k: feed[k].astype(dtype) for k, dtype in self._inputs.items()}
            logits = self.session.run([self._output], feed)[0]
            self.calls += 1
            out += softmax_column(logits, self.column)
        return out
