"""RFC 9457 problem details: the one shape of every API error."""

import json

from django.http import HttpResponse

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(status: int, detail: str, *, headers: dict | None = None, **extra) -> HttpResponse:
    body = {"type": PROBLEM_TYPE, "title": TITLES.get(status, "Error"), "status": status}
    body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
