"""Views of the contracting app."""
