import pytest
from django.core.files.storage import FileSystemStorage

from shops.models import VerificationDocument


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Documents go to a throwaway private folder, never the developer's var/private."""
    root = tmp_path / "private"
    field = VerificationDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=str(root)))
    return root
