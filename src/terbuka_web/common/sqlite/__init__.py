"""The database engine `terbuka_web.common.sqlite`: Django's SQLite, see base.py."""
