"""Carrier tracking events: POST JSON {"carrier", "tracking_number", "event", "occurred_at"?}
with the shared secret in the ``X-Carrier-Secret`` header.

CSRF-exempt because no browser session is involved: the shared secret authenticates the caller.
"""

import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.errors import DomainError
from orders.services.fulfillment.delivery import package_carrier_event


@csrf_exempt
@require_POST
def carrier_webhook(request):
    secret = settings.CARRIER_WEBHOOK_SECRET
    given = request.headers.get("X-Carrier-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "Bad or missing shared secret."}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"error": "Send a JSON object."}, status=400)
    at = None
    if payload.get("occurred_at"):
        at = parse_datetime(str(payload["occurred_at"]))
        if at is None or at.tzinfo is None:
            return JsonResponse(
                {"error": "occurred_at must be an ISO 8601 time with a zone."}, status=400
            )
    try:
        package = package_carrier_event(
            carrier=str(payload.get("carrier", "")).lower(),
            tracking_number=str(payload.get("tracking_number", "")),
            event=str(payload.get("event", "")),
            at=at,
        )
    except DomainError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status_code)
    return JsonResponse({"tracking_number": package.tracking_number, "status": package.status})
