"""Test helpers for socialwork-procurement."""
