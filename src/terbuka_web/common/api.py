"""Api of the common app."""
