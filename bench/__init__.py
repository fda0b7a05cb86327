"""`make bench` and `make chaos`: measurements of the product, kept out of it.

The ``bench`` Django app (reference views, the seed and measurement commands) is installed only by
its own settings module, ``bench.settings``, which extends the product's.
"""
