"""The PLIE programme: its definition, and its own apps (application and assessment, the commission)."""
