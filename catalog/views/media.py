"""Serving public product images."""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
)
from django.views.decorators.http import require_GET


@require_GET
def media_file(request, path: str):
    """Public product images from the default storage, with DEBUG on or off.

    Only the products/ tree is served; private files (documents, imports) live in another
    storage that has no URL at all.
    """
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith("products/") or ".." in path.split("/"):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # names are unique uuids
    return response
