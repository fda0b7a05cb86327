"""Plumbing with no domain, below every app: the platform clock, the policy numbers, the mail
outbox helpers, stored-file serving, upload and image checks, CSV writing and shared per-shop
figures. Imports no project app."""
