"""`parcours demo-data`: the documented spelling; Django names commands after their module."""

from .demo_data import Command  # noqa: F401
