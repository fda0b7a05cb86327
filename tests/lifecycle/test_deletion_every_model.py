"""SPEC §9.3: deleting a shop removes its inventory and sales records — every row of every model
with a foreign key to Shop, found through django.apps so a model added later is covered too —
except the anonymised orders and financial records the law requires, which a daily job purges
when the retention period ends."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from common.clock import local_date
from common.mail import email_queue
from common.models import OutboxEmail
from common.policy import POLICY
from lifecycle.models import RecordsRetention
from lifecycle.services import deletion
from lifecycle.services.deletion import retained_records_purge, shop_data_delete
from sellercenter.celery import BEAT_SCHEDULE
from shops.models import Shop
from shops.services.shop_status import shop_set_status
from tests.factories import (
    CampaignFactory,
    CategoryFactory,
    ShopFactory,
    UserFactory,
    sign_in_verified,
)
from tests.storage import store_files_in

pytestmark = pytest.mark.django_db(transaction=False)

# What the law keeps of a deleted shop (SPEC §9.3), without personal data. A change here is a
# change of policy: it must be made on purpose, in lifecycle.services.deletion and here.
LAW_KEEPS = {
    "orders.Order",
    "orders.OrderLine",
    "orders.OrderSettlement",
    "orders.LedgerEntry",
    "orders.Withdrawal",
    "orders.ReturnRequest",
    "lifecycle.RecordsRetention",
}
# Written by the deletion itself (the retention date), so no shop has one before.
WRITTEN_BY_DELETION = {"lifecycle.RecordsRetention"}
# The inventory SPEC §9.3 names, each of which must be among the models removed.
INVENTORY = {
    "catalog.Product",
    "catalog.SKU",
    "catalog.ProductImage",
    "catalog.StockMovement",
    "catalog.ProductStatusChange",
    "orders.ShippingTemplate",
    "catalog.Discount",
    "orders.Coupon",
    "orders.LiveSession",
    "orders.Message",
    "shops.VerificationDocument",
}


def shop_owned_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(f.is_relation and f.concrete and f.related_model is Shop for f in model._meta.fields)
    ]


def label(model) -> str:
    return model._meta.label


class Filler:
    """One row of every shop-owned model for a shop, each required field filled by its type,
    every foreign key pointing at the shop's own rows (or a person, so links to people show)."""

    def __init__(self, shop: Shop, person, files: list):
        self.shop, self.person, self.files = shop, person, files
        self.rows: dict[type[models.Model], models.Model] = {}

    def fill(self, model):
        if model not in self.rows:
            values = {f.name: self.value(model, f) for f in model._meta.concrete_fields}
            values = {k: v for k, v in values.items() if v is not _LEAVE}
            self.rows[model] = model._base_manager.create(**values)
        return self.rows[model]

    def value(self, model, field):
        tag = f"{model._meta.model_name}-{self.shop.pk}"
        if field.primary_key:
            return _LEAVE
        if field.is_relation:
            related = field.related_model
            if related is Shop:
                return self.shop
            if related._meta.label_lower == "accounts.user":
                return self.person
            if related in _owned():
                return self.fill(related)
            if related._meta.label == "catalog.Category":
                return CategoryFactory()
            if related._meta.label == "catalog.Campaign":
                return CampaignFactory()
            return _LEAVE if field.null else pytest.fail(f"{label(model)}.{field.name}: fill me")
        if isinstance(field, models.FileField):
            name = field.storage.save(f"every-model/{tag}-{field.name}.bin", ContentFile(b"x"))
            self.files.append((field.storage, name))
            return name
        if field.has_default() or field.null:
            return _LEAVE
        if field.choices:
            return field.choices[0][0]
        return _by_type(field, tag)


_LEAVE = object()


def _owned():
    return set(shop_owned_models())


def _by_type(field, tag):
    if isinstance(field, models.EmailField):
        return f"{tag}@people.test"
    if isinstance(field, models.CharField | models.TextField):
        return tag[: field.max_length] if field.max_length else tag
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return date.today()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.BinaryField):
        return b"x"
    pytest.fail(f"{field.model._meta.label}.{field.name}: no filler for {type(field).__name__}")


def rows_of(shop_id: int) -> dict[str, int]:
    with scopes_disabled():
        return {
            label(m): m._base_manager.filter(shop_id=shop_id).count() for m in shop_owned_models()
        }


@pytest.fixture
def full_shops(settings, tmp_path):
    """Two shops, each with a row in every shop-owned model and files in both storages."""
    store_files_in(settings, private=tmp_path / "p", media=tmp_path / "m")
    person = UserFactory(email="zelda@people.test")
    made = {}
    with scopes_disabled():
        for name in ("Doomed", "Kept"):
            shop = ShopFactory(name=name, slug=name.lower())
            files: list = []
            filler = Filler(shop, person, files)
            for model in shop_owned_models():
                if label(model) not in WRITTEN_BY_DELETION:
                    filler.fill(model)
            email_queue(to="zelda@people.test", subject="Hi", body="Zelda", shop_id=shop.pk)
            made[name] = (shop, files, filler.rows)
    return made


def delete(shop: Shop) -> None:
    with scopes_disabled():
        shop_set_status(shop=shop, actor=None, to=Shop.Status.DELETED)
        shop_data_delete(shop_id=shop.pk)


def test_the_law_keeps_exactly_the_anonymised_orders_and_financial_records():
    assert deletion.RETAINED == LAW_KEEPS
    removed = {label(m) for m in shop_owned_models()} - LAW_KEEPS
    assert INVENTORY <= removed, INVENTORY - removed


def test_deleting_a_shop_leaves_nothing_of_it_in_any_model_but_the_laws_records(full_shops):
    doomed, doomed_files, doomed_rows = full_shops["Doomed"]
    kept, kept_files, _ = full_shops["Kept"]
    before = rows_of(doomed.pk)
    empty = {name for name, count in before.items() if not count}
    assert empty == WRITTEN_BY_DELETION  # every other model has a row of the shop

    delete(doomed)

    after = rows_of(doomed.pk)
    left = {name: count for name, count in after.items() if count}
    assert set(left) == LAW_KEEPS, set(left) ^ LAW_KEEPS
    assert rows_of(kept.pk) == {name: int(name not in empty) for name in before}  # untouched
    # The retained rows name no person: no buyer, no link to a user.
    with scopes_disabled():
        for name in LAW_KEEPS:
            model = apps.get_model(name)
            for field in model._meta.fields:
                if field.is_relation and field.related_model._meta.label_lower == "accounts.user":
                    assert not model._base_manager.filter(
                        shop=doomed, **{f"{field.name}__isnull": False}
                    ).exists(), f"{name}.{field.name}"
        order = apps.get_model("orders.Order")._base_manager.get(shop=doomed)
        assert (order.buyer_name, order.buyer_email, order.ship_line1) == ("Deleted buyer", "", "")
        assert order.total == doomed_rows[apps.get_model("orders.Order")].total
        refund = apps.get_model("orders.ReturnRequest")._base_manager.get(shop=doomed)
        assert refund.note == ""
        assert not OutboxEmail.objects.filter(shop_id=doomed.pk).exists()
        shop = Shop.objects.get(pk=doomed.pk)
        assert (shop.name, shop.slug) == (f"Deleted shop {doomed.pk}", f"deleted-{doomed.pk}")
    # Every file of the deleted shop is gone from storage; the other shop's stay.
    assert [name for storage, name in doomed_files if storage.exists(name)] == []
    assert all(storage.exists(name) for storage, name in kept_files)


def test_deleting_twice_changes_nothing_more(full_shops):
    doomed, _, _ = full_shops["Doomed"]
    delete(doomed)
    first = rows_of(doomed.pk)
    with scopes_disabled():
        shop_data_delete(shop_id=doomed.pk)
    assert rows_of(doomed.pk) == first


def test_the_laws_records_are_purged_when_the_retention_period_ends(full_shops):
    doomed, _, _ = full_shops["Doomed"]
    kept, _, _ = full_shops["Kept"]
    delete(doomed)
    with scopes_disabled():
        retention = RecordsRetention.objects.get(shop=doomed)
    deleted_on = local_date(retention.deleted_at)
    years = POLICY.deleted_shop_records_keep_years
    assert retention.purge_on == deleted_on.replace(year=deleted_on.year + years)

    assert retained_records_purge(today=retention.purge_on - timedelta(days=1)) == 0
    assert set(k for k, v in rows_of(doomed.pk).items() if v) == LAW_KEEPS

    assert retained_records_purge(today=retention.purge_on) == 1
    assert not any(rows_of(doomed.pk).values())
    assert not Shop.objects.filter(pk=doomed.pk).exists()
    assert {k for k, v in rows_of(kept.pk).items() if not v} == WRITTEN_BY_DELETION
    assert retained_records_purge(today=retention.purge_on) == 0  # nothing twice


def test_a_daily_beat_job_runs_the_purge():
    entry = BEAT_SCHEDULE["lifecycle-purge-retained-records"]
    assert entry["task"] == "lifecycle.tasks.purge_retained_records_task"


def test_the_delete_page_names_what_goes_and_how_long_the_laws_records_stay(client, shop, owner):
    sign_in_verified(client, owner)
    page = client.get(reverse("lifecycle:delete", kwargs={"shop_slug": shop.slug}))
    text = " ".join(page.content.decode().split())
    for thing in ("products", "stock movements", "listing history", "shipping templates",
                  "discounts", "coupons", "live sessions"):  # fmt: skip
        assert thing in text.split('id="delete-removes">')[1].split("</li>")[0], thing
    years = POLICY.deleted_shop_records_keep_years
    assert f"kept without personal data for {years} years" in text
