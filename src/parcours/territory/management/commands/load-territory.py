"""`parcours load-territory`: the documented spelling; Django names commands after their module."""

from .load_territory import Command  # noqa: F401
