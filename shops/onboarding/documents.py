"""Recognise an uploaded document by its content (SPEC §2), before anything is stored.

PDF, JPEG or PNG only, whatever the file is called; at most DOCUMENT_MAX_BYTES; images fully
decodable (truncated files are refused), at least DOCUMENT_MIN_IMAGE_SIDE_PX on each side, and no
more than DOCUMENT_MAX_IMAGE_PIXELS — a decompression bomb is refused from its header, before
Pillow allocates its pixels.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image

from common.images import ImageRefused, image_sniff
from common.policy import POLICY
from common.uploads import refuse_markup

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}


@dataclass(frozen=True)
class InspectedFile:
    content: bytes
    content_type: str
    sha256: str
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def inspect_upload(upload) -> InspectedFile:
    """Read and check the upload; raise ValidationError saying why it is refused."""
    max_bytes = POLICY.document_max_bytes
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB. "
            "Scan at a lower resolution or save it as a compressed PDF.",
            code="too_large",
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB.", code="too_large"
        )
    if not content:
        raise ValidationError("The file is empty.", code="empty")
    sha256 = hashlib.sha256(content).hexdigest()
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(
                "The PDF is incomplete (it may have been cut off while uploading). "
                "Save it again and upload the whole file.",
                code="truncated",
            )
        refuse_markup(content)
        return InspectedFile(content=content, content_type=PDF, sha256=sha256)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif content.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    else:
        raise ValidationError(
            "This file is not a PDF, JPEG or PNG (we check what the file contains, not its "
            "name). Upload a scan or photo of the document in one of those formats.",
            code="wrong_type",
        )
    refuse_markup(content)
    width, height = _check_image(content, kind)
    return InspectedFile(
        content=content, content_type=kind, sha256=sha256, width=width, height=height
    )


def _check_image(content: bytes, kind: str) -> tuple[int, int]:
    try:
        image = image_sniff(
            content,
            formats={"PNG", "JPEG"},
            max_pixels=POLICY.document_max_image_pixels,
            min_side=POLICY.document_min_image_side_px,
        )
    except ImageRefused as refused:
        raise _refusal(refused) from refused
    if Image.MIME.get(image.format) != kind:  # a PNG header on JPEG data, or the reverse
        raise _refusal(ImageRefused(ImageRefused.UNREADABLE))
    return image.width, image.height


def _refusal(refused: ImageRefused) -> ValidationError:
    match refused.reason:
        case ImageRefused.TOO_MANY_PIXELS:
            return ValidationError(
                "The image has far too many pixels to be a document photo. "
                "Upload a normal photo or scan.",
                code="bomb",
            )
        case ImageRefused.TOO_SMALL:
            minimum = POLICY.document_min_image_side_px
            return ValidationError(
                f"The image is too small to read ({refused.width}×{refused.height} pixels). "
                f"Both sides must be at least {minimum} pixels: take the photo closer or scan "
                "at a higher resolution.",
                code="too_small",
            )
    return ValidationError(
        "The image is damaged or incomplete and cannot be read. Take the photo again and upload it.",
        code="unreadable",
    )
