"""Models of the common app."""
