"""The large bench data set (PostgreSQL): many shops, one big shop, and a 100-product shop.

    manage.py seed_bench [--shops 10000] [--products 1000000] [--orders 2000000]
                         [--big-products 100000] [--big-orders 500000]

Reused when it already exists (the big shop is the marker). Loads with COPY in minutes.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts import crypto
from accounts.models import User
from bench.pgcopy import copy_instances, next_ids
from catalog.models import SKU, Product
from common.clock import local_date
from orders.analytics.services import rollup_rebuild
from orders.models import Order, OrderLine, ShippingTemplate
from shops.models import BankAccount, Membership, Role, Shop

BIG, SMALL = "bench-big", "bench-small"
BENCH_EMAIL, BENCH_PASSWORD = "bench@bench.test", "bench-Password-2026"


class Command(BaseCommand):
    help = "Seed (or reuse) the large bench data set on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--shops", type=int, default=10_000)
        parser.add_argument("--products", type=int, default=1_000_000)
        parser.add_argument("--orders", type=int, default=2_000_000)
        parser.add_argument("--big-products", type=int, default=100_000)
        parser.add_argument("--big-orders", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL (set DATABASE_URL).")
        with scopes_disabled():
            if Shop.objects.filter(slug=BIG).exists():
                self.stdout.write("Bench data set already there: reusing it.")
                self._establish()
                return
            self.rng = random.Random(o["seed"])
            self.now = timezone.now()
            started = time.monotonic()
            user = self._bench_user()
            small_shops = o["shops"] - 2
            rest_products = max(0, o["products"] - o["big_products"] - 100)
            rest_orders = max(0, o["orders"] - o["big_orders"] - 300)
            plan = [(BIG, o["big_products"], o["big_orders"]), (SMALL, 100, 300)]
            per_p, per_o = rest_products // max(small_shops, 1), rest_orders // max(small_shops, 1)
            plan += [(f"bench-{i:05d}", per_p, per_o) for i in range(small_shops)]
            shop_ids = next_ids(Shop, len(plan))
            with transaction.atomic():
                copy_instances(
                    Shop,
                    (
                        Shop(
                            id=sid,
                            slug=slug,
                            name=slug.replace("-", " ").title(),
                            status="active",
                            on_probation=False,
                            created_at=self.now - timedelta(days=400),
                            last_activity_at=self.now - timedelta(days=self.rng.randint(0, 120)),
                        )
                        for sid, (slug, _, _) in zip(shop_ids, plan, strict=True)
                    ),
                )
                Membership.objects.bulk_create(
                    [
                        Membership(user=user, shop_id=shop_ids[0], role=Role.OWNER),
                        Membership(user=user, shop_id=shop_ids[1], role=Role.OWNER),
                    ]
                )
            for sid, (_slug, n_products, n_orders) in zip(shop_ids, plan, strict=True):
                self._shop(sid, n_products, n_orders)
            self.stdout.write(
                f"Loaded {len(plan)} shops in {time.monotonic() - started:.0f} s; building rollups…"
            )
            today = local_date()
            rollup_rebuild(
                start=today - timedelta(days=120), end=today, shop_ids=list(shop_ids[:2])
            )
            self._establish()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(
                self.style.SUCCESS(f"Bench data set ready in {time.monotonic() - started:.0f} s.")
            )

    def _establish(self) -> None:
        """The measured shops are established shops, as most traffic is: a payout account and
        a shipping template (so Home shows figures, not the getting-started checklist)."""
        for shop in Shop.objects.filter(slug__in=[BIG, SMALL]):
            BankAccount.objects.get_or_create(
                shop=shop,
                defaults={
                    "holder_name": shop.name,
                    "routing_number": "011000015",
                    "account_number_encrypted": crypto.encrypt("000123456789"),
                    "account_last4": "6789",
                },
            )
            ShippingTemplate.objects.get_or_create(
                shop=shop, name="Standard", defaults={"is_default": True}
            )

    def _bench_user(self) -> User:
        user, _ = User.objects.get_or_create(
            email=BENCH_EMAIL,
            defaults={"password": make_password(BENCH_PASSWORD), "full_name": "Bench Seller"},
        )
        EmailAddress.objects.get_or_create(
            user=user, email=BENCH_EMAIL, defaults={"verified": True, "primary": True}
        )
        return user

    def _shop(self, shop_id: int, n_products: int, n_orders: int) -> None:
        if not n_products:
            return
        rng, now = self.rng, self.now
        product_ids = next_ids(Product, n_products)
        sku_ids = next_ids(SKU, n_products)
        prices = [Decimal(rng.randint(5, 90)) + Decimal("0.99") for _ in range(n_products)]
        with transaction.atomic():
            copy_instances(
                Product,
                (
                    Product(
                        id=pid,
                        shop_id=shop_id,
                        title=f"Bench product {i}",
                        description="Bench product description long enough.",
                        status="live",
                        created_at=now - timedelta(days=200),
                        updated_at=now - timedelta(minutes=i),
                    )
                    for i, pid in enumerate(product_ids)
                ),
            )
            copy_instances(
                SKU,
                (
                    SKU(
                        id=kid,
                        shop_id=shop_id,
                        product_id=pid,
                        seller_sku=f"B{shop_id}-{i}",
                        attributes={},
                        price=prices[i],
                        on_hand=1000,
                        reserved=0,
                    )
                    for i, (kid, pid) in enumerate(zip(sku_ids, product_ids, strict=True))
                ),
            )
            if n_orders:
                order_ids = next_ids(Order, n_orders)
                line_ids = next_ids(OrderLine, n_orders)
                picks = [rng.randrange(n_products) for _ in range(n_orders)]
                statuses = ["completed"] * 8 + ["delivered", "awaiting_shipment"]
                copy_instances(
                    Order,
                    (
                        Order(
                            id=oid,
                            shop_id=shop_id,
                            number=f"B{shop_id}-{i:07d}",
                            status=statuses[i % 10],
                            buyer_name=f"Buyer {i}",
                            buyer_email=f"buyer{i % 50000}@example.com",
                            ship_line1="1 Main St",
                            ship_city="Springfield",
                            ship_state="CA",
                            ship_postcode="90001",
                            subtotal=prices[picks[i]],
                            total=prices[picks[i]],
                            shipping_fee=Decimal(0),
                            discount=Decimal(0),
                            placed_at=now - timedelta(minutes=(i * 97) % (90 * 1440)),
                            ship_by=now + timedelta(days=2),
                            traffic_source="video",
                            confirmation_sent_at=now,
                        )
                        for i, oid in enumerate(order_ids)
                    ),
                )
                copy_instances(
                    OrderLine,
                    (
                        OrderLine(
                            id=lid,
                            shop_id=shop_id,
                            order_id=oid,
                            sku_id=sku_ids[picks[i]],
                            product_id=product_ids[picks[i]],
                            title=f"Bench product {picks[i]}",
                            seller_sku=f"B{shop_id}-{picks[i]}",
                            quantity=1,
                            unit_price=prices[picks[i]],
                            line_total=prices[picks[i]],
                        )
                        for i, (lid, oid) in enumerate(zip(line_ids, order_ids, strict=True))
                    ),
                )
