"""The listing checks (SPEC §5 "issues"): what a product needs before it can go live.

One rule book, read two ways: ``listing_issues(product)`` for one product being published or
edited, and ``listing_issues_many(queryset)`` for a set (bulk activate, re-listing after the
inactivity sweep or a deactivation), in one query whatever the size. Stock means *available*
stock (on hand − reserved): stock held for open orders cannot be sold again.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from catalog.models import SKU, Product, ProductImage
from common.policy import POLICY


@dataclass(frozen=True)
class ListingFacts:
    """What the checks read of one product."""

    images: int
    description_chars: int
    has_category: bool
    has_variant: bool
    unpriced_variant: bool
    available_variant: bool  # some variant has available stock (on hand − reserved > 0)


def listing_issues(product: Product) -> list[str]:
    """What the seller must fix before this product can go live (empty: it may)."""
    skus = list(product.skus.all())
    return issues_of(
        ListingFacts(
            images=product.images.count(),
            description_chars=len(product.description.strip()),
            has_category=product.category_id is not None,
            has_variant=bool(skus),
            unpriced_variant=any(s.price is None for s in skus),
            available_variant=any(s.available > 0 for s in skus),
        )
    )


def listing_issues_many(products: QuerySet) -> dict[int, list[str]]:
    """{product id: its issues} for every product of the queryset, in one query."""
    skus = SKU.objects.filter(product=OuterRef("pk"))
    image_count = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = products.annotate(
        _images=Coalesce(Subquery(image_count, output_field=IntegerField()), Value(0)),
        _has_variant=Exists(skus),
        _unpriced=Exists(skus.filter(price__isnull=True)),
        _available=Exists(skus.filter(on_hand__gt=F("reserved"))),
    ).values_list(
        "pk", "_images", "description", "category_id", "_has_variant", "_unpriced", "_available"
    )  # fmt: skip
    return {
        pk: issues_of(
            ListingFacts(
                images=images,
                description_chars=len((description or "").strip()),
                has_category=category_id is not None,
                has_variant=has_variant,
                unpriced_variant=unpriced,
                available_variant=available,
            )
        )
        for pk, images, description, category_id, has_variant, unpriced, available in rows
    }


def issues_of(facts: ListingFacts) -> list[str]:
    """The checks themselves, each with the sentence the seller reads."""
    issues = []
    fewest = POLICY.product_min_images
    if facts.images < fewest:
        issues.append(
            "Add at least one image." if fewest == 1 else f"Add at least {fewest} images."
        )
    min_chars = POLICY.product_min_description_chars
    if facts.description_chars < min_chars:
        issues.append(f"Write a description of at least {min_chars} characters.")
    if not facts.has_category:
        issues.append("Choose a category.")
    if not facts.has_variant:
        issues.append("Add at least one variant with a price.")
    elif facts.unpriced_variant:
        issues.append("Set a price on every variant.")
    if facts.has_variant and not facts.available_variant:
        issues.append("Add stock to at least one variant.")
    return issues
