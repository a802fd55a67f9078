"""idle package."""
