"""Services of the portal app."""
