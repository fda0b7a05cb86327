"""Signals the order services send, so finance, analytics and lifecycle can react without the
order code importing them.

``order_status_changed``: sent on commit after every order transition, with
``shop``, ``order``, ``from_status``, ``to_status``, ``actor`` (a User or None for the system).
"""

from django.dispatch import Signal

order_status_changed = Signal()
