"""Signed webhooks (Standard Webhooks): subscriptions, the outbox written with each change,
deliveries with exponential backoff, and the target checks that keep them off private networks."""
