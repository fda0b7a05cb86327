"""Browser tests for onboarding and the verification queue, tried as people would.

The seller is created already verified: sign-up, email confirmation and 2FA are another area's
browser tests. Documents are real files: PNGs drawn with Pillow and a minimal valid PDF.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_scopes import scope

from shops.models import Shop, VerificationDocument, VerificationSubmission
from shops.review.access import REVIEWER_GROUP
from shops.services import onboarding
from tests.browser.conftest import screenshot, sign_in, sign_in_with_second_factor
from tests.documents import bomb_png_bytes, pdf_bytes, png_bytes
from tests.factories import UserFactory, enable_two_factor, totp_code
from tests.shops.helpers import onboard
from tests.storage import field_files_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EXPIRY = (timezone.localdate() + timedelta(days=700)).isoformat()


@pytest.fixture(autouse=True)
def private_storage(monkeypatch, tmp_path):
    return field_files_in(monkeypatch, tmp_path / "private", (VerificationDocument, "file"))


@pytest.fixture
def reviewer():
    user = UserFactory(email="riley@review.test", full_name="Riley Reviewer")
    user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    return user


def sign_out(page):
    page.context.clear_cookies()


def open_documents_step(page, password, *, email, shop_name) -> Shop:
    """A new individual seller's shop, signed in on its onboarding Documents page."""
    seller = UserFactory(email=email)
    shop = onboarding.shop_create(actor=seller, name=shop_name)
    with scope(shop=shop):
        onboarding.profile_set_seller_type(shop=shop, actor=seller, seller_type="individual")
    sign_in(page, seller.email, password)
    page.wait_for_url(f"**/shops/{shop.slug}/")
    page.goto(f"/shops/{shop.slug}/onboarding/documents/")
    return shop


def upload(page, doc_type, name, mime, content, expires=EXPIRY):
    page.select_option("select[name=doc_type]", doc_type)
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    if expires:
        page.fill("input[name=expires_on]", expires)
    page.click("button:has-text('Upload')")


def test_new_seller_onboards_reviewer_approves_seller_sees_shop_active(page, password, reviewer):
    seller = UserFactory(email="nina@seller.test", full_name="Nina Novak")
    key, _ = enable_two_factor(seller)  # bank details need two-step verification (SPEC §4)
    sign_in_with_second_factor(page, seller.email, password, key)
    page.wait_for_url("**/shops/")
    screenshot(page, "onboarding_picker")
    page.click("text=Set up your shop")
    page.fill("input[name=name]", "Nina's Knits")
    page.click("button:has-text('Create shop')")
    page.wait_for_url("**/onboarding/seller-type/")

    page.check("input[value=individual]")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url("**/onboarding/details/")
    page.fill("#id_legal_name", "Nina Novák")
    page.fill("#id_date_of_birth", "1994-03-12")
    page.fill("#id_address_line1", "500 Howard St")
    page.fill("#id_city", "San Francisco")
    page.select_option("#id_state", "CA")
    page.fill("#id_postcode", "94105")
    page.fill("#id_contact_email", "nina@seller.test")
    page.fill("#id_contact_phone", "(415) 555-0100")
    screenshot(page, "onboarding_details")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url("**/onboarding/documents/")

    # Save and resume: the progress page lists what is done and what is missing.
    page.click("a:has-text('Progress')")
    checklist = page.locator("#onboarding-checklist").inner_text()
    assert "2 of 5 steps done" in page.content()
    assert checklist.count("Missing") == 3
    page.click("#onboarding-checklist >> text=Documents")

    upload(page, "us_passport", "passport.png", "image/png", png_bytes())
    page.wait_for_selector("text=Document uploaded.")
    upload(page, "legal_residency", "green-card.pdf", "application/pdf", pdf_bytes())
    assert page.locator("#document-list tbody tr").count() == 2
    page.click("text=Continue to bank account")
    page.wait_for_url("**/settings/bank-account/")
    page.fill("#id_holder_name", "NINA NOVAK")
    page.fill("#id_routing_number", "021000021")
    page.fill("#id_account_number", "4400123456")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url("**/onboarding/tiktok/")
    page.fill("#id_username", "@ninaknits_2400")
    page.click("button:has-text('Link account')")
    page.wait_for_url("**/onboarding/")
    assert "@ninaknits_2400 · 2,400 followers" in page.content()
    assert "••••3456" in page.content()
    screenshot(page, "onboarding_progress_ready")
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=waiting for review")
    shop = Shop.objects.get(name="Nina's Knits")
    assert shop.status == Shop.Status.PENDING_VERIFICATION

    # A later submission from another shop queues behind this one.
    later_seller = UserFactory()
    onboard(onboarding.shop_create(actor=later_seller, name="Later Shop"), later_seller)

    sign_out(page)
    sign_in(page, reviewer.email, password)
    page.wait_for_url("**/review/")  # reviewers land on the verification queue
    head = page.locator("#review-queue tbody tr").first
    assert "Nina's Knits" in head.inner_text()
    assert head.locator("td.age").inner_text().strip() in {"0 min", "1 min", "2 min"}
    screenshot(page, "review_queue")
    head.locator("button:has-text('Claim')").click()
    page.wait_for_selector("text=Claimed. Other reviewers")
    assert "Nina Novák" in page.locator("#seller-data").inner_text()
    assert page.locator("#documents img").count() == 1  # the PNG shown beside the data
    assert "application/pdf" in page.locator("#documents").inner_text()
    screenshot(page, "review_detail")
    page.check("input[name=outcome][value=approved]")
    page.click("button:has-text('Record decision')")
    page.wait_for_url("**/review/")
    assert "Decision recorded for Nina's Knits" in page.content()

    sign_out(page)
    sign_in(page, seller.email, password)
    page.wait_for_url("**/account/second-factor/")
    page.fill("input[name=code]", totp_code(key, steps_ahead=1))  # each code works once
    page.click("button:has-text('Verify')")
    page.wait_for_url(f"**/shops/{shop.slug}/")
    assert page.locator(".topbar .badge").inner_text() == "Active"
    assert page.locator("#onboarding-banner").count() == 0
    page.goto(f"/shops/{shop.slug}/standing/probation/")
    assert "up to 50 orders a day" in page.locator("#probation-status").inner_text()


def test_reviewer_rejects_a_blurry_document_and_the_seller_resubmits(page, password, reviewer):
    seller = UserFactory(email="bo@seller.test")
    shop = onboarding.shop_create(actor=seller, name="Bo's Bakes")
    onboard(shop, seller)
    with scope(shop=shop):
        # The uploaded passport photo is blurry.
        document = VerificationDocument.objects.get()
        # Waiting for three days: past the 2-day target.
        VerificationSubmission.objects.update(
            submitted_at=timezone.now() - timedelta(days=3, hours=2)
        )
    document.file.storage.save(document.file.name, __import__("io").BytesIO(png_bytes(blurry=True)))
    sign_in(page, reviewer.email, password)
    page.goto("/review/")
    row = page.locator("#review-queue tbody tr").first
    assert "3 d 2 h" in row.inner_text() and "Overdue" in row.inner_text()
    assert "overdue" in row.get_attribute("class")
    screenshot(page, "review_queue_overdue")
    page.click("#review-queue >> text=Bo's Bakes")
    page.click("#decision button:has-text('Claim')")
    page.check("input[name=outcome][value=rejected]")
    page.select_option("select[name=reason]", "blurry")
    page.check(f"input[name=rejected_documents][value='{document.pk}']")
    page.fill("textarea[name=note]", "The passport photo is out of focus; please retake it.")
    page.click("button:has-text('Record decision')")
    page.wait_for_url("**/review/")

    sign_out(page)
    sign_in(page, seller.email, password)
    page.wait_for_url(f"**/shops/{shop.slug}/")
    banner = page.locator("#onboarding-banner").inner_text()
    assert "Blurry or unreadable image" in banner
    screenshot(page, "onboarding_rejected_home")
    page.click("#onboarding-banner >> text=Continue onboarding")
    assert "out of focus" in page.locator("#onboarding-status").inner_text()
    page.click("#onboarding-checklist >> text=Documents")
    assert "Rejected" in page.locator("#document-list").inner_text()
    upload(page, "us_passport", "passport-sharp.png", "image/png", png_bytes())
    page.wait_for_selector("text=Document uploaded.")
    page.click("a:has-text('Progress')")
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=waiting for review")
    with scope(shop=shop):
        submissions = VerificationSubmission.objects.order_by("submitted_at")
        assert [s.status for s in submissions] == ["rejected", "pending"]
        assert submissions[1].documents.get().original_name == "passport-sharp.png"


def test_bad_uploads_are_refused_with_a_reason_and_nothing_is_stored(
    page, password, private_storage
):
    shop = open_documents_step(page, password, email="eve@seller.test", shop_name="Eve's Emporium")
    png = png_bytes()
    cases = [
        ("setup.png", b"MZ\x90\x00\x03" + b"\x00" * 4000, "not a PDF, JPEG or PNG"),
        (
            "page.png",
            b"<html><body><script>alert(1)</script></body></html>",
            "not a PDF, JPEG or PNG",
        ),
        ("cut.png", png[: len(png) // 2], "damaged or incomplete"),
        ("bomb.png", bomb_png_bytes(), "far too many pixels"),
        (
            "huge.pdf",
            b"%PDF-1.4\n" + b"%" * (10 * 1024 * 1024 - 14) + b"%%EOF\n",
            "larger than 10 MB",
        ),
    ]
    for name, content, message in cases:
        upload(page, "us_passport", name, "image/png", content)
        assert message in page.locator(".errorlist").inner_text(), name
    screenshot(page, "onboarding_refused_upload")
    with scope(shop=shop):
        assert not VerificationDocument.objects.exists()
    assert not private_storage.exists() or not any(p.is_file() for p in private_storage.rglob("*"))


def test_tampering_with_another_sellers_document_id_is_404(page, password):
    victim = UserFactory()
    victim_shop = onboarding.shop_create(actor=victim, name="Victim Shop")
    onboard(victim_shop, victim, submit=False)
    with scope(shop=victim_shop):
        victim_doc = VerificationDocument.objects.get()
    shop = open_documents_step(
        page, password, email="mallory@seller.test", shop_name="Mallory Mart"
    )
    upload(page, "us_passport", "mine.png", "image/png", png_bytes())
    page.wait_for_selector("text=Document uploaded.")
    # Point the page's own "Remove" form at the victim's document id, then submit it.
    page.eval_on_selector(
        "#document-list form",
        "(form, id) => { form.action = form.action.replace(/documents\\/\\d+\\//, `documents/${id}/`); }",
        victim_doc.pk,
    )
    with page.expect_response(lambda r: "/remove/" in r.url) as response_info:
        page.click("#document-list button:has-text('Remove')")
    assert response_info.value.status == 404
    victim_doc.refresh_from_db()
    assert victim_doc.status == "uploaded"
    response = page.goto(f"/shops/{shop.slug}/onboarding/documents/{victim_doc.pk}/file/")
    assert response.status == 404


def test_seller_checks_program_eligibility_from_the_shop_page(page, password):
    from decimal import Decimal

    from tests.factories import MembershipFactory, ShopFactory, ViolationFactory

    shop = ShopFactory(name="Glow Lab", slug="glow", sps=Decimal("4.30"))
    ViolationFactory(shop=shop, points=13, reason="Counterfeit listing")
    owner = MembershipFactory(shop=shop, role="owner").user
    sign_in(page, owner.email, password)
    page.wait_for_url("**/shops/glow/")
    page.click("nav.sidenav >> text=Settings")
    page.click("#settings-verification >> text=Program eligibility")
    page.click("button:has-text('Check now')")
    page.wait_for_selector("#eligibility-criteria")
    points = page.locator("tr[data-criterion=violation_points]").inner_text()
    assert "13" in points and "no more than 12" in points and "Fail" in points
    assert "Pass" in page.locator("tr[data-criterion=sps]").inner_text()
    assert "Not eligible yet" in page.content()
