"""A local HTTP server that records webhook deliveries (loopback only, stopped by the test)."""

import time

from tests.common.local_http import Handler, LocalServer


class Receiver(LocalServer):
    def __init__(self, *, delay: float = 0.0, status: int = 204):
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Hooks(Handler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(delay)
                self.reply(status)

        super().__init__(Hooks)
        self.url = f"{self.base_url}/hooks"
