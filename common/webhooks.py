"""Signed webhooks, to the Standard Webhooks scheme that webhook senders and receivers know.

A request carries three headers:

    webhook-id         the event's unique id (a retry of one event keeps its id)
    webhook-timestamp  when it was sent, in whole seconds since the Unix epoch
    webhook-signature  "v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>' keyed with the secret>"
                       (several, space-separated, while a secret is being rotated)

``verify`` refuses a request whose signature does not match, whose timestamp is further than
``POLICY.webhook_timestamp_tolerance_minutes`` from now (either way), or whose headers are
missing: an old request captured and replayed fails the window, and an edited body, id or
timestamp fails the signature. Receivers keep the ids they applied to ignore a duplicate
within the window. ``sign`` is the sender's half (tests, and partners' examples).
"""

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from standardwebhooks import Webhook

from common.policy import POLICY

ID, TIMESTAMP, SIGNATURE = "webhook-id", "webhook-timestamp", "webhook-signature"


class SignatureRefused(Exception):
    """The request is not a fresh, correctly signed webhook; the message says which part."""


@dataclass(frozen=True)
class SignedEvent:
    event_id: str
    sent_at: datetime


def sign(*, secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The v1 signature, computed by the standardwebhooks library (as the Open Platform's
    outgoing webhooks are); the secret is used as it is written, not base64-decoded."""
    at = datetime.fromtimestamp(timestamp, tz=UTC)
    return Webhook(secret.encode()).sign(event_id, at, body.decode())


def signed_headers(*, secret: str, event_id: str, body: bytes, at: datetime | None = None) -> dict:
    """The three headers a sender adds to ``body``."""
    timestamp = int((at or timezone.now()).timestamp())
    return {
        ID: event_id,
        TIMESTAMP: str(timestamp),
        SIGNATURE: sign(secret=secret, event_id=event_id, timestamp=timestamp, body=body),
    }


def verify(*, secret: str, headers, body: bytes, now: datetime | None = None) -> SignedEvent:
    if not secret:
        raise SignatureRefused("Webhooks are not configured.")
    event_id, stamp = headers.get(ID, ""), headers.get(TIMESTAMP, "")
    signatures = headers.get(SIGNATURE, "").split()
    if not event_id or len(event_id) > 200 or not stamp.isdigit() or not signatures:
        raise SignatureRefused(f"Send the {ID}, {TIMESTAMP} and {SIGNATURE} headers.")
    try:
        expected = sign(secret=secret, event_id=event_id, timestamp=int(stamp), body=body)
    except UnicodeDecodeError:
        raise SignatureRefused("Send the body as UTF-8 JSON.") from None
    if not any(hmac.compare_digest(expected.encode(), given.encode()) for given in signatures):
        raise SignatureRefused("The signature does not match.")
    sent_at = datetime.fromtimestamp(int(stamp), tz=UTC)
    tolerance = POLICY.webhook_timestamp_tolerance_minutes * 60
    if abs(((now or timezone.now()) - sent_at).total_seconds()) > tolerance:
        raise SignatureRefused(
            f"The timestamp is more than {POLICY.webhook_timestamp_tolerance_minutes} minutes "
            "from now; send the event again with a fresh timestamp and signature."
        )
    return SignedEvent(event_id=event_id, sent_at=sent_at)
