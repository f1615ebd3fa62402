"""One error type for everything a user can get wrong.

The CLI turns it into a single line and exit code 2; the library raises it so callers can
decide. Position fields are optional because not every problem has a place in a file.
"""
from __future__ import annotations


class FactcheckError(Exception):
    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    @property
    def location(self):
        from .location import Location

        return Location(self.path, self.line, self.column)

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message
