"""Orders writes, one module per area (checkout, lifecycle, fulfillment, shipping, pricing…).

Import from the module that owns the job, e.g. ``from orders.services.fulfillment import
order_ship``.
"""
