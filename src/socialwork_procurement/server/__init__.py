"""The HTTP API and the rule explorer (the ``server`` extra): ``create_app()``, served by ``swp serve``.

Private: the public API is :mod:`socialwork_procurement`.
"""
