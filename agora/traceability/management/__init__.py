"""Management commands of the traceability app."""
