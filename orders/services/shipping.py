"""Shipping templates and the one quote function (SPEC §6), used by checkout and by the
"preview a quote" form on the template page."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction

from catalog.models import Product
from catalog.services.products.editing import product_shipping_template_set
from common.errors import BadInput, Refused
from common.figures import shop_figure, shop_figure_forget
from common.money import format_money
from common.policy import POLICY
from orders.models import ShippingTemplate, ShippingZone
from orders.models.shipping import US_STATES
from shops.models import Shop

CENT = Decimal("0.01")


@dataclass(frozen=True)
class QuoteItem:
    product_id: int | None
    quantity: int
    unit_price: Decimal
    weight_grams: int = 0


@dataclass(frozen=True)
class Quote:
    fee: Decimal  # what the buyer pays for shipping
    base_fee: Decimal  # the zone's rate before free / discounted shipping
    min_days: int
    max_days: int
    zone_names: tuple[str, ...]
    notes: tuple[str, ...]


class NotShippable(Refused):
    status_code = 400


# --- the quote --------------------------------------------------------------------------------
def shipping_quote(
    *,
    shop: Shop,
    state: str,
    items: list[QuoteItem],
    template: ShippingTemplate | None = None,
    named: dict[int, int] | None = None,
) -> Quote:
    """What shipping ``items`` to ``state`` costs.

    Without ``template``, each item uses its product's template or the shop's default; items
    are grouped per template and the group quotes added up (free shipping thresholds apply per
    template, to that template's items). ``named``: product id → the template the product
    names, when the caller read it already (checkout, with its SKUs).
    """
    state = (state or "").strip().upper()
    if state not in US_STATES:
        raise BadInput("Choose a US state to ship to.", field="state")
    if not items:
        raise BadInput("There is nothing to ship.")
    groups: dict[int, tuple[ShippingTemplate, list[QuoteItem]]] = {}
    if template is not None:
        groups[template.pk] = (template, list(items))
        zones = list(ShippingZone.objects.filter(shop=shop, template=template))
    else:
        # One query whatever the cart (none with ``named``): which products name a template;
        # the zones of those templates and of the default come from the shop's shared figure.
        if named is None:
            named = dict(
                Product.objects.filter(
                    shop=shop,
                    pk__in={i.product_id for i in items if i.product_id},
                    shipping_template_id__isnull=False,
                ).values_list("pk", "shipping_template_id")
            )
        wanted = set(named.values())
        zones = [
            z for z in shipping_zones(shop=shop) if z.template.is_default or z.template_id in wanted
        ]
        templates = {z.template_id: z.template for z in zones}
        default = next((t for t in templates.values() if t.is_default), None)
        if default is None or wanted - set(templates):
            # A template without zones (it ships nowhere): read the templates themselves.
            default = shipping_template_default(shop=shop)
            templates |= ShippingTemplate.objects.filter(shop=shop).in_bulk(wanted)
        for item in items:
            # A template that is gone (or never was this shop's) means the default.
            t = templates.get(named.get(item.product_id)) or default
            if t is None:
                raise NotShippable("This shop has no shipping template yet, so it cannot ship.")
            groups.setdefault(t.pk, (t, []))[1].append(item)
    fee = base = Decimal("0")
    min_days = max_days = 0
    names: list[str] = []
    notes: list[str] = []
    for tmpl, group in groups.values():
        zone = next((z for z in zones if z.template_id == tmpl.pk and state in z.states), None)
        if zone is None:
            raise NotShippable(f"This shop does not ship to {US_STATES[state]}.", field="state")
        group_base = _zone_rate(zone, group)
        group_fee = group_base
        subtotal = sum((i.unit_price * i.quantity for i in group), Decimal("0"))
        if tmpl.free_shipping_threshold is not None and subtotal >= tmpl.free_shipping_threshold:
            group_fee = Decimal("0")
            notes.append(
                f"Free shipping on orders over {format_money(tmpl.free_shipping_threshold)}"
            )
        elif tmpl.platform_shipping == ShippingTemplate.PlatformShipping.FREE:
            group_fee = Decimal("0")
            notes.append("Free shipping by the platform")
        else:
            if tmpl.discount_percent:
                group_fee = group_fee * (100 - tmpl.discount_percent) / 100
                notes.append(f"{tmpl.discount_percent}% off shipping")
            if tmpl.platform_shipping == ShippingTemplate.PlatformShipping.DISCOUNTED:
                pct = POLICY.platform_shipping_discount_percent
                group_fee = group_fee * (100 - pct) / 100
                notes.append(f"{pct}% off shipping by the platform")
        base += group_base
        fee += group_fee.quantize(CENT, rounding=ROUND_HALF_UP)
        min_days, max_days = max(min_days, zone.min_days), max(max_days, zone.max_days)
        names.append(zone.name)
    return Quote(
        fee=fee.quantize(CENT),
        base_fee=base.quantize(CENT),
        min_days=min_days,
        max_days=max_days,
        zone_names=tuple(names),
        notes=tuple(notes),
    )


SHIPPING_ZONES_FIGURE = "shipping-zones"


def shipping_zones(*, shop: Shop) -> list[ShippingZone]:
    """Every zone of the shop with its template: a shared figure (one cache read per quote),
    forgotten whenever a template or a zone changes (orders.receivers)."""
    return shop_figure(
        shop.pk,
        SHIPPING_ZONES_FIGURE,
        lambda: list(
            ShippingZone.objects.filter(shop=shop).select_related("template").order_by("pk")
        ),
    ).value


def shipping_zones_forget(shop_id: int) -> None:
    shop_figure_forget(shop_id, SHIPPING_ZONES_FIGURE, also_now=True)


def _zone_rate(zone: ShippingZone, items: list[QuoteItem]) -> Decimal:
    units = sum(i.quantity for i in items)
    if zone.rate_type == ShippingZone.RateType.FLAT:
        return zone.flat_rate
    if zone.rate_type == ShippingZone.RateType.PER_ITEM:
        return zone.first_item_rate + zone.additional_item_rate * max(units - 1, 0)
    grams = sum((i.weight_grams or 0) * i.quantity for i in items)
    tiers = zone.weight_tiers or []
    for tier in tiers:
        if grams <= int(tier["up_to_grams"]):
            return Decimal(str(tier["rate"]))
    return Decimal(str(tiers[-1]["rate"])) if tiers else Decimal("0")


# --- templates --------------------------------------------------------------------------------
def shipping_template_default(*, shop: Shop) -> ShippingTemplate | None:
    return ShippingTemplate.objects.filter(shop=shop, is_default=True).first()


def shipping_template_save(
    *,
    shop: Shop,
    actor,
    template: ShippingTemplate | None = None,
    name: str,
    free_shipping_threshold: Decimal | None,
    discount_percent: int,
    platform_shipping: str,
    make_default: bool = False,
) -> ShippingTemplate:
    """Create or update a template. The shop's first template becomes its default."""
    name = (name or "").strip()
    if not name:
        raise BadInput("Give the template a name.", field="name")
    if free_shipping_threshold is not None and free_shipping_threshold <= 0:
        raise BadInput(
            "The free shipping threshold must be above $0.", field="free_shipping_threshold"
        )
    if not 0 <= discount_percent <= 100:
        raise BadInput("Discounted shipping is a percent from 0 to 100.", field="discount_percent")
    if platform_shipping not in ShippingTemplate.PlatformShipping.values:
        raise BadInput("Unknown platform shipping option.", field="platform_shipping")
    with transaction.atomic():
        template = template or ShippingTemplate(shop=shop)
        template.name = name
        template.free_shipping_threshold = free_shipping_threshold
        template.discount_percent = discount_percent
        template.platform_shipping = platform_shipping
        first = not ShippingTemplate.objects.filter(shop=shop).exclude(pk=template.pk).exists()
        try:
            with transaction.atomic():
                template.save()
        except IntegrityError:
            raise BadInput(f"A template named “{name}” already exists.", field="name") from None
        if first or make_default:
            shipping_template_make_default(shop=shop, actor=actor, template=template)
    return template


def shipping_template_make_default(*, shop: Shop, actor, template: ShippingTemplate) -> None:
    with transaction.atomic():
        ShippingTemplate.objects.filter(shop=shop, is_default=True).exclude(pk=template.pk).update(
            is_default=False
        )
        ShippingTemplate.objects.filter(shop=shop, pk=template.pk).update(is_default=True)
        template.is_default = True
        shipping_zones_forget(shop.pk)  # UPDATEs send no post_save


def shipping_zone_save(
    *,
    shop: Shop,
    actor,
    template: ShippingTemplate,
    zone: ShippingZone | None = None,
    name: str,
    states: list[str],
    rate_type: str,
    flat_rate: Decimal = Decimal("0"),
    first_item_rate: Decimal = Decimal("0"),
    additional_item_rate: Decimal = Decimal("0"),
    weight_tiers: list[dict] | None = None,
    min_days: int,
    max_days: int,
) -> ShippingZone:
    """Create or update a zone; a state may belong to only one zone of the template."""
    name = (name or "").strip()
    states = sorted({s.strip().upper() for s in states if s.strip()})
    if not name:
        raise BadInput("Give the zone a name.", field="name")
    if not states:
        raise BadInput("Pick at least one state for the zone.", field="states")
    unknown = [s for s in states if s not in US_STATES]
    if unknown:
        raise BadInput(f"Unknown state code(s): {', '.join(unknown)}.", field="states")
    if rate_type not in ShippingZone.RateType.values:
        raise BadInput("Choose a rate type.", field="rate_type")
    # Only the rate type's own fields are kept; the rest are stored as nothing, whatever came.
    used = ShippingZone.RATE_FIELDS[rate_type]
    rates = {
        "flat_rate": flat_rate,
        "first_item_rate": first_item_rate,
        "additional_item_rate": additional_item_rate,
    }
    for field, value in rates.items():
        if field not in used:
            rates[field] = Decimal("0")
        elif value is None or value < 0:
            label = field.removesuffix("_rate").replace("_", " ")
            raise BadInput(f"The {label} rate cannot be negative.", field=field)
    tiers = _clean_tiers(weight_tiers or []) if "weight_tiers" in used else []
    if not 0 <= min_days <= max_days:
        raise BadInput(
            "Delivery time: minimum days must not exceed maximum days.", field="max_days"
        )
    with transaction.atomic():
        # Lock the template so two zone edits cannot both claim the same state.
        ShippingTemplate.objects.select_for_update().filter(pk=template.pk).first()
        taken = {}
        for other in ShippingZone.objects.filter(shop=shop, template=template).exclude(
            pk=getattr(zone, "pk", None)
        ):
            for s in other.states:
                taken[s] = other.name
        clashes = [f"{s} (in {taken[s]})" for s in states if s in taken]
        if clashes:
            raise BadInput(
                "Each state belongs to one zone only; already zoned: " + ", ".join(clashes) + ".",
                field="states",
            )
        zone = zone or ShippingZone(shop=shop, template=template)
        zone.name, zone.states, zone.rate_type = name, states, rate_type
        zone.flat_rate, zone.first_item_rate = rates["flat_rate"], rates["first_item_rate"]
        zone.additional_item_rate, zone.weight_tiers = rates["additional_item_rate"], tiers
        zone.min_days, zone.max_days = min_days, max_days
        zone.save()
    return zone


def shipping_zone_delete(*, shop: Shop, actor, zone: ShippingZone) -> None:
    with transaction.atomic():
        ShippingZone.objects.filter(shop=shop, pk=zone.pk).delete()


def _clean_tiers(tiers: list[dict]) -> list[dict]:
    if not tiers:
        raise BadInput("Add at least one weight tier (up to grams = rate).", field="weight_tiers")
    out, last = [], 0
    for tier in tiers:
        grams, rate = int(tier["up_to_grams"]), Decimal(str(tier["rate"]))
        if grams <= last:
            raise BadInput(
                "Weight tiers must go up: each limit above the one before.", field="weight_tiers"
            )
        if rate < 0:
            raise BadInput("A tier rate cannot be negative.", field="weight_tiers")
        out.append({"up_to_grams": grams, "rate": str(rate.quantize(CENT))})
        last = grams
    return out


def unzoned_states(zones: list[ShippingZone]) -> list[str]:
    """States no zone covers: the template does not ship there (shown on the page)."""
    covered = {s for z in zones for s in z.states}
    return [s for s in US_STATES if s not in covered]


def product_shipping_set(
    *, shop: Shop, actor, product_id: int, template: ShippingTemplate | None
) -> None:
    """A product names ``template`` instead of the default (None: back to the default)."""
    product = (
        Product.objects.filter(shop=shop, pk=product_id)
        .exclude(status=Product.Status.DELETED)
        .first()
    )
    if product is None:
        raise BadInput("There is no product with that ID in this shop.", field="product_id")
    product_shipping_template_set(
        shop=shop, actor=actor, product=product, template_id=template.pk if template else None
    )
