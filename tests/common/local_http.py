"""A local HTTP server for one test (loopback only, stopped by the test): the webhook receiver,
the fake Shopify and the image host all stand on it. ``Handler.reply`` answers in one call."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def reply(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalServer:
    """``with LocalServer(handler_class) as server: server.base_url``"""

    def __init__(self, handler_class: type[Handler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
