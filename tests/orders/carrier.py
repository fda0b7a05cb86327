"""Posting carrier events as a carrier does: signed to the Standard Webhooks scheme."""

import json
import time
import uuid

from django.urls import reverse

from common.webhooks import signed_headers

SECRET = "test-carrier-secret"


def post_carrier_event(client, payload, *, secret=SECRET, event_id=None, at=None, body=None):
    body = body if body is not None else json.dumps(payload).encode()
    event_id = event_id or f"evt_{uuid.uuid4().hex}"
    if secret:
        headers = signed_headers(secret=secret, event_id=event_id, body=body, at=at)
    else:  # a caller without the secret: the headers, no signature
        headers = {"webhook-id": event_id, "webhook-timestamp": str(int(time.time()))}
    return client.post(
        reverse("store:carrier_webhook"), body, content_type="application/json", headers=headers
    )
