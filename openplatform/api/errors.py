"""Every error the API answers, as one problem document (RFC 9457)."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from catalog.services.products.editing import VersionConflict
from common.errors import DomainError
from openplatform.api.problems import problem

log = logging.getLogger(__name__)


class PreconditionFailed(Exception):
    """If-Match named a version that is no longer current."""


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [
            {"field": _field_of(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors
        ]
        return problem(422, "The request does not match the schema.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem(401, "Send a valid access token: Authorization: Bearer <token>.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, "No such object in this shop.")

    @api.exception_handler(PreconditionFailed)
    def stale(request, exc):
        return problem(412, str(exc) or "The object changed since you read it: read it again.")

    @api.exception_handler(VersionConflict)
    def conflict(request, exc):
        return problem(412, exc.message)

    @api.exception_handler(DomainError)
    def refused(request, exc):
        return problem(exc.status_code, exc.message, field=exc.field)

    @api.exception_handler(DjangoValidationError)
    def invalid_input(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": None if f == "__all__" else f, "message": m}
                for f, messages in exc.message_dict.items()
                for m in messages
            ]
        else:
            errors = [{"field": None, "message": m} for m in exc.messages]
        return problem(400, " ".join(e["message"] for e in errors), errors=errors)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return problem(500, "Something went wrong on our side.")


def _field_of(loc) -> str | None:
    """("body", "body", "variants", 0, "price") → "variants.0.price" (where, then the
    operation's parameter name, then the path inside it)."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    else:
        parts = parts[1:]
    return ".".join(parts) or None
