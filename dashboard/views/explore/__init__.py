"""views/explore."""
