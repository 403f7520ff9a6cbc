#!/usr/bin/env python
"""Run Django's management commands for Terbuka (the `terbuka` CLI wraps the common ones)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
