"""Configure Terbuka from the environment (twelve-factor); defaults suit the SQLite demo.

Every variable, with its default and meaning: docs/configuration.md (tests/test_docs.py keeps
that list complete). Main ones:
  TERBUKA_DEBUG=1              development mode (never in production)
  TERBUKA_DATA_DIR             where the SQLite file, media, keys and log tiles live (default ./var)
  DATABASE_URL                 postgres://user@127.0.0.1:5432/terbuka (default: SQLite)
  TERBUKA_SECRET_KEY[_FILE]    Django secret key (else DATA_DIR/secret_key, generated when missing)
  TERBUKA_SECRET_KEY_FALLBACKS_FILE  former secret keys, one per line (0600), after a rotation
  TERBUKA_ALLOWED_HOSTS        comma-separated host names
  TERBUKA_OCID_PREFIX          the publisher's registered OCDS prefix, "ocds-" + 6 lowercase
                               letters/digits (default ocds-demo00: the demo's, never publish it)
  TERBUKA_IMPORT_OCID_PREFIXES registered prefixes imports may use, comma-separated (default
                               any but TERBUKA_OCID_PREFIX, which imports may never use)
  TERBUKA_PUBLISHER_NAME       publisher name written into every package
  TERBUKA_DATA_LICENSE         licence URL of every dataset and package (default CC BY 4.0)
  TERBUKA_DATA_CONTACT         contact of the catalogue (e-mail or URL; default publisher URI)
  TERBUKA_STORAGE              "filesystem" (default) or "s3" (django-storages, AWS_* variables)
  TERBUKA_S3_BUCKET            bucket for uploaded PDFs when TERBUKA_STORAGE=s3 (required then)
  TERBUKA_S3_ENDPOINT_URL      S3-compatible endpoint (MinIO, Ceph…); default AWS
  TERBUKA_S3_REGION            bucket region; credentials come from boto3's AWS_* variables
  TERBUKA_MAX_UPLOAD_MB        PDF size limit (default 20)
  TERBUKA_SSL_REDIRECT         redirect HTTP to HTTPS (default off: the proxy redirects)
  TERBUKA_HSTS_SECONDS         HSTS max-age (default one year, 0 in debug); _SUBDOMAINS, _PRELOAD
  TERBUKA_TRUSTED_PROXIES      reverse proxies whose X-Forwarded-For is read (IPs/CIDRs)
  TERBUKA_SEARCH_CACHE_SECONDS how long a worker reuses a search count or page (default 60; 0 off)
  TERBUKA_PG_RANDOM_PAGE_COST  PostgreSQL planner's random_page_cost for our sessions (1.1)
  TERBUKA_LOG_ORIGIN           log origin (default demo.terbuka.example/log, the demo's)
  TERBUKA_LOG_KEY[_FILE]       log signing key (note skey); debug/demo make DATA_DIR/log.key
  TERBUKA_LOG_BATCH            entries the sequencer integrates per transaction (default 1024)
  TERBUKA_LOG_LOCK_TIMEOUT     seconds the sequencer waits for in-flight appends (PostgreSQL, 5)
  TERBUKA_WITNESSES            JSON list of {"name","vkey","url","group"} (docs/witness.md)
  TERBUKA_WITNESSES_FILE       file holding that list when TERBUKA_WITNESSES is unset (default
                               DATA_DIR/witnesses.json when it exists: `terbuka demo` writes it)
  TERBUKA_WITNESS_THRESHOLDS   JSON {"group": k}: cosigners needed per group (default majority)
  TERBUKA_WITNESS_QUORUM       groups that must be satisfied (default all; "none" disables)
  TERBUKA_ANCHOR_NODES         Hive API nodes, comma-separated: anchor checkpoints (default off)
  TERBUKA_ANCHOR_ACCOUNT       Hive account whose posting key signs the anchors
  TERBUKA_ANCHOR_KEY_FILE      file (0600) holding that posting key (WIF)
  TERBUKA_REGISTRY_HMAC_KEY[_FILE]  key hashing registrants' NIK/KK (debug/demo make
                               DATA_DIR/registry-hmac.key)
  TERBUKA_REGISTRY_SEAL_KEY[_FILE]  key sealing registrants' names/addresses (debug/demo make
                               DATA_DIR/registry-seal.key)
  TERBUKA_EMAIL_HOST, _PORT, _USER, _PASSWORD[_FILE], _TLS, _SSL, _FROM, _BACKEND, _TIMEOUT
                               the mail server of notices (unset host: files in DATA_DIR/mail)
  TERBUKA_SMS_BACKEND          gateway class of SMS/WhatsApp notices (default files in
                               DATA_DIR/sms); TERBUKA_SMS_WEBHOOK_URL, _TOKEN[_FILE], _TIMEOUT
  TERBUKA_NOTIFY_PHONE_CHANNEL, _MAX_ATTEMPTS, _BACKOFF_SECONDS   notices' channel and retries
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from terbuka.errors import ValidationError
from terbuka.ocds.codes import ocid_prefixes_parse
from terbuka_web.common.client_ip import trusted_proxies_parse
from terbuka_web.config.env import (
    data_dir_from_env,
    database_from_env,
    env_choice,
    env_days_off,
    env_flag,
    env_float,
    env_int,
    env_required,
)
from terbuka_web.config.notify import email_from_env, notify_from_env
from terbuka_web.config.secrets import load_secret, secret_fallbacks_load


def env_ocid_prefixes(name: str, default: str = "") -> list[str]:
    """Return the registered ocid prefixes listed in environment variable name (comma-separated).

    Raises ImproperlyConfigured, naming the variable, for an entry not "ocds-" + 6 characters.
    """
    try:
        return ocid_prefixes_parse(os.environ.get(name, default), name=name)
    except ValidationError as exc:
        raise ImproperlyConfigured(f"{exc.message_id} / {exc.message_en}") from exc


BASE_DIR = Path(__file__).resolve().parent.parent
# A bad value of any variable stops every command with one line naming it (config/env.py).
# Nothing is created here: DATA_DIR is made when the database, a key or a file is first
# written into it, so commands that need no data directory make none.
DATA_DIR = data_dir_from_env()
DEBUG = env_flag("TERBUKA_DEBUG")
SECRET_KEY = load_secret("TERBUKA_SECRET_KEY", default_file=DATA_DIR / "secret_key")
SECRET_KEY_FALLBACKS = secret_fallbacks_load("TERBUKA_SECRET_KEY_FALLBACKS_FILE")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TERBUKA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves the Swagger UI of /api/docs from our own static files, not a CDN
    "terbuka_web.common",
    "terbuka_web.catalog",  # first of ours: its ready() registers main's datasets first
    "terbuka_web.accounts",
    "terbuka_web.regions",
    "terbuka_web.contracting",
    "terbuka_web.transparency",
    "terbuka_web.governance",
    "terbuka_web.scope",
    "terbuka_web.portal",
    "terbuka_web.api",
    "terbuka_web.flags",
    "terbuka_web.ledger",
    "terbuka_web.participation",
    "terbuka_web.budget",
    "terbuka_web.benefits",
    "terbuka_web.wallets",
    "terbuka_web.federation",
    "terbuka_web.openness",
    "terbuka_web.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "terbuka_web.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "terbuka_web.common.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "terbuka_web.accounts.middleware.PasswordChangeRequiredMiddleware",
    "terbuka_web.common.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "terbuka_web.config.urls"
WSGI_APPLICATION = "terbuka_web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(f"sqlite:///{DATA_DIR / 'terbuka.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # FULL: a commit is on disk when it returns, so a power cut cannot take back an
        # entry a signed and cosigned checkpoint covers (the sequencer checks it).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django's SQLite backend that first makes the file's directory (DATA_DIR by default).
    DATABASES["default"]["ENGINE"] = "terbuka_web.common.sqlite"
    # Test databases stay in memory, Django's SQLite default, which pytest-django keeps only
    # for the stock engine's name (else a file "test_<path>_gw0" in the working directory).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    # PostgreSQL plans with random_page_cost 4 (spinning disks) by default; a database kept in
    # memory or on SSD reads a random page about as fast as the next one. At 4 a ranked search
    # of a year walked the date index through 38k rows instead of the year's index through
    # 5k (bench/portal_search.py). Added to the session options, after any in DATABASE_URL.
    # A connection kept for this many seconds serves the worker's next requests: opening one
    # costs PostgreSQL a backend process per request (0 opens one per request, Django's default).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("TERBUKA_PG_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _cost = env_float("TERBUKA_PG_RANDOM_PAGE_COST", 1.1, minimum=0.1)
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={_cost:g}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "contracting:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes): 5 failures per username+IP lock that pair for 15 minutes,
# never the username alone (a third party elsewhere cannot lock an official out). The IP is
# the client's as seen by the trusted reverse proxies (common.client_ip), not the proxy's.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "terbuka_web.common.client_ip.client_ip"
# A locked login gets the styled 429 page that says for how long (and Retry-After).
AXES_LOCKOUT_CALLABLE = "terbuka_web.accounts.views.login_locked_out"
TRUSTED_PROXIES = trusted_proxies_parse(os.environ.get("TERBUKA_TRUSTED_PROXIES", ""))

# Sessions and cookies: secure unless running the local debug server.
SESSION_COOKIE_SECURE = not DEBUG and not env_flag("TERBUKA_INSECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "terbuka_web.common.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("TERBUKA_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("TERBUKA_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("TERBUKA_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("TERBUKA_HSTS_PRELOAD")
# Joining the browsers' HSTS preload list binds every subdomain for months: an opt-in
# (TERBUKA_HSTS_PRELOAD), so `check --deploy` does not warn that it is off.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Sent by common.middleware.SecurityHeadersMiddleware. No inline script or style anywhere
# (the Swagger UI of /api/docs runs from django-ninja's static files); forms post to this
# site only; no page may be framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded PDFs live outside anything a web server serves (DATA_DIR/uploads, or a private
# bucket); contracting.views.document_file serves them at MEDIA_URL: published ones to all,
# drafts only to their agency's officials. DATA_DIR/media held them before (publicly
# served): `terbuka documents protect` moves them (docs/configuration.md).
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
OLD_PUBLIC_MEDIA_ROOT = DATA_DIR / "media"
if env_choice("TERBUKA_STORAGE", "filesystem", ("filesystem", "s3")) == "s3":
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_required("TERBUKA_S3_BUCKET", "TERBUKA_STORAGE=s3"),
                "endpoint_url": os.environ.get("TERBUKA_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("TERBUKA_S3_REGION") or None,
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# Each worker keeps search counts and result pages in memory, keyed by the publication stamp
# (portal.selectors.SearchPaginator); nothing per user or per session goes in this cache.
# A 20-row page takes about 6 KB pickled, a 100-row API page 28 KB: 2000 entries stay under
# 60 MB per worker at worst (a third is dropped when full).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "terbuka",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Request bodies (common.middleware.RequestBodyLimitMiddleware refuses larger ones with 413
# before anything reads them): a signed-in PDF upload MAX_UPLOAD_BYTES plus the form's
# overhead, any other signed-in request DATA_UPLOAD_MAX_MEMORY_SIZE, anyone else 64 KiB.
MAX_UPLOAD_BYTES = env_int("TERBUKA_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
UPLOAD_OVERHEAD_BYTES = 64 * 1024
ANONYMOUS_BODY_MAX_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The defaults name the demo: an ocid prefix no publisher is given and a reserved domain
# (RFC 2606 .example). A real instance sets its registered prefix and its own origin.
OCID_PREFIXES = env_ocid_prefixes("TERBUKA_OCID_PREFIX", "ocds-demo00")
IMPORT_OCID_PREFIXES = env_ocid_prefixes("TERBUKA_IMPORT_OCID_PREFIXES")
if len(OCID_PREFIXES) != 1:
    raise ImproperlyConfigured(
        "TERBUKA_OCID_PREFIX harus satu prefiks terdaftar / must be one registered prefix"
    )
if OCID_PREFIXES[0] in IMPORT_OCID_PREFIXES:
    raise ImproperlyConfigured(
        f"TERBUKA_IMPORT_OCID_PREFIXES memuat prefiks instans ini {OCID_PREFIXES[0]}; impor tak "
        f"boleh memakainya / lists this instance's own prefix {OCID_PREFIXES[0]}, which imports "
        "may never use"
    )

WALLET_ISSUER = os.environ.get("TERBUKA_WALLET_ISSUER", "").strip()
if WALLET_ISSUER:
    from terbuka.errors import TerbukaError
    from terbuka.money.didkey import did_key_parse

    try:
        did_key_parse(WALLET_ISSUER, "TERBUKA_WALLET_ISSUER")
    except TerbukaError as exc:
        raise ImproperlyConfigured(f"TERBUKA_WALLET_ISSUER: {exc}") from None
# The allowance issuer's private key (0600: PEM or wallet file), checked here once: a bad,
# missing or too open file, or a key that is not TERBUKA_WALLET_ISSUER's, stops the start.
# Without TERBUKA_WALLET_ISSUER, the key's did:key is the issuer.
WALLET_ISSUER_KEY_FILE = os.environ.get("TERBUKA_WALLET_ISSUER_KEY_FILE", "").strip()
if WALLET_ISSUER_KEY_FILE:
    from terbuka.errors import TerbukaError
    from terbuka.money.walletfile import issuer_key_read

    try:
        WALLET_ISSUER = issuer_key_read(Path(WALLET_ISSUER_KEY_FILE), WALLET_ISSUER).did
    except TerbukaError as exc:
        raise ImproperlyConfigured(
            f"TERBUKA_WALLET_ISSUER_KEY_FILE: {exc.message_id} / {exc.message_en}"
        ) from None

TERBUKA = {
    "WALLET_ISSUER": WALLET_ISSUER,
    "WALLET_ISSUER_KEY_FILE": WALLET_ISSUER_KEY_FILE,
    "OCID_PREFIX": OCID_PREFIXES[0],
    "IMPORT_OCID_PREFIXES": IMPORT_OCID_PREFIXES,
    "PUBLISHER_NAME": os.environ.get("TERBUKA_PUBLISHER_NAME", "Pemerintah Kabupaten Bojonegoro"),
    "PUBLISHER_URI": os.environ.get("TERBUKA_PUBLISHER_URI", "https://demo.terbuka.example"),
    "LICENSE": os.environ.get("TERBUKA_DATA_LICENSE")
    or "https://creativecommons.org/licenses/by/4.0/",
    "DATA_CONTACT": os.environ.get("TERBUKA_DATA_CONTACT", ""),
    "PUBLICATION_POLICY": os.environ.get(
        "TERBUKA_PUBLICATION_POLICY", "https://demo.terbuka.example/kebijakan-publikasi"
    ),
    "BASE_URL": os.environ.get("TERBUKA_BASE_URL", "http://127.0.0.1:8000"),
    "LOG_ORIGIN": os.environ.get("TERBUKA_LOG_ORIGIN", "demo.terbuka.example/log"),
    "LOG_KEY": os.environ.get("TERBUKA_LOG_KEY", ""),
    "LOG_KEY_FILE": os.environ.get("TERBUKA_LOG_KEY_FILE", ""),
    "LOG_KEY_GENERATE": DEBUG or env_flag("TERBUKA_DEMO"),
    "SEARCH_CACHE_SECONDS": env_int("TERBUKA_SEARCH_CACHE_SECONDS", 60, minimum=0),
    "LOG_BATCH": env_int("TERBUKA_LOG_BATCH", 1024, minimum=1),
    "LOG_LOCK_TIMEOUT": env_float("TERBUKA_LOG_LOCK_TIMEOUT", 5, minimum=0),
    "WITNESSES": os.environ.get("TERBUKA_WITNESSES", ""),
    "WITNESSES_FILE": os.environ.get("TERBUKA_WITNESSES_FILE")
    or (str(DATA_DIR / "witnesses.json") if (DATA_DIR / "witnesses.json").exists() else ""),
    "WITNESS_THRESHOLDS": os.environ.get("TERBUKA_WITNESS_THRESHOLDS", ""),
    "WITNESS_QUORUM": os.environ.get("TERBUKA_WITNESS_QUORUM", ""),
    "ANCHOR_NODES": os.environ.get("TERBUKA_ANCHOR_NODES", ""),
    "ANCHOR_ACCOUNT": os.environ.get("TERBUKA_ANCHOR_ACCOUNT", ""),
    "ANCHOR_KEY_FILE": os.environ.get("TERBUKA_ANCHOR_KEY_FILE", ""),
    "EXTRA_DAYS_OFF": env_days_off("TERBUKA_EXTRA_DAYS_OFF"),
    "REGISTRY_HMAC_KEY": os.environ.get("TERBUKA_REGISTRY_HMAC_KEY", ""),
    "REGISTRY_HMAC_KEY_FILE": os.environ.get("TERBUKA_REGISTRY_HMAC_KEY_FILE", ""),
    "REGISTRY_SEAL_KEY": os.environ.get("TERBUKA_REGISTRY_SEAL_KEY", ""),
    "REGISTRY_SEAL_KEY_FILE": os.environ.get("TERBUKA_REGISTRY_SEAL_KEY_FILE", ""),
}

# Notices (notifications app): e-mail through Django's backends, SMS/WhatsApp through a gateway.
_email = email_from_env(DATA_DIR)
EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT = (
    _email[k] for k in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")
)
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"], _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT, EMAIL_FILE_PATH = _email["EMAIL_TIMEOUT"], _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = SERVER_EMAIL = _email["DEFAULT_FROM_EMAIL"]
NOTIFY = notify_from_env(DATA_DIR, EMAIL_BACKEND)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("TERBUKA_LOG_LEVEL", "WARNING", LOG_LEVELS),
    },
}
