"""Deterministic, idempotent demo data: shops, members, products with SKUs and stock, 90 days of
orders, visits, some returns and messages.

    manage.py seed_demo                    # small: a few shops, finishes in seconds
    manage.py seed_demo --scale large      # tens of thousands of products, 100k+ orders
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.demo import DEMO_TOTP_SECRET, enrol_demo_second_factor
from accounts.models import User
from catalog.models import Category
from common.clock import local_date
from common.policy import POLICY
from orders.analytics.services import rollup_rebuild
from orders.finance.services import finance_book_sale
from orders.finance.tasks import finance_settle_task
from orders.models import Order
from sellercenter.demo.shop import seed_shop
from sellercenter.demo.vocabulary import NOUNS, SCALES
from shops.models import Role, Shop

DEMO_PASSWORD = "demo-Seller-2026"
# The README's "Demo logins" table, in its order (a test keeps the two the same).
DEMO_LOGINS = [
    ("seller@demo.test", "owns Sunny Threads and Lumen Home"),
    ("manager@demo.test", "manager at Sunny Threads"),
    ("staff@demo.test", "staff at Sunny Threads (orders and customer service)"),
    ("other@demo.test", "owns Glow Lab (another seller, to try isolation)"),
    ("reviewer@demo.test", "verification reviewer (/review/)"),
    ("admin@demo.test", "platform admin (/admin/)"),
    ("trust@demo.test", "staff console: trust & safety"),
    ("support@demo.test", "staff console: support"),
    ("finance@demo.test", "staff console: finance"),
]


class Command(BaseCommand):
    help = (
        "Load deterministic demo data (idempotent: shops that already exist are left as they are)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: str, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run on the production profile.")
        self.rng = random.Random(seed)
        self.scale = SCALES[scale]
        self.now = timezone.now()
        self.password = make_password(DEMO_PASSWORD)
        with scopes_disabled():
            users = self._users()
            self.reviewer = users["reviewer"]  # approved the demo shops' verification
            categories = self._categories()
            shop_specs = [
                (
                    "sunny-threads",
                    "Sunny Threads",
                    "apparel",
                    [
                        (users["seller"], Role.OWNER),
                        (users["manager"], Role.MANAGER),
                        (users["staff"], Role.STAFF),
                    ],
                ),
                ("lumen-home", "Lumen Home", "home", [(users["seller"], Role.OWNER)]),
                ("glow-lab", "Glow Lab", "beauty", [(users["other"], Role.OWNER)]),
            ]
            for i in range(self.scale.extra_shops - 1):
                shop_specs.append(
                    (
                        f"demo-shop-{i + 1:04d}",
                        f"Demo Shop {i + 1}",
                        ["apparel", "home", "beauty"][i % 3],
                        [(users["other"], Role.OWNER)],
                    )
                )
            created = 0
            for slug, name, kind, members in shop_specs:
                if Shop.objects.filter(slug=slug).exists():
                    continue
                with transaction.atomic():
                    seed_shop(self, slug, name, kind, members, categories[kind])
                created += 1
        if created:
            rollup_rebuild(start=local_date() - timedelta(days=120), end=local_date())
            # Book the seeded completed orders in the finance ledger and settle those past
            # their hold, as the beat task would have over the last 90 days.
            window = timedelta(days=POLICY.return_window_days)
            with scopes_disabled():
                for order in Order.objects.filter(
                    status="completed", settlement__isnull=True
                ).select_related("shop"):
                    with scope(shop=order.shop):
                        completed_at = min(
                            self.now, (order.delivered_at or order.placed_at) + window
                        )
                        finance_book_sale(shop=order.shop, order=order, now=completed_at)
            finance_settle_task()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} shop(s) created, {len(shop_specs) - created} already there)."
            )
        )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}, as in the README):")
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<22} {what}")
        self.stdout.write(
            f"Two-step verification: add the secret {DEMO_TOTP_SECRET} to an authenticator app,"
            " or run `manage.py demo_totp` for the current code."
        )

    # --- people -------------------------------------------------------------------------------
    def _users(self) -> dict[str, User]:
        specs = {
            "seller": ("seller@demo.test", "Sam Seller", {}),
            "manager": ("manager@demo.test", "Maya Manager", {}),
            "staff": ("staff@demo.test", "Stan Staff", {}),
            "other": ("other@demo.test", "Olive Other", {}),
            "reviewer": ("reviewer@demo.test", "Riley Reviewer", {"is_staff": True}),
            "admin": ("admin@demo.test", "Ada Admin", {"is_staff": True, "is_superuser": True}),
            # One platform staff member per least-privilege group of the staff console.
            "trust": ("trust@demo.test", "Tara Trust", {"is_staff": True}),
            "support": ("support@demo.test", "Sol Support", {"is_staff": True}),
            "finance": ("finance@demo.test", "Fin Finance", {"is_staff": True}),
        }
        users = {}
        for key, (email, name, extra) in specs.items():
            user, created = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "password": self.password, **extra}
            )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            # Demo users sign in with a second factor too: the documented demo authenticator
            # secret (accounts.demo.DEMO_TOTP_SECRET; `manage.py demo_totp` prints the code).
            enrol_demo_second_factor(user)
            users[key] = user
        # The demo reviewer works the verification queue (group from shops' migration).
        from django.contrib.auth.models import Group

        from shops.review.access import REVIEWER_GROUP

        users["reviewer"].groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
        # The staff console groups (lifecycle migration 0003 gives them permissions).
        for key, group in (
            ("trust", "Trust & safety"),
            ("support", "Support"),
            ("finance", "Finance"),
        ):
            users[key].groups.add(Group.objects.get_or_create(name=group)[0])
        return users

    def _categories(self) -> dict[str, Category]:
        out = {}
        for kind in NOUNS:
            out[kind], _ = Category.objects.get_or_create(
                slug=kind, defaults={"name": kind.title()}
            )
        return out
