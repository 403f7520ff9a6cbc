"""Selectors of the transparency app."""
