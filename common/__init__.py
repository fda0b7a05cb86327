"""Plumbing with no domain, below every app: the platform clock, the policy numbers, the email
outbox (common.mail; its table is this package's one model), stored-file serving, upload and
image checks, CSV writing, shared per-shop figures and the state machines' transition helper.
Imports no project app."""
