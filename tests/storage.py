"""Files a test writes go to its own throwaway folders, never the developer's var/ or media/."""

from pathlib import Path


def store_files_in(settings, *, private: Path, media: Path | None = None) -> None:
    """Private files (documents, exports) under ``private`` and, when given, public media
    (product images) under ``media``."""
    storages = {**settings.STORAGES, "private": _located(settings.STORAGES["private"], private)}
    if media is not None:
        storages["default"] = _located(settings.STORAGES["default"], media)
    settings.STORAGES = storages


def _located(storage: dict, folder: Path) -> dict:
    return {**storage, "OPTIONS": {"location": str(folder)}}
