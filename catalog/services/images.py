"""Product images: validated by content with Pillow (never by file name), thumbnailed at upload."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

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
    max_bytes = POLICY.product_image_max_bytes
    if upload.size > max_bytes:
        raise ValidationError(
            f"{name} is {upload.size / 1024 / 1024:.1f} MB; an image can be at most "
            f"{max_bytes // (1024 * 1024)} MB."
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt, (width, height) = probe.format, probe.size
            if width * height > POLICY.product_image_max_pixels:
                raise ValidationError(f"{name} is {width}×{height} pixels, too large to process.")
            probe.verify()  # detects corrupt data
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # verify() does not decode: a truncated JPEG only fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"{name} is not an image we can read. Upload a JPEG, PNG or WebP file."
        ) from None
    finally:
        upload.seek(0)
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(f"{name} is a {fmt} image; upload a JPEG, PNG or WebP file.")
    refuse_markup(upload, name=name)
    smallest = POLICY.product_image_min_pixels
    if min(width, height) < smallest:
        raise ValidationError(
            f"{name} is {width}×{height} pixels; images must be at least {smallest}×{smallest}."
        )
    return CheckedImage(upload=upload, format=fmt, width=width, height=height)


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
