from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone
from django_scopes import scopes_disabled

from shops.models import Membership, Role, SellerProfile


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True)
def send_shop_email_task(shop_id: int, subject: str, body: str) -> None:
    """Email every owner of the shop, and the contact address given at onboarding."""
    with scopes_disabled():
        recipients = set(
            Membership.objects.filter(shop_id=shop_id, role=Role.OWNER).values_list(
                "user__email", flat=True
            )
        )
        contact = (
            SellerProfile.objects.filter(shop_id=shop_id)
            .values_list("contact_email", flat=True)
            .first()
        )
    if contact:
        recipients.add(contact)
    if recipients:
        send_mail(subject, body, None, sorted(recipients))


@shared_task(acks_late=True, ignore_result=True)
def document_expiry_sweep_task(date: str | None = None) -> None:
    """Daily (SPEC §2): expiry notices 30 and 7 days ahead; expired documents handled."""
    from datetime import date as date_cls

    from shops.services.expiry import document_expiry_sweep

    today = date_cls.fromisoformat(date) if date else timezone.localdate()
    document_expiry_sweep(today=today)
