"""Signals the order services send, so finance, analytics and lifecycle can react without the
order code importing them.

``order_status_changed``: sent on commit after every order transition, with
``shop``, ``order``, ``from_status``, ``to_status``, ``actor`` (a User or None for the system).

``order_placed``: sent inside checkout's transaction once the order, its lines and its history
row are written (before any lock other checkouts share), with ``shop`` and ``order``. A
receiver's writes (the Open Platform's webhook outbox) commit or roll back with the order.
"""

from django.dispatch import Signal

order_status_changed = Signal()
order_placed = Signal()
