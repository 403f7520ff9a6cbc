"""Selectors of the api app."""
