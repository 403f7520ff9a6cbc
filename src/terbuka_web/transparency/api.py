"""Api of the transparency app."""
