"""views/map."""
