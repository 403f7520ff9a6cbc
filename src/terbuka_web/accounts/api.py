"""Api of the accounts app."""
