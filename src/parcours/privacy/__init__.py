"""The person's rights (access, rectification, objection, erasure), retention, and the DPO's reads."""
