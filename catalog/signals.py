"""Signals the catalog sends, so apps above it (the Open Platform's webhooks) can react without
the catalog importing them.

``stock_alerts_opened``: sent inside the stock change's transaction when SKUs cross into low or
out of stock (catalog.services.alerts), with ``shop`` and ``alerts`` (the StockAlert rows
written: ``sku_id``, ``kind``, ``available``). A receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

stock_alerts_opened = Signal()
