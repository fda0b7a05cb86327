"""Help and support: the Help page quotes the product's own numbers; the contact form
opens a ticket; staff answer in the admin; the seller sees the thread and gets an email; tickets
waiting longer than SUPPORT_UNANSWERED_FLAG_HOURS are flagged for staff."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from shops.models import SupportTicket, TicketMessage
from tests.documents import png_bytes
from tests.factories import MembershipFactory, UserFactory, sign_in_verified, staff_in_group

pytestmark = pytest.mark.django_db


def _help(shop):
    return reverse("help:help", kwargs={"shop_slug": shop.slug})


def test_help_answers_with_the_policy_numbers_and_any_member_sees_it(client, shop, override_policy):
    override_policy(review_target_days=3, inactivity_first_reminder_days=45)
    staff_member = MembershipFactory(shop=shop, role="staff").user
    client.force_login(staff_member)
    html = client.get(_help(shop)).content.decode()
    assert "within <strong>3 days</strong>" in html
    assert "After <strong>45 days</strong> without activity" in html
    assert "After <strong>52 days</strong> live products are delisted" in html
    for heading in (
        "My verification is taking long",
        "A document was rejected",
        "Payment set-up errors",
        "Sign-in and locked accounts",
        "Inactivity, delisted products and re-listing",
        "Blurry or unreadable image",
    ):
        assert heading in html
    nav = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert f'href="{_help(shop)}"' in nav


def test_contact_form_opens_a_ticket_with_an_attachment(owner_client, owner, shop):
    response = owner_client.post(
        _help(shop),
        {
            "category": "documents",
            "subject": "Passport rejected",
            "body": "My passport was rejected as blurry, but it is sharp.",
            "attachment": SimpleUploadedFile("scan.txt", png_bytes(), content_type="text/plain"),
        },
    )
    with scope(shop=shop):
        ticket = SupportTicket.objects.get(shop=shop)
        assert response.status_code == 302
        assert response["Location"].endswith(f"/settings/support/{ticket.pk}/")
        assert (ticket.opened_by, ticket.category, ticket.status) == (owner, "documents", "open")
        assert ticket.awaiting_staff_since is not None
        message = ticket.messages.get()
    assert message.attachment_type == "image/png"  # recognised by content, not by name
    download = owner_client.get(
        reverse(
            "shops:ticket_attachment",
            kwargs={"shop_slug": shop.slug, "ticket_message_id": message.pk},
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()


def test_an_attachment_that_is_not_a_pdf_or_image_is_refused(owner_client, shop):
    response = owner_client.post(
        _help(shop),
        {
            "category": "other",
            "body": "See attached",
            "attachment": SimpleUploadedFile("shot.png", b"MZ\x90\x00 not an image"),
        },
    )
    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    assert not SupportTicket.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(owner_client, shop, override_policy):
    override_policy(support_attachment_max_bytes=1000)
    response = owner_client.post(
        _help(shop),
        {
            "category": "other",
            "body": "Big",
            "attachment": SimpleUploadedFile("a.png", png_bytes()),
        },
    )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_staff_reply_in_the_admin_emails_the_seller_who_sees_the_thread(
    client, owner, shop, django_capture_on_commit_callbacks
):
    ticket = SupportTicket.objects.create(
        shop=shop, opened_by=owner, category="payments", subject="Routing number refused",
        awaiting_staff_since=timezone.now(),
    )  # fmt: skip
    question = TicketMessage.objects.create(shop=shop, ticket=ticket, author=owner, body="Why?")
    support = staff_in_group("Support")
    sign_in_verified(client, support)
    change_url = reverse("admin:shops_supportticket_change", args=[ticket.pk])
    assert client.get(change_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url,
            {
                "reply": "Use the 9-digit number from your cheque.",
                "_save": "Save",
                # The read-only thread inline's management form, as the browser sends it.
                "messages-TOTAL_FORMS": "1",
                "messages-INITIAL_FORMS": "1",
                "messages-MIN_NUM_FORMS": "0",
                "messages-MAX_NUM_FORMS": "1000",
                "messages-0-id": str(question.pk),
                "messages-0-ticket": str(ticket.pk),
            },
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "answered" and ticket.awaiting_staff_since is None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "9-digit number" in mail.outbox[0].body
    assert f"/settings/support/{ticket.pk}/" in mail.outbox[0].body

    client.force_login(owner)
    page = client.get(
        reverse(
            "shops:ticket_detail", kwargs={"shop_slug": shop.slug, "support_ticket_id": ticket.pk}
        )
    ).content.decode()
    assert "Seller Center support" in page and "9-digit number" in page

    # The seller answers back: the ticket waits for staff again.
    client.post(
        reverse(
            "shops:ticket_detail", kwargs={"shop_slug": shop.slug, "support_ticket_id": ticket.pk}
        ),
        {"body": "Thanks, that worked."},
    )
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.awaiting_staff_since is not None


def test_tickets_older_than_24_hours_without_an_answer_are_flagged(admin_client, shop):
    now = timezone.now()
    old = SupportTicket.objects.create(
        shop=shop, category="other", subject="Old", awaiting_staff_since=now - timedelta(hours=25)
    )
    SupportTicket.objects.create(
        shop=shop, category="other", subject="Fresh", awaiting_staff_since=now - timedelta(hours=23)
    )
    SupportTicket.objects.create(shop=shop, category="other", subject="Answered")
    url = reverse("admin:shops_supportticket_changelist")
    flagged = admin_client.get(url, {"waiting": "overdue"})
    assert [t.pk for t in flagged.context["cl"].result_list] == [old.pk]
    everything = admin_client.get(url).content.decode()
    assert everything.count('class="ticket-overdue"') == 1
    # Written as the rest of the console writes dates ("Dec 1, 2026 02:50 PST").
    assert re.search(r"⚠ since [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} P[SD]T<", everything)
    assert re.search(r"since [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} P[SD]T<", everything)


def test_a_stranger_cannot_open_another_shops_ticket(client, shop, other_shop):
    ticket = SupportTicket.objects.create(shop=shop, category="other", subject="Mine")
    client.force_login(MembershipFactory(shop=other_shop, user=UserFactory()).user)
    url = reverse(
        "shops:ticket_detail", kwargs={"shop_slug": other_shop.slug, "support_ticket_id": ticket.pk}
    )
    assert client.get(url).status_code == 404


def test_support_downloads_a_sellers_attachment_finance_cannot(client, owner, shop):
    from shops.services.support import ticket_open

    with scope(shop=shop):
        ticket = ticket_open(
            shop=shop, actor=owner, category="documents", subject="Scan", body="See scan",
            attachment=SimpleUploadedFile("scan.png", png_bytes()),
        )  # fmt: skip
        message = ticket.messages.get()
    url = reverse("admin:shops_supportticket_attachment", args=[ticket.pk, message.pk])
    sign_in_verified(client, staff_in_group("Support"))
    page = client.get(reverse("admin:shops_supportticket_change", args=[ticket.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    sign_in_verified(client, staff_in_group("Finance"))
    assert client.get(url).status_code == 403
