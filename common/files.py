"""Private files: where they are stored, and serving them (a file missing from storage is a 404
for the user and an error for ops).

Every view that streams a stored file (documents, return photos, ticket attachments) opens it
here, so a file lost from storage (a failed volume, a restore without media) answers
"no longer available" instead of a server error, and is logged for operators to act on.
"""

import logging

from django.core.files.storage import storages
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

MISSING_MESSAGE = "This file is no longer available. Contact support if you need it."


def private_storage():
    """The storage of private files (documents, return photos, ticket attachments), which only
    views serve. FileFields take this callable, so migrations name it instead of freezing the
    storage and its location."""
    return storages["private"]


class StoredFileMissing(Http404):
    """The record exists but storage lost its file: the 404 page says so."""


def open_stored(fieldfile):
    """The open file behind a FileField value, or Http404 when storage no longer has it."""
    try:
        return fieldfile.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        logger.error("stored file missing: %s", getattr(fieldfile, "name", fieldfile))
        raise StoredFileMissing(MISSING_MESSAGE) from None


def private_download(fieldfile, *, filename: str, content_type: str) -> FileResponse:
    """A private file as a download: never cached, never sniffed."""
    response = FileResponse(
        open_stored(fieldfile),
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
