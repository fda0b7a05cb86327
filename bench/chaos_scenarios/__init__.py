"""The scenarios of `make chaos` (bench/chaos.py sets up the private servers and Django first)."""
