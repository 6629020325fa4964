"""A pack whose import fails: the manager must report it and load the others."""

raise ImportError("this pack is broken on purpose")
