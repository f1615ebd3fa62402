"""The one way factcheck reads a file a user named: bytes -> text, or a one-line error.

Articles, claim files, rules, configuration, baselines and evaluation data all come through
here, so a directory, a FIFO, a symlink loop, a 3 GB file, UTF-16 without a BOM or a stray NUL
gets the same clear answer whichever command was given it. Nothing here parses structure; that
is `structured.py`.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import FactcheckError

MiB = 1024 * 1024
# Limits per kind of file: generous for what each holds, small enough that a wrong path (a disk
# image, a log) is refused before it is read into memory.
LIMITS = { "claim file": 200 * MiB, "rule file": 10 * MiB, "configuration": 1 * MiB,
          "baseline": 200 * MiB, "data file": 2048 * MiB, "file": 50 * MiB}


@dataclass
class UserText:
    path: str
    text: str
    encoding: str


def _limit(what: str, limit: int | None) -> int:
    if limit is not None:
        return limit
    return LIMITS.get(what, LIMITS["file"])


def read_user_bytes(path: str | Path, what: str = "file", limit: int | None = None) -> bytes:
    """The file's bytes, after checking it is an existing, readable, regular file under the limit."""
    name = str(path)
    limit = _limit(what, limit)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    except (ValueError, UnicodeError):  # an embedded NUL or an unencodable name
        raise FactcheckError(f"invalid file name for a {what}", ascii(name)) from None
    _check_kind(st, name, what)
    if st.st_size > limit:
        raise FactcheckError(f"{what} is too large ({st.st_size:,} bytes; the limit is {limit:,})", name)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after stat, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    try:
        _check_kind(os.fstat(fd), name, what)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(8 * MiB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FactcheckError(f"{what} is too large (over {limit:,} bytes)", name)
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    finally:
        os.close(fd)


def _check_kind(st: os.stat_result, name: str, what: str) -> None:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise FactcheckError(f"is a directory, expected a {what}", name)
    if stat.S_ISFIFO(mode):
        raise FactcheckError(f"is a named pipe (FIFO), expected a regular {what}", name)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise FactcheckError(f"is a device, expected a regular {what}", name)
    if stat.S_ISSOCK(mode):
        raise FactcheckError(f"is a socket, expected a regular {what}", name)
    raise FactcheckError(f"is not a regular file, expected a {what}", name)


def _os_error(exc: OSError, path: str | Path, what: str) -> FactcheckError:
    name = str(path)
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return FactcheckError(f"broken symbolic link (points to {os.readlink(path)!r})", name)
        return FactcheckError("no such file", name)
    if exc.errno == errno.ELOOP:
        return FactcheckError("symbolic link loop (the link points back to itself)", name)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return FactcheckError(f"cannot read {what}: permission denied", name)
    if exc.errno == errno.ENOTDIR:
        return FactcheckError("no such file (a parent in the path is not a directory)", name)
    if exc.errno == errno.ENAMETOOLONG:
        return FactcheckError("file name too long", name[:200] + ("..." if len(name) > 200 else ""))
    if exc.errno == errno.EISDIR:
        return FactcheckError(f"is a directory, expected a {what}", name)
    return FactcheckError(f"cannot read {what}: {exc.strerror or exc}", name)


def read_user_text(path: str | Path, what: str = "file", limit: int | None = None,
                   allow_empty: bool = False) -> UserText:
    """Checked bytes, decoded (BOMs, UTF-16/32 without BOM, legacy encodings); NUL bytes refused."""
    name = str(path)
    data = read_user_bytes(path, what, limit)
    if not data.strip():
        if allow_empty:
            return UserText(name, "", "utf-8")
        raise FactcheckError(f"{what} is empty", name)
    text, enc = decode_bytes(data, name)
    if not text.strip():
        if allow_empty:
            return UserText(name, "", enc)
        raise FactcheckError(f"{what} is empty", name)
    return UserText(name, text, enc)


# -- decoding ---------------------------------------------------------------------------------

_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Bytes -> text: BOM, else UTF-16/32 recognised by their zero bytes, else UTF-8, else the legacy
    encoding charset-normalizer judges best. A NUL left in the text is an error with its position."""
    if not data.strip():
        raise FactcheckError("file is empty", source)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _no_nul(data[len(bom):].decode(enc), source), enc + ("-sig" if enc == "utf-8" else "")
            except UnicodeDecodeError as exc:
                raise FactcheckError(f"cannot decode as {enc} (it starts with a {enc} byte-order mark): "
                                     f"{exc.reason} at byte {exc.start + len(bom)}", source) from None
    wide = _sniff_wide(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            pass
        else:
            if _control_ratio(text) <= 0.05:
                return _no_nul(text, source), wide
    try:
        return _no_nul(data.decode("utf-8"), source), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        line, col = _byte_position(data, data.index(b"\x00"))
        raise FactcheckError("looks like a binary file, not text (NUL byte and invalid UTF-8)", source, line, col)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FactcheckError("cannot determine the text encoding (not UTF-8 or a known legacy encoding)", source)
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise FactcheckError("looks like a binary file, not text", source)
    return _no_nul(text, source), best.encoding


def _sniff_wide(data: bytes) -> str | None:
    """UTF-16/32 without a BOM: text that is mostly ASCII or Latin has zero bytes in fixed lanes."""
    head = data[:4096]
    n = len(head)
    if n < 4:
        return None
    if n % 4 == 0 and len(data) % 4 == 0:
        quads = n // 4
        lanes = [sum(1 for i in range(k, n, 4) if head[i] == 0) for k in range(4)]
        if lanes[3] == quads and lanes[2] >= quads * 0.9 and lanes[0] < quads:
            return "utf-32-le"
        if lanes[0] == quads and lanes[1] >= quads * 0.9 and lanes[3] < quads:
            return "utf-32-be"
    if len(data) % 2:
        return None
    pairs = n // 2
    even = sum(1 for i in range(0, n, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, n, 2) if head[i] == 0)
    if odd >= pairs * 0.4 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _no_nul(text: str, source: str) -> str:
    i = text.find("\x00")
    if i >= 0:
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        raise FactcheckError("NUL byte (\\x00) in text; is this a binary file?", source, line, col)
    return text


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(text))


def check_writable(path: str | Path | None, what: str = "output file") -> None:
    """Refuse an output path that cannot be written before any work is done (not after it)."""
    if path is None:
        return
    p = Path(path)
    name = str(path)
    if os.path.isdir(p):
        raise FactcheckError(f"is a directory, expected a path for the {what}", name)
    parent = p.absolute().parent
    if not parent.is_dir():
        raise FactcheckError(f"cannot write the {what}: no such directory '{parent}'", name)
    if os.path.lexists(p):
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            raise FactcheckError(f"cannot write the {what}: {exc.strerror}", name) from None
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):  # /dev/null and /dev/stdout are fine
            raise FactcheckError(f"cannot write the {what}: not a regular file", name)
        if not os.access(p, os.W_OK):
            raise FactcheckError(f"cannot write the {what}: permission denied", name)
    elif not os.access(parent, os.W_OK | os.X_OK):
        raise FactcheckError(f"cannot write the {what}: no permission to write in '{parent}'", name)
