"""Carrier tracking events: POST JSON {"carrier", "tracking_number", "event", "occurred_at"?},
signed to the Standard Webhooks scheme (common.webhooks): ``webhook-id``, ``webhook-timestamp``
and ``webhook-signature`` (HMAC-SHA256 of id, timestamp and body with the shared secret).

A request outside the timestamp window, or with a wrong signature, is refused (403); an event
id already applied is answered 200 with ``"duplicate": true`` and changes nothing. The event's
own time is checked by the service (not before shipping, not in the future).

CSRF-exempt because no browser session is involved: the signature authenticates the caller.
"""

import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common import webhooks
from common.errors import DomainError
from orders.models import CarrierEventReceipt
from orders.services.fulfillment.delivery import package_carrier_event


@csrf_exempt
@require_POST
def carrier_webhook(request):
    try:
        signed = webhooks.verify(
            secret=settings.CARRIER_WEBHOOK_SECRET, headers=request.headers, body=request.body
        )
    except webhooks.SignatureRefused as refused:
        return JsonResponse({"error": str(refused)}, status=403)
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
        with transaction.atomic():
            if not _first_receipt(signed.event_id):
                return JsonResponse({"event_id": signed.event_id, "duplicate": True})
            packages = package_carrier_event(
                carrier=str(payload.get("carrier", "")).lower(),
                tracking_number=str(payload.get("tracking_number", "")),
                event=str(payload.get("event", "")),
                at=at,
            )
    except DomainError as exc:
        # Rolled back with the receipt: the carrier may send the corrected event again.
        return JsonResponse({"error": exc.message}, status=exc.status_code)
    # Every package under the number has the event's status now (or refused it, above).
    return JsonResponse(
        {"tracking_number": packages[0].tracking_number, "status": packages[0].status}
    )


def _first_receipt(event_id: str) -> bool:
    try:
        with transaction.atomic():
            CarrierEventReceipt.objects.create(event_id=event_id)
    except IntegrityError:
        return False
    return True
