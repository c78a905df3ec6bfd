"""views/explain."""
