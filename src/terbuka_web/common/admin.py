"""Admin of the common app."""
