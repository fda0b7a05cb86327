import pytest
from django.core.files.storage import FileSystemStorage

from shops.models import TicketMessage, VerificationDocument

T_AND_S = "Trust & safety"


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    """Documents and ticket attachments go to a throwaway folder."""
    storage = FileSystemStorage(location=str(tmp_path / "private"))
    for model, name in ((VerificationDocument, "file"), (TicketMessage, "attachment")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    return storage


def post_action(client, url_name, action, ids, **data):
    from django.urls import reverse

    return client.post(
        reverse(url_name),
        {"action": action, "_selected_action": [str(i) for i in ids], **data},
    )
