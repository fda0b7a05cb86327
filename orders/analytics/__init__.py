"""Analytics: rollups and reports — a nested Django app of orders."""
