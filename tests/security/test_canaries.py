"""Tenant matrix, beyond pages: nothing of shop A reaches a member of shop B.

Shop A is the canary world of the tenant-isolation test (its product, SKU, order, buyer, lines,
messages, returns, shipping templates, documents, bank account, staff and data export all carry
CANARY). A member of shop B, whose shop has data of its own, then: requests every seller URL of
B by GET with and without HX-Request, and again with ``?format=csv`` and a search for the canary;
downloads every CSV export (products, orders, analytics reports, finance statement); builds and
downloads B's full data export (the zip, every file in it read); replies to a buyer, ships and
cancels, and posts to every form of B. No page, partial, CSV, zip member or email sent meanwhile
(subject, body, HTML, attachments) contains A's canary.
"""

import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from lifecycle.models import DataExport
from orders.inbox.models import Conversation
from tests.factories import sign_in_verified
from tests.security.worlds import body_of, urls_for
from tests.shops.test_tenant_isolation import CANARY

pytestmark = pytest.mark.django_db

CSV_URLS = [
    "catalog:product_export",
    "orders:order_export",
    "orders:finance_statement",
    "orders:analytics_traffic",
    "orders:analytics_conversion",
    "orders:analytics_best_sellers",
    "orders:analytics_customers",
    "catalog:product_import_template",
]


def assert_clean(where: str, text: str):
    assert CANARY not in text, f"shop A's canary leaked into {where}"
    assert CANARY.lower() not in text.lower(), f"shop A's canary leaked into {where}"


def test_nothing_of_shop_a_reaches_a_member_of_shop_b(
    client, canary_world, b_world, other_owner, django_capture_on_commit_callbacks
):
    shop_b = b_world
    sign_in_verified(client, other_owner)  # reauth-gated pages (exports, bank) open too
    mail.outbox.clear()
    seen = 0

    # Every page and partial of B, plain, as CSV and searching for the canary.
    for name, url in urls_for(shop_b, only=lambda n, p: "shop_slug" in p):
        variants = [("", {}), ("", {"HX-Request": "true"}), ("?format=csv", {})]
        variants.append(("?q=7f3a-SHOP&search=SHOP-A", {}))
        for query, headers in variants:
            response = client.get(url + query, headers=headers)
            assert response.status_code < 500, f"GET {url}{query} → {response.status_code}"
            assert_clean(f"GET {url}{query} {headers}", body_of(response))
            seen += 1
    assert seen > 200

    # Every CSV export answers a real CSV and holds nothing of A's.
    for name in CSV_URLS:
        url = reverse(name, kwargs={"shop_slug": shop_b.slug})
        url += "?format=csv" if not url.endswith(".csv") else ""
        response = client.get(url)
        assert response.status_code == 200 and "csv" in response["Content-Type"], name
        assert_clean(f"CSV {name}", body_of(response))

    # B's full data export: request it, let the task build it, download and read every file.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lifecycle:export_list", kwargs={"shop_slug": shop_b.slug}))
    assert response.status_code in (200, 302)
    with scope(shop=shop_b):
        export = DataExport.objects.latest("pk")
    assert export.status == DataExport.Status.READY, export.status
    download = client.get(
        reverse(
            "lifecycle:export_download",
            kwargs={"shop_slug": shop_b.slug, "data_export_id": export.pk},
        )
    )
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert any("order" in n for n in names) and any("product" in n for n in names), names
    everything = ""
    for member in names:
        text = archive.read(member).decode(errors="replace")
        assert_clean(f"export {member}", text)
        everything += text
    assert "Beta mug" in everything and "BETA0001" in everything  # B's own data is there

    # Actions that email: a reply to B's buyer, a cancellation; then every B form, posted empty.
    with scope(shop=shop_b):
        conversation = Conversation.objects.get()
    order = conversation.order
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "orders:inbox_reply",
                kwargs={"shop_slug": shop_b.slug, "conversation_id": conversation.pk},
            ),
            {"body": "On its way!"},
        )
        client.post(
            reverse("orders:order_cancel", kwargs={"shop_slug": shop_b.slug, "order_id": order.pk}),
            {"reason": "out_of_stock"},
        )
        for name, url in urls_for(shop_b, only=lambda n, p: "shop_slug" in p):
            if "delete" in name or "unlink" in name or "deactivate" in name:
                continue
            response = client.post(url, {"q": "7f3a-SHOP"})
            assert_clean(f"POST {url}", body_of(response))
    assert mail.outbox, "B's actions sent no email at all: the check below would prove nothing"
    for message in mail.outbox:
        parts = [message.subject, message.body, *(str(a[0]) for a in message.alternatives)]
        parts += [
            a[1].decode(errors="replace") if isinstance(a[1], bytes) else str(a[1])
            for a in message.attachments
        ]
        assert_clean(f"email {message.subject!r} to {message.to}", "\n".join(parts))
