"""Returns and refunds — a nested Django app of orders."""
