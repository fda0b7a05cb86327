"""Lifecycle writes, one module per area: the inactivity sweep, re-listing, leaving, export."""
