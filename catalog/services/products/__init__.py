"""Product writes: the status machine (status), the product form and inline edit (editing), and
the status actions of sellers and staff (actions)."""
