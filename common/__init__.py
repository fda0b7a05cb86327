"""Plumbing with no domain, below every app: the platform clock, the policy numbers, the email
outbox (common.mail; its table is this package's one model), stored-file serving, upload and
image checks, CSV writing and shared per-shop figures. Imports no project app."""
