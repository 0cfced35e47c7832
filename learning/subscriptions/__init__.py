"""E-mail subscriptions to new and updated reviews: /subscribe/, double opt-in, digests.

docs/subscriptions.md explains it to board staff.
"""
