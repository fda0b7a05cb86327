"""Marketing pages (issue 7): discounts, coupons and campaign registrations with their numbers.

They sit in sellercenter because they compose three apps: discounts and campaign prices live in
catalog, coupons and the orders they brought in live in orders, and campaign registration needs
program eligibility from lifecycle.
"""
