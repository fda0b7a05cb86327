"""A new seller's first Home: the getting-started checklist shown instead of figures that are
all zero. Each step is done or not from the shop's own rows (one query) and the session's
second factor; a step the member's role cannot open is shown without its link."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse

from catalog.models import Product
from orders.models import Order, ShippingTemplate
from shops.models import BankAccount, Shop
from shops.tenancy import member_may_open

FLAGS = ("bank", "product", "template", "ordered")
DONE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StartStep:
    key: str
    label: str
    hint: str
    done: bool
    url: str  # "" when done, or when the member's role cannot open the page


@dataclass(frozen=True)
class GettingStarted:
    steps: list[StartStep]
    has_orders: bool  # no order yet: the figures would all be zero, so Home shows this instead

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def getting_started(*, shop: Shop, membership, two_step: bool) -> GettingStarted:
    """``two_step``: the signed-in person has two-step verification (their session used it)."""
    flags = _shop_flags(shop)
    slug = {"shop_slug": shop.slug}
    verified = shop.status != Shop.Status.PENDING_VERIFICATION
    candidates = [
        (
            "verification",
            "Get your shop verified",
            "business details, an ID document and a review; products go live after it",
            verified,
            ("onboarding:progress", slug),
        ),
        (
            "bank_account",
            "Add a bank account",
            "where your earnings are paid; the holder must match your verified name",
            flags["bank"],
            ("shops:bank_account", slug),
        ),
        (
            "product",
            "Add your first product",
            "title, photos, variants with price and stock — or import a CSV",
            flags["product"],
            ("catalog:product_create", slug),
        ),
        (
            "shipping",
            "Set up a shipping template",
            "where you ship, what it costs and how long it takes",
            flags["template"],
            ("orders:shipping", slug),
        ),
        (
            "two_step",
            "Turn on two-step verification",
            "an authenticator app keeps your shop safe; payouts need it",
            two_step,
            ("account_security", {}),
        ),
    ]
    steps = [
        StartStep(key, label, hint, done, "" if done else _link(membership, *target))
        for key, label, hint, done, target in candidates
    ]
    return GettingStarted(steps=steps, has_orders=flags["ordered"])


def _shop_flags(shop: Shop) -> dict[str, bool]:
    """Which of the shop's own steps are done (one query). A shop that has done them all — an
    established shop, nearly every Home — is remembered for ``DONE_SECONDS`` (one cache read):
    the steps only come undone by removing every product or template, and the checklist may
    come back that much later."""
    done_key = f"getting-started-done:{shop.pk}"
    if cache.get(done_key):
        return dict.fromkeys(FLAGS, True)
    flags = (
        Shop.objects.filter(pk=shop.pk)
        .annotate(
            bank=Exists(BankAccount.objects.filter(shop=OuterRef("pk"))),
            product=Exists(Product.objects.filter(shop=OuterRef("pk"))),
            template=Exists(ShippingTemplate.objects.filter(shop=OuterRef("pk"))),
            ordered=Exists(Order.objects.filter(shop=OuterRef("pk"))),
        )
        .values(*FLAGS)
        .get()
    )
    if all(flags.values()):
        cache.set(done_key, True, DONE_SECONDS)
    return flags


def _link(membership, name: str, kwargs: dict) -> str:
    """The step's page, if the member's role opens it (a done step needs no link)."""
    url = reverse(name, kwargs=kwargs)
    return url if member_may_open(membership, url) else ""
