"""What a buyer sends to checkout — the cart and the buyer's details — cleaned into values the
checkout can trust (a BadInput names the field otherwise), and the keyed fingerprint that binds a
checkout key to what it asked for."""

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac

from common.errors import BadInput
from common.policy import POLICY
from orders.models.shipping import US_STATES

POSTCODE = re.compile(r"^\d{5}(-\d{4})?$")


@dataclass(frozen=True)
class CartLine:
    sku_id: int
    quantity: int


@dataclass(frozen=True)
class Buyer:
    name: str
    email: str
    phone: str
    line1: str
    city: str
    state: str
    postcode: str


def checkout_fingerprint(*, cart: dict[int, int], buyer: Buyer, coupon_code: str) -> str:
    """A keyed hash of what a checkout asks for: its cleaned cart, buyer and coupon. Keyed with
    the secret key, so the stored value tells nothing about the buyer by itself."""
    body = json.dumps(
        {
            "cart": sorted(cart.items()),
            "buyer": buyer.__dict__,
            "coupon": coupon_code.strip().upper(),
        },
        sort_keys=True,
    )
    return salted_hmac("orders.checkout_fingerprint", body, algorithm="sha256").hexdigest()


def clean_cart(lines: list[CartLine]) -> dict[int, int]:
    if not lines:
        raise BadInput("The cart is empty.")
    most = POLICY.checkout_max_quantity
    cart: dict[int, int] = {}
    for line in lines:
        try:
            sku_id, quantity = _whole(line.sku_id), _whole(line.quantity)
        except (TypeError, ValueError):
            raise BadInput("Each cart line needs a SKU id and a whole-number quantity.") from None
        if quantity <= 0:
            raise BadInput("Quantities must be at least 1.", field="quantity")
        cart[sku_id] = cart.get(sku_id, 0) + quantity
        if cart[sku_id] > most:
            raise BadInput(f"At most {most} of one item per order.", field="quantity")
    return cart


def _whole(value) -> int:
    """An integer from JSON or a form: 2 and "2" pass; 1.5, true and "two" do not."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(value)
    return int(value)


def clean_buyer(buyer: Buyer) -> Buyer:
    values = {k: str(v or "").strip() for k, v in buyer.__dict__.items()}
    limits = {"name": 150, "email": 254, "phone": 20, "line1": 200, "city": 100, "postcode": 10}
    for field in ("name", "email", "line1", "city", "state", "postcode"):
        if not values[field]:
            raise BadInput(f"Enter your {_LABELS[field]}.", field=field)
    for field, most in limits.items():
        if len(values[field]) > most:
            raise BadInput(f"Your {_LABELS[field]} is too long.", field=field)
    try:
        validate_email(values["email"])
    except ValidationError:
        raise BadInput("Enter a valid email address.", field="email") from None
    values["state"] = values["state"].upper()
    if values["state"] not in US_STATES:
        raise BadInput("Choose a US state.", field="state")
    if not POSTCODE.match(values["postcode"]):
        raise BadInput("Enter a 5-digit ZIP code.", field="postcode")
    return Buyer(**values)


_LABELS = {
    "name": "name",
    "email": "email address",
    "phone": "phone number",
    "line1": "street address",
    "city": "city",
    "state": "state",
    "postcode": "ZIP code",
}
