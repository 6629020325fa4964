"""The procurement lifecycle: the state machine, commands, events and the procurement object.

Private: the public API is :mod:`socialwork_procurement`.
"""
