"""One shop whose every exportable text holds ``text``: product, order, line, return, message,
ledger memo, discount, campaign entry, audit change, import error, LIVE session, plus the shop's
data export built. The CSV safety tests feed their formula payloads through it."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from accounts import audit
from catalog.models import ImportJob
from common.clock import day_start, local_date
from lifecycle.models import DataExport
from orders.analytics.services import rollup_rebuild
from orders.finance.models import LedgerEntry
from orders.inbox.models import Conversation, Message
from orders.marketing.models import CampaignProduct, LivePin, LiveSession
from orders.models import Visit
from orders.returns.models import ReturnRequest
from tests.factories import (
    CampaignFactory,
    DiscountFactory,
    OrderFactory,
    OrderLineFactory,
    SKUFactory,
)
from tests.storage import store_files_in


def hostile_shop_data(*, text, shop, owner, owner_client, on_commit, settings, tmp_path) -> dict:
    """Build it; returns the ids the export URLs need."""
    store_files_in(settings, private=tmp_path)
    today = local_date()
    sku = SKUFactory(product__shop=shop, product__title=text, product__brand="-brand")
    order = OrderFactory(shop=shop, buyer_name=text, placed_at=day_start(today))
    line = OrderLineFactory(order=order, sku=sku, product=sku.product, title=text)
    ReturnRequest.objects.create(shop=shop, order=order, line=line, kind="refund_only",
                                 reason="Other", note=text)  # fmt: skip
    conversation = Conversation.objects.create(
        shop=shop, order=order, buyer_name=text, buyer_email="x@example.com"
    )
    Message.objects.create(shop=shop, conversation=conversation, from_buyer=True, body=text)
    Visit.objects.create(shop=shop, product=sku.product, visitor_key="v", source="live",
                         occurred_at=day_start(today))  # fmt: skip
    rollup_rebuild(start=today - timedelta(days=5), end=today)
    LedgerEntry.objects.create(shop=shop, kind="adjustment", bucket="available",
                               amount=Decimal("-1.00"), memo=text)  # fmt: skip
    DiscountFactory(shop=shop, name=text, products=[sku.product])
    CampaignProduct.objects.create(
        shop=shop, campaign=CampaignFactory(), product=sku.product, campaign_price=Decimal("1")
    )
    audit.record(actor=owner, action="product.edited", shop=shop, target=sku.product,
                 changes={"title": ("@old", text)})  # fmt: skip
    job = ImportJob.objects.create(shop=shop, filename="x.csv", file="x.csv",
                                   errors=[{"row": 2, "column": "title", "message": text}])  # fmt: skip
    held = day_start(today)
    live = LiveSession.objects.create(shop=shop, title=text, starts_at=held, started_at=held)
    LivePin.objects.create(shop=shop, session=live, product=sku.product)
    with on_commit(execute=True):
        owner_client.post(reverse("lifecycle:export_list", kwargs={"shop_slug": shop.slug}))
    return {
        "import_job_id": job.pk,
        "data_export_id": DataExport.objects.get(shop=shop).pk,
        "livesession_id": live.pk,
    }
