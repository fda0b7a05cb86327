"""Waiting for a local server the bench started to listen."""

import socket
import time


def wait_port(port: int, timeout: float = 30) -> None:
    """Return once something accepts connections on 127.0.0.1:``port``; raise after ``timeout``
    seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")
