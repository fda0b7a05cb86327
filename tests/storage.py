"""Files a test writes go to its own throwaway folders, never the developer's var/ or media/."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db.models import Model


def store_files_in(settings, *, private: Path, media: Path | None = None) -> None:
    """Private files (documents, exports) under ``private`` and, when given, public media
    (product images) under ``media``."""
    storages = {**settings.STORAGES, "private": _located(settings.STORAGES["private"], private)}
    if media is not None:
        storages["default"] = _located(settings.STORAGES["default"], media)
    settings.STORAGES = storages


def _located(storage: dict, folder: Path) -> dict:
    return {**storage, "OPTIONS": {"location": str(folder)}}


def field_files_in(monkeypatch, folder: Path, *fields: tuple[type[Model], str]) -> Path:
    """The given (model, file field name) pairs store under ``folder`` for the test: these
    fields hold their storage object themselves, so the STORAGES setting does not reach them."""
    storage = FileSystemStorage(location=str(folder))
    for model, name in fields:
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    return folder
