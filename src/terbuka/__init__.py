"""Terbuka core: framework-free transparency log, OCDS and verification code.

Nothing under this package imports Django (tests/test_architecture.py enforces it).
"""

__version__ = "0.1.0"
