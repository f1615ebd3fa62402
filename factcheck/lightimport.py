"""Import libraries that would otherwise drag torch in.

lemminflect imports spaCy whenever spaCy is installed, and spaCy's thinc imports torch whenever
torch is installed: 2.3 s here, before a single claim is read, although neither a CPU spaCy
pipeline nor lemminflect ever runs torch. Blocking torch during those imports keeps the ONNX fast
path torch-free; torch itself still imports normally afterwards (the torch backend, model export).
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType

_TORCHLESS = ("torch",)


def import_without_torch(name: str) -> ModuleType:
    if name in sys.modules and sys.modules[name] is not None:
        return sys.modules[name]
    if "torch" in sys.modules:  # already paid for: nothing to save
        return importlib.import_module(name)
    for mod in _TORCHLESS:
        sys.modules[mod] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        return importlib.import_module(name)
    finally:
        for mod in _TORCHLESS:
            if sys.modules.get(mod, 0) is None:
                del sys.modules[mod]
