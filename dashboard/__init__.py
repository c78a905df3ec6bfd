"""labourdash dashboard: Dash pages over the warehouse mart."""
