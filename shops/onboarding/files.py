from django.http import FileResponse

from shops.models import VerificationDocument
from shops.onboarding.documents import EXTENSIONS


def document_response(document: VerificationDocument) -> FileResponse:
    """Serve a private document: always a download, never cached, never sniffed."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.doc_type}-{document.pk}{EXTENSIONS.get(document.content_type, '')}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
