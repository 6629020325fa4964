"""The event-store protocol and hash chain, and its SQLite and PostgreSQL backends.

Private: the public API is :mod:`socialwork_procurement`.
"""
