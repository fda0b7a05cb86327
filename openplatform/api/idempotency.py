"""Idempotency-Key on POST: a repeated key returns the first answer; the same key with another
body is a mistake (422). The key is claimed by a row before the operation runs, so two copies
sent at once do not both act: the second is told to retry (409)."""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse

from openplatform.api.problems import problem
from openplatform.models import IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
IN_FLIGHT = 0  # status_code of a claimed key whose operation has not answered yet


def idempotent(request, call):
    key = request.headers.get(HEADER, "")
    if request.method != "POST" or not key:
        return call()
    if len(key) > MAX_KEY_LENGTH:
        return problem(400, f"An {HEADER} is at most {MAX_KEY_LENGTH} characters.")
    app = request.api_app
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), request.body])
    ).hexdigest()
    try:
        with transaction.atomic():
            claim = IdempotentResponse.objects.create(
                shop=app.shop, app=app, key=key, request_hash=fingerprint,
                status_code=IN_FLIGHT, body=b"",
            )  # fmt: skip
    except IntegrityError:
        first = IdempotentResponse.objects.get(app=app, key=key)
        if first.request_hash != fingerprint:
            return problem(422, f"This {HEADER} was used with a different request; use a new key.")
        if first.status_code == IN_FLIGHT:
            return problem(409, "The first request with this key is still running; retry.")
        response = HttpResponse(
            bytes(first.body), status=first.status_code, content_type=_content_type(first)
        )
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = call()
    except BaseException:
        claim.delete()
        raise
    if response.status_code >= 500 or response.status_code in (409, 429):
        claim.delete()  # not an answer to keep: the client may try again with the same key
        return response
    claim.status_code = response.status_code
    claim.body = response.content
    claim.save(update_fields=["status_code", "body"])
    return response


def _content_type(row: IdempotentResponse) -> str:
    return "application/json" if row.status_code < 400 else "application/problem+json"
