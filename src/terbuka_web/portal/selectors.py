"""Selectors of the portal app."""
