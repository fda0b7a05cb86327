"""Catalog writes, one module per area (stock, products, bulk, imports, alerts, images)."""

from catalog.services.products import (
    TransitionRefused,
    VersionConflict,
    product_lift_suspension,
    product_suspend,
    product_transition,
)
from catalog.services.stock import (
    OutOfStock,
    stock_adjust,
    stock_release,
    stock_reserve,
    stock_reserve_many,
    stock_ship,
)

__all__ = [
    "OutOfStock",
    "TransitionRefused",
    "VersionConflict",
    "product_lift_suspension",
    "product_suspend",
    "product_transition",
    "stock_adjust",
    "stock_release",
    "stock_reserve",
    "stock_reserve_many",
    "stock_ship",
]
