import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Category
from tests.storage import store_files_in


def png_bytes(width: int = 400, height: int = 300, colour=(200, 30, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def image_upload(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images and private files go to a throwaway directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    store_files_in(settings, private=tmp_path / "private", media=tmp_path / "media")
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture
def category(db):
    parent = Category.objects.create(name="Apparel", slug="apparel")
    return Category.objects.create(name="T-shirts", slug="t-shirts", parent=parent)
