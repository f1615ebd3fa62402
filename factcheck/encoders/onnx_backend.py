"""The fast backend: an int8 ONNX export run by onnxruntime, tokenised by `tokenizers`.

No torch, transformers or sentence-transformers is imported here: this is what keeps a cold
`factcheck compare` near one second. Pooling is done in numpy exactly as the sentence-transformers
model does it (mean over the attention mask, then L2 normalisation).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import FactcheckError
from .manifest import MODEL_FILE, TOKENIZER_FILE, read_manifest


@dataclass
class TokenVectors:
    """Per-token vectors of one text from the same pass that gives its sentence vector."""
    tokens: list[str]
    offsets: list[tuple[int, int]]  # character offsets into the text
    vectors: object                 # numpy array (tokens x dim)


# Attention holds rows x heads x width^2 scores per layer: 64 rows of 200 tokens is ~1 GB of
# peak RSS and, cache-bound, slow. Bounding rows x width^2 keeps claims of up to 48 tokens (most
# news claims) 64 to a batch and long ones a few at a time. Measured on 256 claims of 150-200
# words: peak RSS 1,132-1,239 MB, 23-25 s unbounded; 243-276 MB, 8.9-9.2 s at this budget
# (64 x 96^2: 530-551 MB, 12 s; 64 x 24^2: 189-194 MB, 8.9-10 s, but splits 25-token claims).
ATTENTION_BUDGET = 64 * 48 * 48


def _batches(order: list[int], lengths: list[int], batch_size: int) -> list[list[int]]:
    """Consecutive runs of `order` (sorted by length, so the last row of a batch is its widest)
    of at most batch_size rows and at most ATTENTION_BUDGET rows x width^2."""
    out: list[list[int]] = []
    rows: list[int] = []
    for i in order:
        width = lengths[i]
        if rows and (len(rows) >= batch_size or (len(rows) + 1) * width * width > ATTENTION_BUDGET):
            out.append(rows)
            rows = []
        rows.append(i)
    if rows:
        out.append(rows)
    return out


class OnnxEncoder:
    backend = "onnx"

    def __init__(self, directory: Path, batch_size: int = 64) -> None:
        import numpy as np  # noqa: F401  (fail early, with the other imports)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.manifest = read_manifest(self.directory)
        self.name = self.manifest.source_model
        self.dim = int(self.manifest.dim)
        self.batch_size = batch_size
        try:
            self._tok = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 8))
            opts.inter_op_num_threads = 1
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.log_severity_level = 3
            # Idle worker threads would otherwise spin for work between batches, burning a core
            # that judging (pure Python, between encode calls) needs.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # The arena keeps the largest batch's buffers for the life of the process: ~85 MB of a
            # compare's ~320 MB peak RSS, for no speed measurable here (bench/bench_compare.py).
            opts.enable_cpu_mem_arena = False
            self._session = ort.InferenceSession(str(self.directory / MODEL_FILE), sess_options=opts,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a bad file
            raise FactcheckError(f"cannot load ONNX model: {exc.__class__.__name__}: {str(exc).splitlines()[0]}",
                                 str(self.directory))
        self._tok.no_padding()
        self._tok.enable_truncation(max_length=int(self.manifest.max_seq_length))
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _run(self, encodings):
        import numpy as np

        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        (tokens,) = self._session.run(["token_embeddings"], feed)
        return tokens, mask

    def encode(self, texts: Sequence[str], progress: bool = False):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype="float32")
        if not texts:
            return out
        encodings = self._tok.encode_batch(list(texts), add_special_tokens=True)
        # Similar lengths batched together: padding is wasted work (sentence-transformers does this too).
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for rows in _batches(order, [len(e.ids) for e in encodings], self.batch_size):
            tokens, mask = self._run([encodings[i] for i in rows])
            m = mask[..., None].astype("float32")
            pooled = (tokens * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return np.ascontiguousarray(out)

    def token_vectors(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Token embeddings (special tokens dropped) with character offsets, for alignment."""
        result = []
        for text in texts:
            enc = self._tok.encode(text, add_special_tokens=True)
            tokens, _ = self._run([enc])
            keep = [k for k, sid in enumerate(enc.special_tokens_mask) if not sid]
            result.append(TokenVectors([enc.tokens[k] for k in keep], [enc.offsets[k] for k in keep],
                                       tokens[0, keep]))
        return result
