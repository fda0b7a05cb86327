"""Product images: validated by content with Pillow (never by file name), thumbnailed at upload."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from common.images import ImageRefused, image_sniff
from common.policy import POLICY
from common.uploads import refuse_markup

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass
class CheckedImage:
    upload: UploadedFile
    format: str
    width: int
    height: int


def image_check(upload: UploadedFile) -> CheckedImage:
    """Refuse anything that is not a real JPEG/PNG/WebP of a sensible size, with a clear reason."""
    name = getattr(upload, "name", "image") or "image"
    try:
        image = image_sniff(
            upload,
            formats=ACCEPTED_FORMATS,
            max_bytes=POLICY.product_image_max_bytes,
            max_pixels=POLICY.product_image_max_pixels,
            min_side=POLICY.product_image_min_pixels,
        )
    except ImageRefused as refused:
        raise ValidationError(_refusal(name, refused)) from None
    refuse_markup(upload, name=name)
    return CheckedImage(upload=upload, format=image.format, width=image.width, height=image.height)


def _refusal(name: str, refused: ImageRefused) -> str:
    size = f"{refused.width}×{refused.height} pixels"
    match refused.reason:
        case ImageRefused.TOO_LARGE:
            return (
                f"{name} is {refused.size / 1024 / 1024:.1f} MB; an image can be at most "
                f"{POLICY.product_image_max_bytes // (1024 * 1024)} MB."
            )
        case ImageRefused.TOO_MANY_PIXELS if refused.width:
            return f"{name} is {size}, too large to process."
        case ImageRefused.WRONG_FORMAT:
            return f"{name} is a {refused.format} image; upload a JPEG, PNG or WebP file."
        case ImageRefused.TOO_SMALL:
            smallest = POLICY.product_image_min_pixels
            return f"{name} is {size}; images must be at least {smallest}×{smallest}."
    return f"{name} is not an image we can read. Upload a JPEG, PNG or WebP file."


def thumbnail_make(checked: CheckedImage) -> ContentFile:
    size = POLICY.product_thumbnail_pixels
    checked.upload.seek(0)
    with Image.open(checked.upload) as img:
        img = img.convert("RGB")
        img.thumbnail((size, size))
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=82, optimize=True)
    checked.upload.seek(0)
    return ContentFile(out.getvalue(), name="thumb.jpg")
