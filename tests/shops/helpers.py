"""Bring a shop through onboarding in tests, step by step through the services."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope

from shops.models import Shop, VerificationDocument
from shops.services import onboarding
from shops.services.bank import bank_account_save
from tests.documents import png_bytes


def onboard(shop: Shop, actor, *, seller_type="individual", submit=True, followers=5000):
    """Fill every step for ``shop`` (owned by ``actor``), in its scope as the onboarding pages
    are; optionally submit. Returns the submission."""
    with scope(shop=shop):
        return _onboard(shop, actor, seller_type=seller_type, submit=submit, followers=followers)


def _onboard(shop: Shop, actor, *, seller_type, submit, followers):
    onboarding.profile_set_seller_type(shop=shop, actor=actor, seller_type=seller_type)
    data = {
        "legal_name": "Sam Seller",
        "address_line1": "1 Market St",
        "city": "San Francisco",
        "state": "CA",
        "postcode": "94105",
        "region": "US",
        "contact_email": "sam@seller.test",
        "contact_phone": "+14155550100",
    }
    if seller_type == "individual":
        data["date_of_birth"] = date(1990, 5, 17)
    else:
        data |= {
            "business_name": "Sunny Threads LLC",
            "registration_number": "C1234567",
            "registration_country": "US",
        }
    onboarding.profile_save_details(shop=shop, actor=actor, data=data)
    doc_type = "us_passport" if seller_type == "individual" else "business_license"
    upload_document(shop, actor, doc_type=doc_type, name="passport.png", valid_days=400)
    bank_account_save(
        shop=shop,
        actor=actor,
        holder_name=data.get("business_name") or data["legal_name"],
        routing_number="011000015",
        account_number="000123456789",
    )
    onboarding.tiktok_link(shop=shop, actor=actor, username=f"seller_{followers}")
    if submit:
        return onboarding.submission_submit(shop=shop, actor=actor)
    return None


def upload_document(shop: Shop, actor, *, doc_type: str, name: str, valid_days: int):
    """The seller uploads a readable PNG of ``doc_type`` valid ``valid_days`` from today."""
    return onboarding.document_upload(
        shop=shop,
        actor=actor,
        doc_type=doc_type,
        upload=ContentFile(png_bytes(), name=name),
        expires_on=timezone.localdate() + timedelta(days=valid_days),
    )


def documents(shop):
    with scope(shop=shop):
        return list(VerificationDocument.objects.all())
