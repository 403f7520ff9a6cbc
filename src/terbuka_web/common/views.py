"""Views of the common app."""
