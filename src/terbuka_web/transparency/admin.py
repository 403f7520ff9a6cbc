"""Admin of the transparency app."""
