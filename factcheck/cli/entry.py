"""The console entry point, kept apart from the command tree.

A cold `compare` or `check` waits longest for the claim-frame parser: spaCy's import and load
(~0.75 s) and then the parse run in a worker process, and that leg ends after the main process
has its embeddings (bench/bench_compare.py). Importing typer and the command modules takes
~0.2 s before a command body can start the worker; started here instead, spaCy's load begins
with the process. A guess that turns out wrong costs nothing on the critical path: a worker
nobody gives texts to is stopped (`discard_unused`), and the command starts one itself when
the guess missed.
"""
from __future__ import annotations

import sys

COLD_COMMANDS = frozenset({"compare", "check"})


def starts_cold(argv: list[str]) -> bool:
    """Is this a command that judges claims (and so parses), not asking for help?"""
    words = [a for a in argv if not a.startswith("-")]
    return bool(words) and words[0] in COLD_COMMANDS and not {"--help", "-h"} & set(argv)


def warm_for(argv: list[str]) -> None:
    if starts_cold(argv):
        from ..frames.worker import warm_up

        warm_up()


def run() -> None:
    warm_for(sys.argv[1:])
    from .main import run as run_command

    run_command()
