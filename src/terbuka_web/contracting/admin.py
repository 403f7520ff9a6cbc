"""Admin of the contracting app."""
