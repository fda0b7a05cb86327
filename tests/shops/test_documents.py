"""SPEC §2 documents: recognised by content, size and pixel limits, expiry, private storage."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent
from shops.models import SellerProfile, Shop, VerificationDocument
from shops.review.access import REVIEWER_GROUP
from tests.documents import bomb_png_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload
from tests.factories import MembershipFactory, ShopFactory, UserFactory, VerificationDocumentFactory

pytestmark = pytest.mark.django_db
MAX = 10 * 1024 * 1024


@pytest.fixture
def pending_shop(owner_client, shop):
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.PENDING_VERIFICATION)
    SellerProfile.objects.create(shop=shop, seller_type_chosen=True)
    return shop


def post_document(client, shop, file, doc_type="us_passport", expires_on=None):
    expires_on = expires_on or (timezone.localdate() + timedelta(days=400))
    return client.post(
        reverse("onboarding:documents", kwargs={"shop_slug": shop.slug}),
        {"doc_type": doc_type, "file": file, "expires_on": expires_on.isoformat()},
    )


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("passport.png", png_bytes(), "image/png"),
        ("passport.jpg", jpeg_bytes(), "image/jpeg"),
        ("scan.pdf", pdf_bytes(), "application/pdf"),
        ("misnamed.txt", png_bytes(), "image/png"),  # content decides, not the name
    ],
)
def test_accepted_files_are_stored_privately_with_the_detected_type(
    owner_client, pending_shop, private_storage, name, content, kind
):
    response = post_document(owner_client, pending_shop, upload(name, content))
    assert response.status_code == 302
    with scope(shop=pending_shop):
        document = VerificationDocument.objects.get(shop=pending_shop)
        assert document.content_type == kind
        assert document.size == len(content)
        assert document.status == "uploaded"
        files = stored_files(private_storage)
        assert len(files) == 1 and files[0].read_bytes() == content
        # The stored name is ours, not the seller's.
        assert name not in document.file.name
        assert AuditEvent.objects.filter(action="onboarding.document_uploaded").count() == 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("passport.png", b"MZ\x90\x00" + b"\x00" * 5000, "not a PDF, JPEG or PNG"),  # renamed .exe
        ("passport.png", b"<!doctype html><script>alert(1)</script>", "not a PDF, JPEG or PNG"),
        ("passport.png", png_bytes()[:-400], "damaged or incomplete"),  # truncated
        ("passport.pdf", pdf_bytes().replace(b"%%EOF", b""), "PDF is incomplete"),
        ("passport.png", png_bytes(599, 800), "too small to read"),
        ("passport.png", bomb_png_bytes(), "far too many pixels"),
        ("empty.pdf", b"", "empty"),
    ],
    ids=["exe", "html", "truncated-png", "truncated-pdf", "too-small", "bomb", "empty"],
)
def test_refused_uploads_say_why_and_store_nothing(
    owner_client, pending_shop, private_storage, name, content, message
):
    response = post_document(owner_client, pending_shop, upload(name, content, "image/png"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VerificationDocument.objects.exists()
    assert stored_files(private_storage) == []


def test_ten_megabytes_is_accepted_and_one_byte_more_is_refused(
    owner_client, pending_shop, private_storage
):
    pdf = pdf_bytes()
    padding = b"%" + b"x" * 100 + b"\n"
    body = pdf[:9] + padding * ((MAX - len(pdf)) // len(padding)) + pdf[9:]
    exact = body[:9] + b"%" * (MAX - len(body)) + b"\n"[:0] + body[9:]
    assert len(exact) == MAX
    assert post_document(owner_client, pending_shop, upload("a.pdf", exact)).status_code == 302
    response = post_document(owner_client, pending_shop, upload("b.pdf", exact + b"\n"))
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    with scope(shop=pending_shop):
        assert VerificationDocument.objects.count() == 1
        assert len(stored_files(private_storage)) == 1


def test_expired_or_missing_expiry_date_is_refused(owner_client, pending_shop, private_storage):
    today = timezone.localdate()
    response = post_document(
        owner_client, pending_shop, upload("p.png", png_bytes()), expires_on=today
    )
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    response = owner_client.post(
        reverse("onboarding:documents", kwargs={"shop_slug": pending_shop.slug}),
        {"doc_type": "us_passport", "file": upload("p.png", png_bytes())},
    )
    assert "Enter the expiry date" in response.content.decode()
    assert stored_files(private_storage) == []
    tomorrow = today + timedelta(days=1)
    ok = post_document(
        owner_client, pending_shop, upload("p.png", png_bytes()), expires_on=tomorrow
    )
    assert ok.status_code == 302


def test_business_types_are_refused_for_an_individual(owner_client, pending_shop):
    response = post_document(
        owner_client, pending_shop, upload("c.pdf", pdf_bytes()), doc_type="business_certificate"
    )
    assert response.status_code == 400
    with scope(shop=pending_shop):
        assert not VerificationDocument.objects.exists()


def test_certificate_without_expiry_is_fine_for_a_business(owner_client, pending_shop):
    with scope(shop=pending_shop):
        Shop.objects.filter(pk=pending_shop.pk).update(seller_type="business")
    response = owner_client.post(
        reverse("onboarding:documents", kwargs={"shop_slug": pending_shop.slug}),
        {"doc_type": "business_certificate", "file": upload("c.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    with scope(shop=pending_shop):
        assert VerificationDocument.objects.get().expires_on is None


def _saved_document(shop, content=None):
    from django.core.files.base import ContentFile

    document = VerificationDocumentFactory(shop=shop, file=None)
    document.file.save("doc.png", ContentFile(content or png_bytes()), save=True)
    return document


def _document_url(name: str, shop, document) -> str:
    """A document's own page (``document_file``, ``document_remove``) in ``shop``'s onboarding."""
    return reverse(
        f"onboarding:{name}",
        kwargs={"shop_slug": shop.slug, "verification_document_id": document.pk},
    )


def test_owner_downloads_a_document_as_an_uncached_attachment(owner_client, pending_shop):
    document = _saved_document(pending_shop)
    response = owner_client.get(_document_url("document_file", pending_shop, document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_files_are_not_under_a_public_path(settings, private_storage, pending_shop):
    document = _saved_document(pending_shop)
    assert not str(private_storage).startswith(str(settings.MEDIA_ROOT))
    assert not str(private_storage).startswith(str(settings.STATIC_ROOT))
    assert document.file.path.startswith(str(private_storage))


def test_other_sellers_and_staff_role_cannot_download(client, pending_shop, other_owner):
    document = _saved_document(pending_shop)
    url = _document_url("document_file", pending_shop, document)
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    staff = MembershipFactory(shop=pending_shop, role="staff").user
    client.force_login(staff)
    assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_tampering_with_another_sellers_document_id_in_a_post_is_404(
    owner_client, pending_shop, other_shop
):
    foreign = _saved_document(other_shop)
    response = owner_client.post(_document_url("document_remove", pending_shop, foreign))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "uploaded"
    assert foreign.file.storage.exists(foreign.file.name)


def test_reviewer_downloads_through_the_review_page_only(client, pending_shop):
    from shops.models import VerificationSubmission

    with scope(shop=pending_shop):
        document = _saved_document(pending_shop)
        submission = VerificationSubmission.objects.create(shop=pending_shop)
        submission.documents.add(document, through_defaults={"shop": pending_shop})
        reviewer = UserFactory()
        reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    url = reverse(
        "review:document_file",
        kwargs={"submission_id": submission.pk, "document_id": document.pk},
    )
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    with scope(shop=pending_shop):
        # A document of another shop through this submission's URL: 404.
        other = _saved_document(ShopFactory())
    assert (
        client.get(
            reverse(
                "review:document_file",
                kwargs={"submission_id": submission.pk, "document_id": other.pk},
            )
        ).status_code
        == 404
    )
    client.force_login(UserFactory())  # not a reviewer
    assert client.get(url).status_code == 404


def test_a_document_missing_from_storage_is_a_clear_404_not_a_server_error(
    owner_client, pending_shop, caplog
):
    document = _saved_document(pending_shop)
    document.file.storage.delete(document.file.name)  # lost volume, restore without files
    response = owner_client.get(_document_url("document_file", pending_shop, document))
    assert response.status_code == 404
    assert "no longer available" in response.content.decode()
    assert any("stored file missing" in r.getMessage() for r in caplog.records)
