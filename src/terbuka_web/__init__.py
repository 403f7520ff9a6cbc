"""Terbuka's Django project: persistence, portal, JSON API, admin and background tasks."""
