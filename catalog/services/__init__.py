"""Catalog writes, one module per area (stock, products, imports…)."""

from catalog.services.stock import (
    OutOfStock,
    stock_adjust,
    stock_release,
    stock_reserve,
    stock_ship,
)

__all__ = ["OutOfStock", "stock_adjust", "stock_release", "stock_reserve", "stock_ship"]
