"""Api of the regions app."""
