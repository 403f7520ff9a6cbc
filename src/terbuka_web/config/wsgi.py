"""Expose the WSGI application for production servers (gunicorn, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
application = get_wsgi_application()
