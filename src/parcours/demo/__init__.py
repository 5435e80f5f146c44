"""The demo generator: a fictional PLIE (and twins at scale) built through the same services and workflow."""
