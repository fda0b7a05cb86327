"""Catalog pages, one module per screen family (urls.py names each view by its module)."""
