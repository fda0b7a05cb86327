"""Inventory sync: a shop connects its Shopify store, and a beat job (or "Sync now") pulls the
store's stock levels for the SKUs whose codes match, applied as stock movements with the reason
"sync". ``shopify`` is the HTTP adapter (the Admin REST API); ``services`` connects, disconnects
and syncs."""
