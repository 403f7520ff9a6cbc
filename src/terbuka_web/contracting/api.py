"""Api of the contracting app."""
