"""Views of the regions app."""
