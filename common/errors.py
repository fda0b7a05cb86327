"""The one exception family for refusals a person should read, and the one place that answers it.

Services raise a ``DomainError`` (or a subclass) with the sentence the seller or buyer sees; the
service's transaction rolls back, so nothing is written. Views do not catch it unless they
re-render a form with the message next to a field (``add_error_to_form``).
Everything else reaches ``error_response``: from seller pages through shops.tenancy (the view
runs inside its ``process_view``), from every other view through ``DomainErrorMiddleware``.

A missing or foreign id in the URL is not a DomainError: ``access_<entity>`` raises Http404.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render

from common.redirects import is_safe_redirect


class DomainError(ValidationError):
    """A request the rules refuse, with the message a person sees; 400 unless a subclass says.

    It is a Django ValidationError, so a form's ``clean`` and code written against Django's
    validation treat it as one; what it adds is the status code and the field it concerns."""

    status_code = 400

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field  # the form field it concerns, if any


class BadInput(DomainError):
    """The request itself is wrong: a quantity, a date, an unknown choice, a malformed value."""

    status_code = 400


class Refused(DomainError):
    """The request is well-formed but the current state says no (stock, caps, status): 409."""

    status_code = 409


class IllegalTransition(Refused):
    """The record's current status does not allow this step; the message names that status."""


class Unprocessable(DomainError):
    """Well-formed, but it contradicts what the same key already did (an idempotency key sent
    again with another body): 422, and nothing about the earlier request is revealed."""

    status_code = 422


class NotFound(DomainError):
    """Something named in the request body (a tracking or order number) does not exist: 404.

    Ids in the URL never get here: ``access_<entity>`` raises Http404 for them."""

    status_code = 404


def add_error_to_form(form, error: ValidationError) -> None:
    """A service's refusal on a form: next to its field when the form has one, else above it.
    A DomainError names one field; a Django ValidationError may carry a dict of them."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class Submitted:
    """What ``submit`` did: ``ok`` when the action ran; else the status to re-render with."""

    ok: bool
    result: Any = None
    status: int = 200


def submit(form, action) -> Submitted:
    """Run ``action(form.cleaned_data)`` for a valid bound form: the one form-to-service path.

    Unbound: not ok, 200. Invalid: not ok, 400. The service refuses (a DomainError): not ok, its
    status, and its message stands next to its field. Otherwise ok, with the action's result."""
    if not form.is_bound:
        return Submitted(False)
    if not form.is_valid():
        return Submitted(False, status=400)
    try:
        return Submitted(True, action(form.cleaned_data))
    except DomainError as exc:
        add_error_to_form(form, exc)
        return Submitted(False, status=exc.status_code)


def press(request: HttpRequest, action, *, done: str, back: str) -> HttpResponse:
    """A POST-only button that runs ``action()``: the one button-to-service path.

    Anything but POST: 405. The service refuses (a DomainError): its message, nothing written.
    Otherwise the ``done`` message. Either way the seller goes back to ``back``."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


def error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The refusal in the shape the caller reads: JSON, an htmx message, or the error page."""
    status = error.status_code
    if _wants_json(request):
        return JsonResponse({"error": error.message, "field": error.field}, status=status)
    if getattr(request, "htmx", False):
        # base.html's htmx config swaps 4xx answers; this one lands in the page's message area.
        response = render(
            request, "components/error_message.html", {"message": error.message}, status=status
        )
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "beforeend"
        return response
    return render(
        request,
        "error.html",
        {"message": error.message, "back": _back(request)},
        status=status,
    )


class DomainErrorMiddleware:
    """Answers a DomainError raised by any view that shops.tenancy does not already run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return error_response(request, exception)
        return None


def _wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or (
        "application/json" in request.headers.get("accept", "")
    )


def _back(request: HttpRequest) -> str:
    """The page the form was on (same site only), so the error page can offer the way back."""
    referer = request.headers.get("referer", "")
    if is_safe_redirect(request, referer):
        return referer
    return request.path if request.method == "GET" else "/"
