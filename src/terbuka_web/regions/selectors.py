"""Selectors of the regions app."""
