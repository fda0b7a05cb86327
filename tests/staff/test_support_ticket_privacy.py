"""A support ticket is its author's and the owner's. A manager or staff member of the same shop
who asks for the owner's ticket, its attachment, or posts a reply to it, gets 404 — the answer
a stranger gets — and the Help page lists only the tickets they may open."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from shops.models import SupportTicket, TicketMessage
from tests.documents import png_bytes
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _help(shop):
    return reverse("help:help", kwargs={"shop_slug": shop.slug})


def _open_ticket(client, shop, subject) -> tuple[int, int]:
    response = client.post(
        _help(shop),
        {
            "category": "payments",
            "subject": subject,
            "body": "Our payouts bounce: the routing number is 021000021.",
            "attachment": SimpleUploadedFile("statement.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    with scope(shop=shop):
        ticket = SupportTicket.objects.get(shop=shop, subject=subject)
        return ticket.pk, TicketMessage.objects.get(ticket=ticket).pk


def _urls(shop, ticket_id, message_id) -> tuple[str, str]:
    return (
        reverse("shops:ticket_detail", kwargs={"shop_slug": shop.slug, "support_ticket_id": ticket_id}),
        reverse("shops:ticket_attachment", kwargs={"shop_slug": shop.slug, "ticket_message_id": message_id}),
    )  # fmt: skip


def _member(shop, role) -> Client:
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)
    return client


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_other_members_cannot_open_the_owners_ticket_or_its_attachment(owner_client, shop, role):
    ticket_id, message_id = _open_ticket(owner_client, shop, "Payout bounced")
    thread, attachment = _urls(shop, ticket_id, message_id)
    member = _member(shop, role)
    assert member.get(thread).status_code == 404
    assert member.get(attachment).status_code == 404
    assert member.post(thread, {"body": "Reading along"}).status_code == 404
    assert "Payout bounced" not in member.get(_help(shop)).content.decode()
    with scope(shop=shop):
        assert TicketMessage.objects.filter(ticket_id=ticket_id).count() == 1
    # The owner still reads both.
    assert owner_client.get(thread).status_code == 200
    assert owner_client.get(attachment).status_code == 200


def test_a_manager_reads_their_own_ticket_and_the_owner_reads_it_too(owner_client, shop):
    manager = _member(shop, "manager")
    ticket_id, message_id = _open_ticket(manager, shop, "Campaign question")
    thread, attachment = _urls(shop, ticket_id, message_id)
    for client in (manager, owner_client):
        assert client.get(thread).status_code == 200
        assert client.get(attachment).status_code == 200
        assert "Campaign question" in client.get(_help(shop)).content.decode()
    staff = _member(shop, "staff")
    assert staff.get(thread).status_code == 404
    assert staff.get(attachment).status_code == 404
