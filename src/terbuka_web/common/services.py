"""Services of the common app."""
