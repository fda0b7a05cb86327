"""Where the server may send a request for a shop: https on the production profile, and never to
a private, loopback, link-local or reserved address (server-side request forgery). Checked
before every request to an address a seller or an app gave — webhook targets (when an app
subscribes and before every delivery), the connected Shopify store (every page), product images
named in an imported CSV (every fetch) — since a name can resolve elsewhere later.
``WEBHOOKS_ALLOW_LOOPBACK`` lets tests and local development reach 127.0.0.1."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from common.errors import BadInput


def target_check(url: str, *, what: str = "The webhook URL", field: str = "url") -> None:
    """Raise BadInput (naming ``what``) unless ``url`` may be called from the server."""
    parts = urlsplit(url or "")
    allowed_schemes = {"https"} if settings.PRODUCTION else {"https", "http"}
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise BadInput(
            f"{what} must be an https:// address." if settings.PRODUCTION
            else f"{what} must be an http(s):// address.",
            field=field,
        )  # fmt: skip
    if parts.username or parts.password:
        raise BadInput(f"Leave credentials out of {what[0].lower() + what[1:]}.", field=field)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise BadInput(f"{parts.hostname} does not resolve.", field=field) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and settings.WEBHOOKS_ALLOW_LOOPBACK:
            continue
        if not address.is_global or address.is_multicast:
            raise BadInput(
                f"{parts.hostname} resolves to a private or reserved address; Seller Center "
                "only calls public addresses.",
                field=field,
            )
