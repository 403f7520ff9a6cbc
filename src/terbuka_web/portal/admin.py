"""Admin of the portal app."""
