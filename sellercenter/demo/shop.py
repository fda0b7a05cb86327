"""Seeding one demo shop (the seed_demo command calls it once per shop)."""

import random
from datetime import timedelta
from decimal import Decimal

from accounts import crypto
from catalog.models import SKU, Product, StockMovement
from catalog.services import StockChange, stock_move_many
from common.policy import POLICY
from orders.inbox.models import Conversation, Message
from orders.marketing.models import LiveSession
from orders.models import Order, OrderLine, OrderStatusChange, Visit
from orders.services.checkout_read import line_title
from sellercenter.demo.onboarding import seed_onboarding
from sellercenter.demo.returns import seed_returns
from sellercenter.demo.vocabulary import ADJECTIVES, FIRST, LAST, NOUNS, SOURCES, US_STATES
from shops.models import BankAccount, Membership, Role, Shop


def seed_shop(seeder, slug, name, kind, members, category):
    """One demo shop with its members, bank account, products, 90 days of orders, visits,
    returns and messages. ``seeder`` is the running seed_demo command: its random generator,
    clock, scale and output."""
    rng, now = seeder.rng, seeder.now
    shop = Shop.objects.create(
        slug=slug,
        name=name,
        status=Shop.Status.ACTIVE,
        on_probation=False,
        sps=Decimal(rng.choice(["4.2", "4.6", "3.8", "4.9"])),
        created_at=now - timedelta(days=200),
        last_activity_at=now - timedelta(hours=2),
    )
    Membership.objects.bulk_create(Membership(user=u, shop=shop, role=r) for u, r in members)
    owner = next(u for u, r in members if r == Role.OWNER)
    seed_onboarding(shop=shop, owner=owner, reviewer=seeder.reviewer, rng=rng, now=now)
    BankAccount.objects.create(
        shop=shop,
        holder_name=owner.full_name,
        routing_number="021000021",
        account_number_encrypted=crypto.encrypt(f"{rng.randint(10**8, 10**9 - 1)}"),
        account_last4=f"{rng.randint(1000, 9999)}",
    )

    products, skus, opening = [], [], []  # opening: each SKU's units on hand
    for i in range(seeder.scale.products_per_shop):
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[kind])}"
        status = rng.choices(["live", "draft", "issues", "deactivated"], weights=[80, 8, 7, 5])[0]
        products.append(
            Product(
                shop=shop,
                title=title,
                description=f"{title} from {name}. Carefully made, shipped fast from our US warehouse.",
                category=category,
                brand=name,
                keywords=f"{kind}, {title.lower()}",
                status=status,
                status_reason="Add at least one image." if status == "issues" else "",
                created_at=now - timedelta(days=rng.randint(30, 180)),
                updated_at=now - timedelta(days=rng.randint(0, 29), minutes=i),
            )
        )
    Product.objects.bulk_create(products, batch_size=2000)
    for n, product in enumerate(products):
        variants = (
            [{"size": s} for s in rng.sample(["S", "M", "L", "XL"], rng.randint(1, 3))]
            if kind == "apparel"
            else [{}]
        )
        base = Decimal(rng.randint(8, 80)) + Decimal("0.99")
        for v, attrs in enumerate(variants):
            opening.append(rng.choice([0, 3, 12, 40, 120, 300]) + 200)
            skus.append(
                SKU(
                    shop=shop,
                    product=product,
                    seller_sku=f"{slug[:4].upper()}-{n + 1:05d}-{v + 1}",
                    attributes=attrs,
                    price=base,
                    compare_at_price=base + 10 if rng.random() < 0.3 else None,
                    weight_grams=rng.randint(100, 1500),
                )
            )
    SKU.objects.bulk_create(skus, batch_size=2000)
    live_skus = [s for s in skus if s.product.status == "live"] or skus

    orders, lines, history, reserved = [], [], [], {}
    seq = 0
    for day in range(90, -1, -1):
        for _ in range(
            max(0, int(rng.gauss(seeder.scale.orders_per_day, seeder.scale.orders_per_day / 3)))
        ):
            seq += 1
            placed = now - timedelta(days=day, minutes=rng.randint(0, 1439))
            if placed > now:
                placed = now - timedelta(minutes=rng.randint(1, 600))
            age = (now - placed).days
            status = _status_for_age(age, rng)
            picked = rng.sample(live_skus, k=min(len(live_skus), rng.choice([1, 1, 1, 2, 3])))
            order = Order(
                shop=shop,
                number=f"{slug[:3].upper()}{placed:%y%m%d}{seq:06d}",
                status=status,
                buyer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                buyer_email=f"buyer{seq}@example.com",
                buyer_phone=f"+1555{rng.randint(1000000, 9999999)}",
                confirmation_sent_at=placed,  # history: its email went out long ago
                ship_line1=f"{rng.randint(1, 9999)} Market St",
                ship_city="Springfield",
                ship_state=rng.choice(US_STATES),
                ship_postcode=f"{rng.randint(10000, 99999)}",
                subtotal=Decimal(0),
                shipping_fee=Decimal("4.99"),
                total=Decimal(0),
                placed_at=placed,
                ship_by=placed + timedelta(days=3),
                delivered_at=placed + timedelta(days=5)
                if status in ("delivered", "completed")
                else None,
                traffic_source=rng.choice(SOURCES),
            )
            subtotal = Decimal(0)
            for sku in picked:
                qty = rng.choice([1, 1, 2])
                subtotal += sku.price * qty
                lines.append(
                    (
                        order,
                        OrderLine(
                            shop=shop,
                            sku=sku,
                            product=sku.product,
                            title=line_title(sku),
                            seller_sku=sku.seller_sku,
                            quantity=qty,
                            unit_price=sku.price,
                            line_total=sku.price * qty,
                        ),
                    )
                )
                if status == "awaiting_shipment":
                    reserved[sku.pk] = reserved.get(sku.pk, 0) + qty
            order.subtotal = subtotal
            order.total = subtotal + order.shipping_fee
            orders.append(order)
    Order.objects.bulk_create(orders, batch_size=2000)
    for order, line in lines:
        line.order = order
    OrderLine.objects.bulk_create([line for _, line in lines], batch_size=4000)
    for order in orders:
        history.append(
            OrderStatusChange(
                shop=shop,
                order=order,
                to_status="awaiting_shipment",
                actor_kind="buyer",
                created_at=order.placed_at,
                note="Order placed and paid",
            )
        )
        if order.status != "awaiting_shipment":
            history.append(
                OrderStatusChange(
                    shop=shop,
                    order=order,
                    from_status="awaiting_shipment",
                    to_status=order.status,
                    actor_kind="system",
                    created_at=order.placed_at + timedelta(days=1),
                )
            )
    OrderStatusChange.objects.bulk_create(history, batch_size=4000)

    # Stock: the opening movement carries what is on hand and reserved, so the ledger sums.
    changes = [
        StockChange(s.pk, on_hand=units, reserved=reserved.get(s.pk, 0))
        for s, units in zip(skus, opening, strict=True)
    ]
    for start in range(0, len(changes), 500):
        stock_move_many(
            shop=shop,
            changes=changes[start : start + 500],
            reason=StockMovement.Reason.IMPORT,
            reference="demo opening stock",
        )

    visits = []
    product_list = [p for p in products if p.status == "live"] or products
    for day in range(90, -1, -1):
        for _ in range(
            max(1, int(rng.gauss(seeder.scale.visits_per_day, seeder.scale.visits_per_day / 4)))
        ):
            visits.append(
                Visit(
                    shop=shop,
                    product=rng.choice(product_list) if rng.random() < 0.7 else None,
                    visitor_key=f"v{rng.randint(1, 5000)}",
                    source=rng.choice(SOURCES),
                    occurred_at=now - timedelta(days=day, minutes=rng.randint(0, 1439)),
                )
            )
    Visit.objects.bulk_create([v for v in visits if v.occurred_at <= now], batch_size=5000)
    _seed_shipping(shop)  # the default shipping template

    held = [
        (n, now - timedelta(days=day, hours=rng.randint(2, 10)), now - timedelta(days=day, hours=1))
        for n, day in enumerate(sorted(rng.sample(range(1, 90), 12), reverse=True))
    ]
    LiveSession.objects.bulk_create(
        LiveSession(
            shop=shop,
            title=f"{name} live #{n + 1}",
            status=LiveSession.Status.ENDED,
            starts_at=started,
            expected_minutes=int((ended - started).total_seconds() // 60),
            started_at=started,
            ended_at=ended,
            created_at=started - timedelta(days=2),
            peak_viewers=rng.randint(20, 400),
            total_viewers=rng.randint(100, 3000),
        )
        for n, started, ended in held
    )
    completed = [o for o in orders if o.status in ("completed", "delivered")]
    first_line = {}
    for o, line in lines:
        first_line.setdefault(id(o), line)
    sold = rng.sample(completed, k=min(len(completed), max(2, len(completed) // 25)))
    seed_returns(
        shop=shop,
        sold=[(order, first_line[id(order)]) for order in sold],
        rng=rng,
        now=now,
        owner=owner,
    )

    # Buyers write about recent orders (well inside the response-rate window), and an
    # established seller answers them within hours, one a few hours past the policy's limit:
    # Home's response-rate tile reads like a real shop's (7 of 8 in time).
    window = timedelta(days=POLICY.response_rate_window_days - 5)
    recent = [o for o in orders if o.placed_at >= now - window] or orders
    late = POLICY.response_rate_answer_hours + 6
    answer_hours = [2, 1, 5, 3, late, 4, 2, 6]
    for order, hours in zip(rng.sample(recent, k=min(len(recent), 8)), answer_hours, strict=False):
        sent = min(now - timedelta(hours=1), order.placed_at + timedelta(hours=rng.randint(1, 48)))
        conv = Conversation.objects.create(
            shop=shop,
            order=order,
            buyer_name=order.buyer_name,
            buyer_email=order.buyer_email,
            last_message_at=sent,
        )
        answered = sent + timedelta(hours=hours)
        if answered and answered > now:
            answered = None
        Message.objects.create(
            shop=shop,
            conversation=conv,
            from_buyer=True,
            body=f"Hi! When will order {order.number} ship?",
            sent_at=sent,
            answered_at=answered,
        )
        if answered:
            Message.objects.create(
                shop=shop,
                conversation=conv,
                from_buyer=False,
                body="Thanks for your order — it ships within 3 business days.",
                sent_at=answered,
            )
    seeder.stdout.write(
        f"  {name}: {len(products)} products, {len(skus)} SKUs, {len(orders)} orders, {len(visits)} visits"
    )


def _status_for_age(age_days: int, rng: random.Random) -> str:
    if rng.random() < 0.04:
        return "cancelled"
    if age_days >= 14:
        return "completed"
    if age_days >= 7:
        return "delivered"
    if age_days >= 3:
        return rng.choice(["in_transit", "awaiting_collection"])
    return "awaiting_shipment"


def _seed_shipping(shop) -> None:
    """A default shipping template (two zones, free over $50)."""
    from orders.models import ShippingTemplate, ShippingZone
    from orders.models.shipping import US_STATES

    template = ShippingTemplate.objects.create(
        shop=shop, name="Standard", is_default=True, free_shipping_threshold=Decimal("50.00")
    )
    west = ["CA", "OR", "WA", "NV", "AZ"]
    ShippingZone.objects.create(
        shop=shop, template=template, name="West", states=west, rate_type="flat",
        flat_rate=Decimal("4.99"), min_days=2, max_days=4,
    )  # fmt: skip
    ShippingZone.objects.create(
        shop=shop, template=template, name="Rest of US",
        states=[s for s in US_STATES if s not in west], rate_type="per_item",
        first_item_rate=Decimal("5.99"), additional_item_rate=Decimal("1.50"),
        min_days=3, max_days=7,
    )  # fmt: skip
