"""Catalog writes, one module per area (stock, products, bulk, imports, alerts, images)."""

from catalog.services.products import (
    TransitionRefused,
    VersionConflict,
    product_lift_suspension,
    product_suspend,
    product_transition,
)
from catalog.services.stock import OutOfStock, StockChange, stock_move, stock_move_many

__all__ = [
    "OutOfStock",
    "StockChange",
    "TransitionRefused",
    "VersionConflict",
    "product_lift_suspension",
    "product_suspend",
    "product_transition",
    "stock_move",
    "stock_move_many",
]
