"""A release site served on 127.0.0.1 for tests: good files, plus ways to misbehave."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Behaviour:
    """What the server does, settable while it runs: {path suffix: 'truncate' | 'slow' | 404}."""

    def __init__(self) -> None:
        self.rules: dict[str, object] = {}
        self.requests: list[str] = []


def _handler(root: Path, behaviour: Behaviour):
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            behaviour.requests.append(self.path)
            rule = next((r for suffix, r in behaviour.rules.items() if self.path.endswith(suffix)), None)
            if rule == 404:
                self.send_error(404, "Not Found")
                return
            if rule == "slow":
                time.sleep(3)
            if rule == "truncate":
                body = (root / self.path.lstrip("/")).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            super().do_GET()

    return functools.partial(Handler, directory=str(root))


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, Behaviour]]:
    """Serve ``root`` on 127.0.0.1 (a free port) until the block ends."""
    behaviour = Behaviour()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, behaviour))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", behaviour
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
