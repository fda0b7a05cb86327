from django.http import FileResponse

from common.files import private_download
from shops.models import VerificationDocument
from shops.onboarding.documents import EXTENSIONS


def document_response(document: VerificationDocument) -> FileResponse:
    """Serve a private document: always a download, never cached, never sniffed."""
    return private_download(
        document.file,
        filename=f"{document.doc_type}-{document.pk}{EXTENSIONS.get(document.content_type, '')}",
        content_type=document.content_type,
    )
