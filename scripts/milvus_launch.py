"""Start the `milvus` package's standalone server, letting it reuse a port in TIME_WAIT.

Why: after the server is killed (the SIGKILL test does it on purpose) its port stays in TIME_WAIT
for about a minute. Milvus itself listens with SO_REUSEADDR and could take the port back at once,
but the wrapper first test-binds every port without it, sees the port as taken and silently moves
to the next one, so `scripts/milvus-server` refused the start and retried: 135 s of a 190 s test.
Run by scripts/milvus-server with the Milvus venv's Python; not part of factcheck.
"""
import socket
import sys

import milvus


def _try_bind_port(self, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        return sock
    except OSError:
        sock.close()
        return None


milvus.MilvusServerConfig.try_bind_port = _try_bind_port
sys.argv[0] = "milvus-server"
sys.exit(milvus.main())
