"""Catalog background work: CSV imports, the daily stock-alert digest, purging old deletions."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from catalog.models import Product
from common.policy import POLICY
from shops.models import Shop
from shops.tasking import ShopTask


@shared_task(base=ShopTask)
def import_job_run_task(*, shop: Shop, job_id: int) -> None:
    from catalog.services.imports.jobs import import_job_run

    import_job_run(shop=shop, job_id=job_id)


@shared_task(base=ShopTask)
def import_images_task(*, shop: Shop, job_id: int) -> None:
    from catalog.services.imports.images import import_images_fetch

    import_images_fetch(shop=shop, job_id=job_id)


@shared_task(base=ShopTask)
def product_bulk_action_task(
    *, shop: Shop, actor_id: int | None, action: str, value: str, filters: dict
) -> None:
    """A bulk action on a large filtered set, off the request. Re-selects the set when it runs;
    every action is idempotent (setting a price twice, deactivating twice change nothing)."""
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from catalog.selectors import ProductFilter, product_queryset
    from catalog.services.bulk import product_bulk_action

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    params = QueryDict(mutable=True)
    params.update(filters)
    flt = ProductFilter.from_params(params)
    ids = list(product_queryset(shop=shop, flt=flt).values_list("pk", flat=True))
    product_bulk_action(shop=shop, actor=actor, action=action, product_ids=ids, value=value)


@shared_task
def stock_alert_digest_task() -> int:
    from catalog.services.alerts import stock_alert_digest_send

    return stock_alert_digest_send()


@shared_task
def purge_deleted_products_task() -> int:
    """Deleted products are recoverable for the retention window, then removed for good."""
    days = POLICY.product_deleted_retention_days
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
