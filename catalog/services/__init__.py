"""Catalog writes, one module per area (stock, products, bulk, imports, alerts, images)."""

from catalog.services.products.actions import product_lift_suspension, product_suspend
from catalog.services.products.editing import VersionConflict
from catalog.services.products.status import product_transition
from catalog.services.stock import (
    OutOfStock,
    StockChange,
    StockNotClear,
    stock_move,
    stock_move_many,
    stock_reserve_clear,
)
from common.transitions import TransitionRefused

__all__ = [
    "OutOfStock",
    "StockChange",
    "StockNotClear",
    "TransitionRefused",
    "VersionConflict",
    "product_lift_suspension",
    "product_suspend",
    "product_transition",
    "stock_move",
    "stock_move_many",
    "stock_reserve_clear",
]
