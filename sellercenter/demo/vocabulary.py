"""The demo's vocabulary: names, places, product words, traffic sources and the two scales."""

from dataclasses import dataclass

from orders.models import Visit

US_STATES = [
    "CA",
    "NY",
    "TX",
    "FL",
    "WA",
    "IL",
    "PA",
    "OH",
    "GA",
    "NC",
    "MI",
    "NJ",
    "VA",
    "AZ",
    "MA",
    "CO",
    "OR",
]
FIRST = [
    "Ava",
    "Liam",
    "Mia",
    "Noah",
    "Zoe",
    "Ethan",
    "Lily",
    "Mason",
    "Chloe",
    "Lucas",
    "Emma",
    "Owen",
    "Aria",
    "Leo",
]
LAST = [
    "Nguyen",
    "Smith",
    "Garcia",
    "Johnson",
    "Lee",
    "Brown",
    "Martinez",
    "Davis",
    "Lopez",
    "Wilson",
    "Clark",
    "Young",
]
ADJECTIVES = [
    "Cozy",
    "Classic",
    "Everyday",
    "Vintage",
    "Organic",
    "Bold",
    "Soft",
    "Modern",
    "Handmade",
    "Travel",
]
NOUNS = {
    "apparel": [
        "Hoodie",
        "T-Shirt",
        "Joggers",
        "Beanie",
        "Denim Jacket",
        "Socks (3-pack)",
        "Tote Bag",
    ],
    "home": [
        "Candle",
        "Throw Blanket",
        "Mug",
        "Planter",
        "Desk Lamp",
        "Cushion Cover",
        "Wall Clock",
    ],
    "beauty": ["Lip Balm", "Face Serum", "Hair Oil", "Body Lotion", "Sheet Mask", "Nail Kit"],
}
SOURCES = [s for s, _ in Visit.Source.choices]


@dataclass(frozen=True)
class Scale:
    extra_shops: int
    products_per_shop: int
    orders_per_day: int
    visits_per_day: int


SCALES = {
    "small": Scale(extra_shops=1, products_per_shop=40, orders_per_day=6, visits_per_day=40),
    "large": Scale(extra_shops=30, products_per_shop=1500, orders_per_day=120, visits_per_day=300),
}
