"""The API's URLs, every error in the one problem shape (RFC 9457, ``problems``): its operations
already answer so; ninja's own 405 (a method the route lacks) and an unknown path under /api/v1/
are turned into problem documents here."""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from openplatform.api.problems import CONTENT_TYPE, problem


@csrf_exempt
def api_not_found(request, rest):
    """An unknown API path answers in the API's error shape, not with an HTML page."""
    return problem(404, f"No API route {request.path}.")


def problem_urls(urls):
    """``api.urls`` with each view wrapped so an error that is not yet a problem document
    becomes one (its status and headers such as ``Allow`` kept)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _problems_only(pattern.callback)
    return patterns, app_name, namespace


def _problems_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code < 400 or response.get("Content-Type") == CONTENT_TYPE:
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            detail = f"{request.method} is not allowed on {request.path}; use {allowed}."
            return problem(405, detail, headers={"Allow": allowed})
        return problem(response.status_code, f"The request to {request.path} was refused.")

    return wrapped
