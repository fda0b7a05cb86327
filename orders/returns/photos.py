"""Return photos (SPEC §7): images recognised by content, within size and count limits."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from common.policy import POLICY
from common.uploads import refuse_markup
from orders.returns.models import (
    ReturnPhoto,
    ReturnRequest,
)

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def validate_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Images recognised by content (JPEG, PNG, WebP), within size and count limits."""
    photos = [p for p in photos if p]
    if len(photos) > POLICY.return_photos_max:
        raise ValidationError(f"Attach at most {POLICY.return_photos_max} photos.")
    checked = []
    for photo in photos:
        if photo.size > POLICY.return_photo_max_bytes:
            raise ValidationError(
                f"{photo.name} is larger than {POLICY.return_photo_max_bytes // 2**20} MB."
            )
        try:
            photo.seek(0)
            with Image.open(photo) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > POLICY.return_photo_max_pixels:
                    raise ValidationError(f"{photo.name} has too many pixels to be a photo.")
                image.verify()
            photo.seek(0)
            with Image.open(photo) as image:
                image.load()  # verify() does not decode: a truncated JPEG only fails here
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ) as exc:
            raise ValidationError(f"{photo.name} is not a photo we can read.") from exc
        finally:
            photo.seek(0)
        if fmt not in PHOTO_FORMATS:
            raise ValidationError(f"{photo.name}: use a JPEG, PNG or WebP photo.")
        refuse_markup(photo, name=photo.name)
        photo.seek(0)
        checked.append((photo, PHOTO_FORMATS[fmt]))
    return checked


def save_photos(return_request: ReturnRequest, checked, stage: str) -> None:
    for photo, content_type in checked:
        ext = content_type.split("/")[1].replace("jpeg", "jpg")
        item = ReturnPhoto(
            shop_id=return_request.shop_id,
            return_request=return_request,
            stage=stage,
            content_type=content_type,
        )
        item.image.save(f"return-{return_request.pk}.{ext}", photo, save=False)
        item.save()
