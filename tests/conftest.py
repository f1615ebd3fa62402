from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs real subprocesses (the process itself is under test)")


def pytest_report_header(config):
    """Say up front whether the Milvus backend is tested: its cases skip without a server."""
    url = os.environ.get("FACTCHECK_TEST_MILVUS")
    if not url:
        return "factcheck: FACTCHECK_TEST_MILVUS is unset -> Milvus backend tests are SKIPPED"
    return f"factcheck: Milvus backend tests run against {url}"


@pytest.fixture(autouse=True)
def _no_repo_db(monkeypatch, tmp_path_factory):
    """Hermetic: no test reads or writes the repository's own claims_db/ or ~/.cache by accident."""
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path_factory.mktemp("default-db") / "claims_db"))
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(_frame_cache(tmp_path_factory)))
    monkeypatch.setenv("FACTCHECK_RULE_CACHE", str(_frame_cache(tmp_path_factory).parent / "rules"))


_FRAME_CACHE: list = []


def _frame_cache(tmp_path_factory):
    """One frame cache for the session, in a temp dir: a sentence many tests judge is parsed once."""
    if not _FRAME_CACHE:
        _FRAME_CACHE.append(tmp_path_factory.mktemp("frame-cache") / "frames.sqlite3")
    return _FRAME_CACHE[0]


@pytest.fixture(scope="session", autouse=True)
def onnx_export(tmp_path_factory):
    """The int8 ONNX export the fast path runs. scripts/setup makes it in the user cache; when
    it is missing (setup not run), export once for this test session into a temp cache."""
    from factcheck.encoders.manifest import find_onnx_model
    from factcheck.encoders import DEFAULT_MODEL

    found = find_onnx_model(DEFAULT_MODEL)
    if found is None:
        from factcheck.encoders.export import export_model

        os.environ["FACTCHECK_CACHE"] = str(tmp_path_factory.mktemp("factcheck-cache"))
        found = export_model(DEFAULT_MODEL, say=lambda m: None)
    return found


@pytest.fixture(scope="session")
def checker():
    """One real Checker (real model, bundled rules) for the whole session: the model loads once."""
    from factcheck import Checker

    return Checker()


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    args: tuple = ()


class _Capture(io.StringIO):
    """A text stream that also offers .buffer, as sys.stdout does, for binary writers."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()

    def getvalue(self) -> str:  # type: ignore[override]
        raw = self.buffer.getvalue()
        return super().getvalue() + (raw.decode("utf-8", "replace") if raw else "")


@contextlib.contextmanager
def _environment(cwd: Path | None, env: dict | None):
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update({"NO_COLOR": "1", **{k: v for k, v in (env or {}).items() if v is not None}})
    for k, v in list((env or {}).items()):
        if v is None:
            os.environ.pop(k, None)
    os.chdir(cwd or ROOT)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None) -> Result:
    """The `factcheck` command, in-process: `factcheck.cli.main.main(argv)` with captured output."""
    from factcheck.cli.main import main

    out, err = _Capture(), _Capture()
    saved_in = sys.stdin
    with _environment(cwd, env):
        sys.stdin = io.StringIO(stdin or "")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    rc = main([str(a) for a in args])
                except SystemExit as exc:  # a library calling sys.exit is still an exit code
                    rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = saved_in
    return Result(rc, out.getvalue(), err.getvalue(), args)


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 300
                ) -> subprocess.CompletedProcess:
    """A real `python -m factcheck` process: only where the process itself is under test."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=timeout)
