import pytest

from shops.models import VerificationDocument
from tests.storage import field_files_in


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Documents go to a throwaway private folder, never the developer's var/private."""
    return field_files_in(monkeypatch, tmp_path / "private", (VerificationDocument, "file"))
