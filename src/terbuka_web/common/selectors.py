"""Selectors of the common app."""
