"""The `factcheck serve` command as a real process: it binds loopback by default, loads the model
before answering, requires the token it was given, and stops on SIGTERM."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT

TOKEN = "process-test-token-0123456789"


@pytest.mark.slow
def test_serve_process(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n")
    # Settings come through the one settings path: the configuration reaches the server's Checker.
    # (Not `backend: torch`: importing torch in a fresh process costs ~40 s of a loaded 2-core run;
    # the backend travels in the same Settings, and test_settings covers its resolution.)
    config = tmp_path / "serve.yaml"
    config.write_text("disable: [numeric.count-mismatch]\n")
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "serve", "--port", str(port), "--db",
                             str(tmp_path / "claims_db"), "--token-file", str(token), "--log-level", "warning",
                             "--config", str(config)],
                            cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.3)
        assert health.json()["model_loaded"] is True  # loaded before the first request
        assert health.json()["backend"] in ("onnx", "torch")
        assert httpx.get(f"http://127.0.0.1:{port}/v1/rules").status_code == 401
        rules = httpx.get(f"http://127.0.0.1:{port}/v1/rules", headers={"Authorization": f"Bearer {TOKEN}"})
        ids = {r["id"] for r in rules.json()["rules"]}
        assert "numeric.count-mismatch" not in ids and "conflict.withdrawal-vs-repositioning" in ids
        r = httpx.post(f"http://127.0.0.1:{port}/v1/check", headers={"Authorization": f"Bearer {TOKEN}"},
                       json={"text": "Russian forces are withdrawing from Kyiv. It is a repositioning, "
                                     "not a real withdrawal, the Pentagon said."}, timeout=120)
        assert r.status_code == 200 and r.json()["version"] == 1
        # Bound to 127.0.0.1 only: not reachable on the machine's other addresses.
        addrs = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
        for addr in addrs:
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((addr, port)) != 0, addr
    finally:
        proc.terminate()
        rc = proc.wait(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal it caught, as a process should.
    assert rc in (0, -signal.SIGTERM)
