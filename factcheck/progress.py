"""One progress display for long commands (compare, check, db add, eval): counts, rate and ETA
on a terminal's stderr; nothing at all in a pipe, in CI logs or with --quiet."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Advance = Callable[[int], None]


def _silent(_n: int) -> None:
    return None


class Progress:
    """`with progress.task("embeddings", total) as advance: ... advance(n)`."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None

    @contextmanager
    def task(self, label: str, total: int, unit: str = "claims") -> Iterator[Advance]:
        if not self.enabled or total <= 0:
            yield _silent
            return
        bar = self._start()
        task = bar.add_task(label, total=total, unit=unit)
        try:
            yield lambda n: bar.advance(task, n)
        finally:
            bar.remove_task(task)

    def _start(self):
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn,
                                       TimeRemainingColumn)

            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[unit]}"), _RateColumn(), TextColumn("ETA"),
                                     TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True)
            self._bar.start()
        return self._bar

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _rate_column_class():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:,.0f}/s" if task.speed else "…/s")

    return RateColumn


def _RateColumn():  # noqa: N802 - a column instance, built lazily so rich loads only when shown
    return _rate_column_class()()


def wanted(quiet: bool, stream=None) -> bool:
    """A person is watching: a terminal, not --quiet, not TERM=dumb."""
    import os

    stream = stream or sys.stderr
    return not quiet and os.environ.get("TERM") != "dumb" and bool(getattr(stream, "isatty", lambda: False)())


@contextmanager
def display(quiet: bool) -> Iterator[Progress]:
    p = Progress(wanted(quiet))
    try:
        yield p
    finally:
        p.close()


NONE = Progress(False)
