"""Services of the api app."""
