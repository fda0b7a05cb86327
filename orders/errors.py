"""Errors the order services raise: each carries the message a person sees and an HTTP status,
so views answer 4xx with that message and never 500 on bad input."""


class OrderError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str = ""):
        self.message, self.field = message, field
        super().__init__(message)


class InvalidInput(OrderError):
    """The request itself is wrong (quantities, unknown SKUs, a bad tracking number…)."""

    status_code = 400


class Refused(OrderError):
    """The request is well-formed but the rules say no (cap reached, not live, out of stock…)."""

    status_code = 409


class IllegalTransition(Refused):
    """The order's current state does not allow this step; the message names that state."""


class NotFound(OrderError):
    status_code = 404
