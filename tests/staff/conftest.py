import pytest

from shops.models import TicketMessage, VerificationDocument
from tests.storage import field_files_in

T_AND_S = "Trust & safety"


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Documents and ticket attachments go to a throwaway folder."""
    return field_files_in(
        monkeypatch,
        tmp_path / "private",
        (VerificationDocument, "file"),
        (TicketMessage, "attachment"),
    )
