"""Views of the transparency app."""
