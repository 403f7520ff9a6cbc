"""Selectors of the contracting app."""
