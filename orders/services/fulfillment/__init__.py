"""Fulfilment (SPEC §6): ship in one or more packages, cancel before shipment, buyers'
cancellation requests, carrier events and completion after the return window.

Every order status change goes through ``orders.services.transitions.order_transition``.
ship, cancel, delivery: one module per step; rules: what the steps share.
"""
