"""Exports: the OCDS release package and the generated region pages.

Private: the public API is :mod:`socialwork_procurement`.
"""
