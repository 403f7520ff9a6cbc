"""Api of the api app."""
