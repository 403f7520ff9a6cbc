"""Api of the portal app."""
