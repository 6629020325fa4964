"""Domain types, money, USCC, the strict converter and the case-file JSON Schema (the lowest layer).

Private: the public API is :mod:`socialwork_procurement`.
"""
