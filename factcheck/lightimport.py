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


def lemminflect_lemmatizer():
    """lemminflect's Lemmatizer without running `lemminflect/__init__.py`.

    That __init__ imports spaCy (when installed) to register token extensions factcheck never uses,
    and its inflection models: 3.4 s of a cold compare, measured with -X importtime. The lemmatizer
    module itself needs neither. A stand-in parent package is used for the one import and removed
    again, so a later plain `import lemminflect` still runs the real __init__.
    """
    full = sys.modules.get("lemminflect")
    if full is not None and hasattr(full, "Lemmatizer"):
        return full.Lemmatizer()
    import importlib.util

    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("lemminflect is not installed")
    stub = ModuleType("lemminflect")
    stub.__path__ = list(spec.submodule_search_locations)  # type: ignore[attr-defined]
    stub.__spec__ = spec
    placed = "lemminflect" not in sys.modules
    if placed:
        sys.modules["lemminflect"] = stub
    try:
        module = importlib.import_module("lemminflect.core.Lemmatizer")
    finally:
        if placed and sys.modules.get("lemminflect") is stub:
            del sys.modules["lemminflect"]
    return module.Lemmatizer()
