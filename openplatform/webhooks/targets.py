"""Where a webhook may be sent: https on the production profile, and never to a private,
loopback, link-local or reserved address (server-side request forgery). Checked when an app
subscribes and again before every delivery, since a name can resolve elsewhere later.
``WEBHOOKS_ALLOW_LOOPBACK`` lets tests and local development reach 127.0.0.1."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from common.errors import BadInput


def target_check(url: str) -> None:
    parts = urlsplit(url or "")
    allowed_schemes = {"https"} if settings.PRODUCTION else {"https", "http"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise BadInput(
            "The webhook URL must be an https:// address." if settings.PRODUCTION
            else "The webhook URL must be an http(s):// address.",
            field="url",
        )  # fmt: skip
    if parts.username or parts.password:
        raise BadInput("Leave credentials out of the webhook URL.", field="url")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise BadInput(f"{parts.hostname} does not resolve.", field="url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and settings.WEBHOOKS_ALLOW_LOOPBACK:
            continue
        if not address.is_global or address.is_multicast:
            raise BadInput(
                f"{parts.hostname} resolves to a private or reserved address; webhooks go "
                "to public addresses only.",
                field="url",
            )
