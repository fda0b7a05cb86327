"""The message a refused catalog action shows the seller."""

from django.core.exceptions import ValidationError


def error_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
