"""Views of the portal app."""
