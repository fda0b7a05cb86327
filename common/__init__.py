"""Plumbing with no domain, below every app: it imports no project app."""
