"""Rule records, findings and verdicts, the registry and ``decide``, the national layer.

Also the evaluation schedule, the hook specs and the plugin manager.

Private: the public API is :mod:`socialwork_procurement`.
"""
