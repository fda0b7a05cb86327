from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from catalog.models import SKU, Product
from orders.models import Order, OrderLine
from shops.models import Membership, Role, Shop

PASSWORD = "correct-Horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    status = Shop.Status.ACTIVE
    on_probation = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    shop = factory.SubFactory(ShopFactory)
    role = Role.OWNER


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    description = "A well-described product that buyers will love to own."
    status = Product.Status.LIVE


class SKUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SKU

    product = factory.SubFactory(ProductFactory)
    shop = factory.SelfAttribute("product.shop")
    seller_sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("19.99")
    on_hand = 10


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    shop = factory.SubFactory(ShopFactory)
    number = factory.Sequence(lambda n: f"ORD{n:08d}")
    buyer_name = factory.Faker("name")
    buyer_email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    ship_line1 = "1 Main St"
    ship_city = "Springfield"
    ship_state = "CA"
    ship_postcode = "90001"
    subtotal = Decimal("19.99")
    shipping_fee = Decimal("0")
    total = Decimal("19.99")
    placed_at = factory.LazyFunction(timezone.now)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    shop = factory.SelfAttribute("order.shop")
    title = "Product"
    seller_sku = "SKU"
    quantity = 1
    unit_price = Decimal("19.99")
    line_total = Decimal("19.99")


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Conversation"

    shop = factory.SubFactory(ShopFactory)
    buyer_name = "B"
    buyer_email = "b@example.com"


class BuyerMessageFactory(factory.django.DjangoModelFactory):
    """A message the buyer sent (now, unless ``sent_at``); ``answered_at`` when the shop replied."""

    class Meta:
        model = "orders.Message"

    conversation = factory.SubFactory(ConversationFactory)
    shop = factory.SelfAttribute("conversation.shop")
    from_buyer = True
    body = "q"


# --- accounts: two-step verification --------------------------------------------------------------
def enable_two_factor(user) -> tuple[bytes, list[str]]:
    """Enrol ``user`` as the security page would: an authenticator app (confirmed), 10 backup
    codes and the email fallback. Returns (TOTP key, backup codes) for computing codes."""
    from accounts import twofactor
    from accounts.models import AuthenticatorDevice, EmailCodeDevice

    key = AuthenticatorDevice.new_key()
    device = AuthenticatorDevice(user=user, name="Authenticator app", confirmed=True)
    device.set_key(key)
    device.save()
    EmailCodeDevice.objects.get_or_create(user=user, defaults={"name": "Email code"})
    return key, twofactor.backup_codes_regenerate(user=user)


def totp_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """The authenticator app's current code (or the one ``steps_ahead`` 30-second steps later)."""
    from django_otp.oath import totp

    return f"{totp(key, step=30, digits=6, drift=steps_ahead):06d}"


def sign_in_verified(client, user) -> bytes:
    """Sign ``client`` in as ``user`` the way a finished sign-in leaves it: two-step enrolled
    (if not already), the session verified by the authenticator, and a fresh re-authentication
    — what views declared ``shop_view(..., sensitive=True)`` need. Returns the TOTP key
    (None if the user was already enrolled)."""
    import time

    from accounts.models import AuthenticatorDevice
    from accounts.reauth import SESSION_REAUTH_AT

    key = None
    if not AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
        key, _ = enable_two_factor(user)
    device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_REAUTH_AT] = time.time()
    session.save()
    return key


# --- Onboarding and verification --------------------------------------------------------
class VerificationDocumentFactory(factory.django.DjangoModelFactory):
    """A document row; the file itself is only written when a test passes ``file=``."""

    class Meta:
        model = "shops.VerificationDocument"

    shop = factory.SubFactory(ShopFactory)
    doc_type = "us_passport"
    file = factory.Sequence(lambda n: f"documents/test/doc-{n}.png")
    original_name = "passport.png"
    content_type = "image/png"
    size = 1234
    sha256 = "0" * 64
    width = 800
    height = 800
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    status = "uploaded"


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shops.Violation"

    shop = factory.SubFactory(ShopFactory)
    points = 1
    reason = "Late shipment"
    fraud = False


# --- catalog -------------------------------------------------------------------------------
class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Category"

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def listable_product(shop, *, status=Product.Status.DRAFT, stock=10, category=None, **kwargs):
    """A product that passes every listing check (image, description, category, price, stock)."""
    from catalog.models import ProductImage

    product = ProductFactory(
        shop=shop, status=status, category=category or CategoryFactory(), **kwargs
    )
    SKUFactory(product=product, on_hand=stock)
    ProductImage.objects.create(
        shop=shop,
        product=product,
        image="products/x.png",
        thumbnail="products/x.jpg",
        width=400,
        height=400,
    )
    return product


# --- Marketing: campaigns, discounts, coupons ---------------------------------------
class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign whose registration is open now and which runs from tomorrow for a week."""

    class Meta:
        model = "catalog.Campaign"

    name = factory.Sequence(lambda n: f"Black Friday {n}")
    registration_starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=12))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=8))
    min_discount_percent = Decimal("20")


class _RunningOfferFactory(factory.django.DjangoModelFactory):
    """A shop's percent offer that started yesterday."""

    class Meta:
        abstract = True

    shop = factory.SubFactory(ShopFactory)
    kind = "percent"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class DiscountFactory(_RunningOfferFactory):
    """A running discount; pass ``products=[...]`` to put products on it."""

    class Meta:
        model = "catalog.Discount"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sale {n}")
    value = Decimal("25")
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @factory.post_generation
    def products(obj, create, extracted, **kwargs):
        from orders.marketing.models import DiscountProduct

        for product in extracted or []:
            DiscountProduct.objects.create(shop=obj.shop, discount=obj, product=product)


class CouponFactory(_RunningOfferFactory):
    class Meta:
        model = "orders.Coupon"

    code = factory.Sequence(lambda n: f"SAVE{n}")
    value = Decimal("10")
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


# --- Staff console --------------------------------------------------------------------------
def staff_in_group(group_name: str, *, email: str | None = None):
    """A platform staff user (is_staff) whose only permissions come from ``group_name``."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=group_name).exists():
        # A transactional test flushed the migration's rows: run the data migration again.
        migration = importlib.import_module(
            "lifecycle.migrations.0003_staff_groups_least_privilege"
        )
        migration.add_groups(apps, None)
        importlib.import_module(
            "accounts.migrations.0003_support_may_unlock_second_factor"
        ).grant_unlock(apps, None)
    user = UserFactory(is_staff=True, **({"email": email} if email else {}))
    user.groups.add(Group.objects.get(name=group_name))
    return user
