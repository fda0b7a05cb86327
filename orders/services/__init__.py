"""Orders writes, one module per area (checkout, fulfillment, shipping, pricing, transitions…).

Import from the module that owns the job, e.g. ``from orders.services.fulfillment.ship import
order_ship``.
"""
