"""Demo data for `manage.py seed_demo`: its vocabulary and one shop's worth of records."""
