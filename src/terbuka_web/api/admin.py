"""Admin of the api app."""
