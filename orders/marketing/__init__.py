"""Marketing: coupons, discounts, campaigns, LIVE — a nested Django app of orders."""
