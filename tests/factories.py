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


# --- catalog (issue 4) ------------------------------------------------------------------------
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
