"""Services of the contracting app."""
