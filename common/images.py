"""Recognise an uploaded image by what it contains, never by its name (documents, product images
and return photos all come through here).

Pillow reads the header first: the format, and the pixel count, which is refused above
``max_pixels`` before any pixel is decoded — a decompression bomb (a tiny file that unpacks to
gigabytes) never reaches memory. Then the file is verified and decoded in full, so a truncated or
corrupt file is refused too. The limits are the caller's (each upload has its own policy), and
so are the words: the refusal carries a reason and the figures, and the caller says it its way.
"""

import io
import warnings
from collections.abc import Collection
from dataclasses import dataclass

from PIL import Image


class ImageRefused(Exception):
    TOO_LARGE = "too_large"  # more bytes than max_bytes
    UNREADABLE = "unreadable"  # not an image Pillow can decode, or truncated
    TOO_MANY_PIXELS = "too_many_pixels"  # more than max_pixels: a bomb, or absurdly large
    WRONG_FORMAT = "wrong_format"  # an image, but not one of the formats asked for
    TOO_SMALL = "too_small"  # a side shorter than min_side

    def __init__(self, reason: str, *, size=None, format=None, width=None, height=None):
        super().__init__(reason)
        self.reason, self.size, self.format = reason, size, format
        self.width, self.height = width, height


@dataclass(frozen=True)
class SniffedImage:
    format: str  # Pillow's name: "JPEG", "PNG", "WEBP"
    width: int
    height: int


def image_sniff(
    source,
    *,
    formats: Collection[str],
    max_pixels: int,
    max_bytes: int | None = None,
    min_side: int | None = None,
) -> SniffedImage:
    """Check ``source`` (bytes, or an uploaded file — rewound afterwards) or raise ImageRefused."""
    size = len(source) if isinstance(source, bytes) else source.size
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ImageRefused(ImageRefused.TOO_LARGE, size=size)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: a warning is a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(source) as probe:
                fmt, (width, height) = probe.format, probe.size
                if width * height > max_pixels:
                    raise ImageRefused(
                        ImageRefused.TOO_MANY_PIXELS, format=fmt, width=width, height=height
                    )
                probe.verify()  # checks the structure; leaves the image unusable
            with _open(source) as image:
                image.load()  # verify() does not decode: a truncated JPEG only fails here
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(ImageRefused.TOO_MANY_PIXELS) from exc
    except Exception as exc:  # noqa: BLE001 — any decoder failure means "unreadable"
        raise ImageRefused(ImageRefused.UNREADABLE) from exc
    finally:
        if not isinstance(source, bytes):
            source.seek(0)
    if fmt not in formats:
        raise ImageRefused(ImageRefused.WRONG_FORMAT, format=fmt, width=width, height=height)
    if min_side is not None and min(width, height) < min_side:
        raise ImageRefused(ImageRefused.TOO_SMALL, format=fmt, width=width, height=height)
    return SniffedImage(format=fmt, width=width, height=height)


def _open(source) -> Image.Image:
    if isinstance(source, bytes):
        return Image.open(io.BytesIO(source))
    source.seek(0)
    return Image.open(source)
