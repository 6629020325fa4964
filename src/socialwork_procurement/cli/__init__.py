"""The ``swp`` command line, one module per command group.

Private: the public API is :mod:`socialwork_procurement`.
"""
