"""Checks every upload field shares (documents here; product images and return photos call it),
and the form field that takes several images at once.

An image or PDF that also carries HTML or SVG markup — a polyglot, or a page renamed to .png —
is refused outright: it has no business in a photo or a scan, and a browser that is ever talked
into sniffing it would run it on our origin.
"""

import re

from django import forms

from common.errors import BadInput

# Long, specific tag openings only: short ones ("<a ") turn up by chance in compressed data.
_MARKUP = re.compile(
    rb"<\s*(?:script|html|!doctype\s+html|svg|iframe|body|object|embed)[\s>/]", re.IGNORECASE
)


def contains_markup(content: bytes) -> bool:
    return _MARKUP.search(content) is not None


def refuse_markup(upload, *, name: str | None = None) -> None:
    """Raise BadInput if the uploaded file (or bytes) holds HTML/SVG markup anywhere."""
    if isinstance(upload, bytes):
        content = upload
    else:
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
    if contains_markup(content):
        label = f"{name} " if name else "The file "
        raise BadInput(
            f"{label}contains web page code (HTML or SVG), not just an image or document. "
            "Upload a plain photo, scan or PDF."
        )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several optional images in one file input: a list of files, empty when none were chosen.
    The browser offers JPEG, PNG and WebP; the services check what the files contain."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
