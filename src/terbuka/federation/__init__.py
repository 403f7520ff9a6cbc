"""Harvest another Terbuka instance: verify its log, pull its datasets, keep their origin."""
