"""A release site served on 127.0.0.1 for tests: good files, plus ways to misbehave.

``behaviour.rules`` maps a path suffix to what the server does for it:

- an int (``404``, ``503``): that HTTP error;
- ``Failing(status, times)``: that HTTP error for the first ``times`` requests, then the
  real file (a transient failure, without racing a timer against the client);
- ``"slow"``: wait 3 s before answering;
- ``"truncate"``: announce the full length, send half, close;
- ``"oversize"``: send 200 MiB of junk, announcing its length;
- ``"flood"``: send up to 200 MiB of junk without announcing a length (close-delimited);
- ``"trickle"``: send the real body one byte every 0.2 s;
- ``bytes``: send these bytes instead of the file (a forged file or index).

``behaviour.sent`` counts the body bytes actually written per request path.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

JUNK = b"x" * (1 << 20)
FLOOD_BYTES = 200 << 20


class Failing:
    """A rule: answer ``status`` to the first ``times`` requests, then serve normally."""

    def __init__(self, status: int, times: int = 1) -> None:
        self.status, self.left = status, times
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Whether this request still fails (counted once per request)."""
        with self._lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


class Behaviour:
    """What the server does, settable while it runs."""

    def __init__(self) -> None:
        self.rules: dict[str, object] = {}
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}


def _handler(root: Path, behaviour: Behaviour):
    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def _send(self, body: bytes, length: int | None) -> None:
            self.send_response(200)
            if length is not None:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            self._write(body)

        def _write(self, chunk: bytes) -> bool:
            try:
                self.wfile.write(chunk)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return False
            behaviour.sent[self.path] = behaviour.sent.get(self.path, 0) + len(chunk)
            return True

        def do_GET(self) -> None:
            behaviour.requests.append(self.path)
            rule = next((r for suffix, r in behaviour.rules.items() if self.path.endswith(suffix)), None)
            file = root / self.path.lstrip("/")
            if isinstance(rule, Failing):
                if rule.take():
                    self.send_error(rule.status)
                else:
                    super().do_GET()
            elif isinstance(rule, int):
                self.send_error(rule)
            elif isinstance(rule, bytes):
                self._send(rule, len(rule))
            elif rule == "slow":
                time.sleep(3)
                super().do_GET()
            elif rule == "truncate":
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._write(body[: len(body) // 2])
            elif rule in ("oversize", "flood"):
                self.send_response(200)
                if rule == "oversize":
                    self.send_header("Content-Length", str(FLOOD_BYTES))
                self.end_headers()
                for _ in range(FLOOD_BYTES // len(JUNK)):
                    if not self._write(JUNK):
                        break
            elif rule == "trickle":
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for index in range(len(body)):
                    if not self._write(body[index: index + 1]):
                        break
                    time.sleep(0.2)
            else:
                super().do_GET()
            self.close_connection = True

    return functools.partial(Handler, directory=str(root))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-answer is what these tests provoke: nothing to print.
        (Printed, its traceback lands in whichever test captures stderr at that moment.)"""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, Behaviour]]:
    """Serve ``root`` on 127.0.0.1 (a free port) until the block ends."""
    behaviour = Behaviour()
    server = _Server(("127.0.0.1", 0), _handler(root, behaviour))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", behaviour
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
