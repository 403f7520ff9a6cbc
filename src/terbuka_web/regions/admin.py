"""Admin of the regions app."""
