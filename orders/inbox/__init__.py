"""Buyer messages — a nested Django app of orders."""
