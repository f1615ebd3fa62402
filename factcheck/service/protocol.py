"""The HTTP/1.1 connection handler the service runs under: uvicorn's h11 protocol, with the one
answer the app never sees made a JSON error too.

A request whose request line or headers h11 cannot parse (malformed, or larger than the parser
buffer) is answered by the protocol, before any ASGI app runs. uvicorn's own answer is a plain-text
400 followed by an immediate close; when the client is still sending (a 200 KB URL, say), closing a
socket with unread input makes the kernel send a reset, and the client loses even that answer.
Here the answer is the service's JSON error, the write side is shut after it (the client reads it
to the end), and what the client still sends is read and discarded for a moment before closing:
the "lingering close" web servers do for exactly this reason.
"""
from __future__ import annotations

import json

from uvicorn.protocols.http.h11_impl import H11Protocol

# Request line + headers h11 buffers before giving up. Larger than any URL the API's own limits
# allow (q is at most 2,000 characters: 24 KB percent-encoded), far smaller than a body limit.
MAX_HEAD_BYTES = 64 * 1024
LINGER_S = 2.0


class JSONErrorH11Protocol(H11Protocol):
    _draining = False

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return  # after our error: read and dropped, so closing later sends no reset
        super().data_received(data)

    def handle_events(self) -> None:
        try:
            super().handle_events()
        except UnicodeDecodeError:  # uvicorn decodes the path as ASCII; h11 lets other bytes through
            self.send_400_response("the request path is not ASCII (percent-encode it)")

    def send_400_response(self, msg: str) -> None:
        buffered = self.conn.trailing_data[0]
        if len(buffered) < MAX_HEAD_BYTES:
            status, reason, message = 400, "Bad Request", (
                "malformed HTTP request (the request line or a header could not be parsed)"
                if msg.startswith("Invalid HTTP request") else msg)
        elif b"\r\n" in buffered[:MAX_HEAD_BYTES]:
            status, reason = 431, "Request Header Fields Too Large"
            message = f"the request headers are larger than the limit of {MAX_HEAD_BYTES} bytes"
        else:
            status, reason = 414, "URI Too Long"
            message = f"the request line (URL) is longer than the limit of {MAX_HEAD_BYTES} bytes"
        body = json.dumps({"error": {"status": status, "message": message, "field": None}}, separators=(",", ":")).encode()
        head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
        self.transport.write(head.encode("ascii") + body)
        self._draining = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)


def uvicorn_config(app, **options):
    """The uvicorn settings every server of this app runs with (the CLI's and the tests')."""
    import uvicorn

    return uvicorn.Config(app, http=JSONErrorH11Protocol, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
                          server_header=False, **options)
