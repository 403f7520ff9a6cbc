"""Citizen participation in the core: photo metadata stripping for report attachments."""
