"""Return photos (SPEC §7): images recognised by content, within size and count limits."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from common.errors import BadInput
from common.images import ImageRefused, image_sniff
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
        raise BadInput(f"Attach at most {POLICY.return_photos_max} photos.")
    checked = []
    for photo in photos:
        try:
            image = image_sniff(
                photo,
                formats=PHOTO_FORMATS,
                max_bytes=POLICY.return_photo_max_bytes,
                max_pixels=POLICY.return_photo_max_pixels,
            )
        except ImageRefused as refused:
            raise BadInput(_photo_refusal(photo.name, refused)) from refused
        refuse_markup(photo, name=photo.name)
        checked.append((photo, PHOTO_FORMATS[image.format]))
    return checked


def _photo_refusal(name: str, refused: ImageRefused) -> str:
    match refused.reason:
        case ImageRefused.TOO_LARGE:
            return f"{name} is larger than {POLICY.return_photo_max_bytes // 2**20} MB."
        case ImageRefused.TOO_MANY_PIXELS:
            return f"{name} has too many pixels to be a photo."
        case ImageRefused.WRONG_FORMAT:
            return f"{name}: use a JPEG, PNG or WebP photo."
    return f"{name} is not a photo we can read."


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
