"""views/data."""
