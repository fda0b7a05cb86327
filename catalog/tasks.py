"""Catalog background work: CSV imports, the daily stock-alert digest, purging old deletions."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from catalog.models import ImportJob, Product


@shared_task(acks_late=True, ignore_result=True)
def import_job_run_task(job_id: int) -> None:
    from catalog.services.imports import import_job_run

    with scopes_disabled():
        job = ImportJob.objects.select_related("shop").filter(pk=job_id).first()
    if job is None:
        return
    with scope(shop=job.shop):
        import_job_run(shop=job.shop, job_id=job.pk)


@shared_task(acks_late=True, ignore_result=True)
def stock_alert_digest_task() -> int:
    from catalog.services.alerts import stock_alert_digest_send

    return stock_alert_digest_send()


@shared_task(acks_late=True, ignore_result=True)
def purge_deleted_products_task() -> int:
    """Deleted products are recoverable for the retention window, then removed for good."""
    days = settings.SELLERCENTER["PRODUCT_DELETED_RETENTION_DAYS"]
    cutoff = timezone.now() - timedelta(days=days)
    with scopes_disabled():
        doomed = Product.objects.filter(status=Product.Status.DELETED, deleted_at__lt=cutoff)
        count = 0
        for product in doomed.iterator(chunk_size=500):
            paths = [p for i in product.images.all() for p in (i.image, i.thumbnail)]
            product.delete()
            for f in paths:
                f.storage.delete(f.name)
            count += 1
    return count
