"""Import libraries that would otherwise drag torch in.

spaCy's thinc imports torch whenever torch is installed: 2.3 s here, before a single claim is
read, although a CPU spaCy pipeline never runs torch. Blocking torch during that import keeps the
ONNX fast path torch-free; torch itself still imports normally afterwards (the torch backend,
model export).
"""
from __future__ import annotations

import importlib
import importlib.abc
import os
import sys
import threading
from contextlib import contextmanager
from types import ModuleType

_TORCHLESS = ("torch",)


class _BlockInThread(importlib.abc.MetaPathFinder):
    """Makes `import torch` fail, but only in the thread doing a light import.

    Setting sys.modules["torch"] = None would do the same for every thread, and the frames parser
    is loaded in a background thread while the main thread may legitimately import torch (the
    torch backend, a cross-encoder verifier). A finder is consulted only for modules not yet
    imported, so a torch already loaded elsewhere is simply reused.
    """

    def __init__(self) -> None:
        self.threads: set[int] = set()

    def find_spec(self, fullname, path=None, target=None):
        if threading.get_ident() in self.threads and fullname.split(".")[0] in _TORCHLESS:
            raise ModuleNotFoundError(f"{fullname} is not imported on factcheck's light path", name=fullname)
        return None


_BLOCKER = _BlockInThread()
_LOCK = threading.RLock()


def import_without_torch(name: str) -> ModuleType:
    if name in sys.modules and sys.modules[name] is not None:
        return sys.modules[name]
    if "torch" in sys.modules:  # already paid for: nothing to save
        return importlib.import_module(name)
    me = threading.get_ident()
    with _LOCK:
        if _BLOCKER not in sys.meta_path:
            sys.meta_path.insert(0, _BLOCKER)
        _BLOCKER.threads.add(me)
    try:
        with _without_spacy_cli(name):
            return importlib.import_module(name)
    finally:
        with _LOCK:
            _BLOCKER.threads.discard(me)


@contextmanager
def _without_spacy_cli(name: str):
    """spaCy's __init__ imports `spacy.cli.info` for its public `spacy.info`; spacy.cli pulls in
    the download and project tooling (weasel, httpx, requests, more pydantic): about 40 % of
    spaCy's import time (-X importtime), none of it used to parse. A stand-in `spacy.cli` package
    serves that one import and is removed again, so a later `import spacy.cli` runs the real one."""
    if name != "spacy" or "spacy.cli" in sys.modules:
        yield
        return
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        yield
        return
    cli = ModuleType("spacy.cli")
    cli.__path__ = [os.path.join(p, "cli") for p in spec.submodule_search_locations]  # type: ignore[attr-defined]
    info = ModuleType("spacy.cli.info")

    def _info(*args, **kwargs):  # the real spacy.info, on first use
        for mod in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(mod) in (cli, info):
                del sys.modules[mod]
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.info = _info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, info
    try:
        yield
    finally:
        for mod, stub in (("spacy.cli.info", info), ("spacy.cli", cli)):
            if sys.modules.get(mod) is stub:
                del sys.modules[mod]
