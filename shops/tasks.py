from celery import shared_task
from django.utils import timezone


@shared_task
def document_expiry_sweep_task(date: str | None = None) -> None:
    """Daily (SPEC §2): expiry notices POLICY.document_expiry_notice_days ahead; expired documents handled."""
    from datetime import date as date_cls

    from shops.services.expiry import document_expiry_sweep

    today = date_cls.fromisoformat(date) if date else timezone.localdate()
    document_expiry_sweep(today=today)
