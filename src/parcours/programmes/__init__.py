"""Programmes: the row (territory, kind, name, the organisation that runs it, its parameters) and the registry
of definitions in code (workflow, step types, exit reasons, parameters) that the generic code asks."""
