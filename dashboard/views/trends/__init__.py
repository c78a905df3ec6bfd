"""views/trends."""
