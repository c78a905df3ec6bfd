"""views/peers."""
