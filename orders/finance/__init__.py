"""Finance: ledger, settlements, withdrawals — a nested Django app of orders."""
