"""CSV import: upsert products and variants by seller SKU, in a Celery task, with progress.

The upload is checked at once (UTF-8, headers) so the seller is told immediately; rows are
then validated and written by ``import_job_run`` in chunks. Each chunk validates every row in
Python first and writes only valid rows, in one transaction with bulk statements; should the
database still refuse the chunk (a concurrent edit took a seller SKU), the chunk is replayed row
by row, each in its own savepoint. Either way a row is saved whole or not at all.
"""
