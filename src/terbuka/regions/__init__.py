"""Kemendagri administrative region codes: province → regency/city → district → village."""
