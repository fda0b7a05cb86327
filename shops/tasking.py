"""Celery task bases: a task opens its own scope, on a worker and when run eagerly alike.

``UnscopedTask`` is the app's default task class (``sellercenter.celery``): its body starts with
no shop scope even when it runs inline inside a request or a test (``CELERY_TASK_ALWAYS_EAGER``),
so a task that forgets its scope fails in tests exactly as it would on a worker.

``ShopTask`` is the one way to write a task that works for one shop (ARCHITECTURE §Tenancy):
callers pass ``shop_id=`` as a keyword; the base loads the shop — a cross-shop read, said so
here — and runs the body inside ``scope(shop=shop)``, handing it ``shop=``. A shop whose row is
gone has nothing left to work on: the task logs that and returns ``None``. Sweeps that fan out
over many shops stay ``UnscopedTask``s and queue one ``ShopTask`` per shop.

    @shared_task(base=ShopTask)
    def product_bulk_action_task(*, shop, actor_id, ...): ...

    product_bulk_action_task.delay_on_commit(shop_id=shop.pk, actor_id=..., ...)
"""

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.django.task import DjangoTask
from django_scopes import scope, scopes_disabled
from django_scopes.state import state as _scope_state

log = logging.getLogger(__name__)


@contextmanager
def no_inherited_scope() -> Iterator[None]:
    """Run with no scope at all (scopes on, no shop), whatever the caller had open."""
    token = _scope_state.set(None)
    try:
        yield
    finally:
        _scope_state.reset(token)


class UnscopedTask(DjangoTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        with no_inherited_scope():
            return super().__call__(*args, **kwargs)


class ShopTask(DjangoTask):
    abstract = True
    # The body takes ``shop`` while callers send ``shop_id``: Celery's own argument check would
    # refuse that, so ``apply_async`` checks the arguments against the body itself.
    typing = False

    def apply_async(self, args=None, kwargs=None, **options):
        self._check_arguments(args or (), kwargs or {})
        return super().apply_async(args, kwargs, **options)

    def delay_on_commit(self, *args, **kwargs) -> None:
        self._check_arguments(args, kwargs)  # a wrong call fails at the caller, not after commit
        super().delay_on_commit(*args, **kwargs)

    def _check_arguments(self, args, kwargs) -> None:
        if "shop_id" not in kwargs:
            raise TypeError(f"{self.name} works for one shop: pass shop_id= as a keyword")
        rest = {key: value for key, value in kwargs.items() if key != "shop_id"}
        inspect.signature(self.run).bind(*args, shop=None, **rest)

    def __call__(self, *args, shop_id: int, **kwargs):
        from shops.models import Shop

        with no_inherited_scope():
            with scopes_disabled():  # loading the tenant itself is the one cross-shop read
                shop = Shop.objects.filter(pk=shop_id).first()
            if shop is None:
                log.warning("%s skipped: shop %s no longer exists", self.name, shop_id)
                return None
            with scope(shop=shop):
                return super().__call__(*args, shop=shop, **kwargs)
